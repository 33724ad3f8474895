using Builder;
using Builder.Cli;
using Microsoft.Extensions.DependencyInjection;

StartupWarmup.Begin();
return await BuilderCommandLine.RunAsync(
    args, store => new ServiceCollection().AddBuilder(store).BuildServiceProvider(), Console.Out, Console.Error);
