using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;

namespace YuHuan.Samples.AspNetCore;

/// <summary>
/// A minimal API that registers the YuHuan client from appsettings.json and streams replies to the browser as
/// server-sent events. Without an API key (YuHuan:ApiKey or YUHUAN_API_KEY) it talks to a local emulator.
/// </summary>
public sealed class ChatApp : IAsyncDisposable
{
    private readonly YuHuanEmulator? _emulator;

    private ChatApp(WebApplication app, YuHuanEmulator? emulator)
    {
        App = app;
        _emulator = emulator;
    }

    /// <summary>Gets the web application.</summary>
    public WebApplication App { get; }

    /// <summary>Builds the app; starts the emulator when no API key is configured.</summary>
    public static async Task<ChatApp> CreateAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["YuHuan:ApiKey"]) && Environment.GetEnvironmentVariable("YUHUAN_API_KEY") is { Length: > 0 } key)
        {
            builder.Configuration["YuHuan:ApiKey"] = key;
        }

        YuHuanEmulator? emulator = null;
        if (string.IsNullOrEmpty(builder.Configuration["YuHuan:ApiKey"]))
        {
            emulator = await YuHuanEmulator.StartAsync();
            builder.Configuration["YuHuan:Endpoint"] = emulator.Endpoint.AbsoluteUri;
        }

        builder.Services.AddYuHuanChatClient()
            .UseFunctionInvocation()
            .UseLogging();

        var app = builder.Build();
        if (emulator is not null)
        {
            app.Logger.LogInformation("No API key configured: replies come from the local emulator at {Endpoint}.", emulator.Endpoint);
        }

        var page = ReadPage();
        app.MapGet("/", () => TypedResults.Content(page, "text/html; charset=utf-8"));
        app.MapPost("/chat", (ChatRequest request, IChatClient client, CancellationToken cancellationToken) =>
            TypedResults.ServerSentEvents(StreamAsync(client, request.Message, cancellationToken)));
        return new ChatApp(app, emulator);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    private static string ReadPage()
    {
        using var stream = typeof(ChatApp).Assembly.GetManifestResourceStream("index.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(IChatClient client, string message, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var update in client.GetStreamingResponseAsync(message, cancellationToken: cancellationToken))
        {
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextReasoningContent { Text.Length: > 0 } reasoning:
                        yield return new SseItem<string>(reasoning.Text, "reasoning");
                        break;
                    case TextContent { Text.Length: > 0 } text:
                        yield return new SseItem<string>(text.Text, "text");
                        break;
                }
            }
        }

        yield return new SseItem<string>(string.Empty, "done");
    }
}
