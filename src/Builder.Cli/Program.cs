using Builder;
using Builder.Cli;
using Microsoft.Extensions.DependencyInjection;

return await BuilderCommandLine.RunAsync(
    args, store => new ServiceCollection().AddBuilder(store).BuildServiceProvider(), Console.Out, Console.Error);
