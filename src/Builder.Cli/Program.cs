using Builder;
using Builder.Cli;
using Microsoft.Extensions.DependencyInjection;

var services = new ServiceCollection().AddBuilder().BuildServiceProvider();
return await BuilderCommandLine.RunAsync(args, services, Console.Out, Console.Error);
