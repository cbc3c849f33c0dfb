// README.md, "In an app: AddChatClient".
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using YuHuan.Connector;

namespace ReadmeSnippets;

internal static class AddChatClient
{
    public static void Run(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        // <snippet:add-chat-client>
        builder.Services.AddChatClient(new YuHuanChatClient(new YuHuanChatClientOptions
        {
            ApiKey = builder.Configuration["YuHuan:ApiKey"],
            ModelId = "qwen-max",
        }))
        .UseFunctionInvocation()
        .UseLogging();

        var app = builder.Build();

        // Anywhere in the app:
        app.MapGet("/ask", async (IChatClient chat, string q) => (await chat.GetResponseAsync(q)).Text);
        // </snippet:add-chat-client>

        app.Run();
    }
}
