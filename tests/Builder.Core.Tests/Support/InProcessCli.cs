using Builder.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Tests.Support;

/// <summary>The builder command run in-process with its real services, on recipes in a folder of their own.</summary>
public sealed class InProcessCli : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddBuilder().BuildServiceProvider();

    public RecipeFolder Folder { get; } = new();

    public async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await BuilderCommandLine.RunAsync(args, _ => services, output, error);
        return (code, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        services.Dispose();
        Folder.Dispose();
    }
}
