// README.md, "Dependency injection and configuration".
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace ReadmeSnippets;

internal static class DependencyInjection
{
    public static void Run(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        // <snippet:dependency-injection>
        builder.Services.AddYuHuanChatClient()            // binds the "YuHuan" configuration section
            .UseFunctionInvocation()
            .UseOpenTelemetry()
            .UseLogging();

        var key = builder.Configuration["YuHuan:ApiKey"];
        builder.Services.AddKeyedYuHuanChatClient("fast", o => { o.ModelId = "qwen-turbo"; o.ApiKey = key; });
        // resolve with [FromKeyedServices("fast")] IChatClient chat
        // </snippet:dependency-injection>

        builder.Build().Run();
    }
}
