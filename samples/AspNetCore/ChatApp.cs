using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.AI;
using YuHuan.Connector;
using YuHuan.Connector.Testing;

namespace YuHuan.Samples.AspNetCore;

/// <summary>
/// A minimal API that registers the YuHuan client from appsettings.json and streams replies to the browser as
/// server-sent events: <c>reasoning</c> and <c>text</c> as they arrive, then <c>done</c>, or <c>error</c> when the
/// gateway fails.
/// </summary>
/// <remarks>
/// In the Development environment (what <c>dotnet run</c> uses, see Properties/launchSettings.json) and without an
/// API key (YuHuan:ApiKey or YUHUAN_API_KEY), it talks to a local emulator that streams a canned story at the pace
/// set by <c>Emulator:DelayBetweenEvents</c>. In any other environment a missing key fails start-up.
/// </remarks>
public sealed class ChatApp : IAsyncDisposable
{
    /// <summary>The longest message <c>POST /chat</c> accepts, in characters.</summary>
    public const int MaxMessageLength = 4000;

    private static readonly TimeSpan DefaultEmulatorDelay = TimeSpan.FromMilliseconds(40);

    private ChatApp(WebApplication app, YuHuanEmulator? emulator)
    {
        App = app;
        Emulator = emulator;
    }

    /// <summary>Gets the web application.</summary>
    public WebApplication App { get; }

    /// <summary>Gets the local emulator the app talks to, or <see langword="null"/> when it talks to the gateway.</summary>
    public YuHuanEmulator? Emulator { get; }

    /// <summary>Builds the app; in Development without an API key, starts the emulator and points the client at it.</summary>
    /// <param name="args">The command-line arguments, such as <c>--urls</c> or <c>--environment</c>.</param>
    /// <returns>The app, not yet started.</returns>
    public static async Task<ChatApp> CreateAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        // A key in configuration (even an empty one) wins over the environment variable.
        if (builder.Configuration["YuHuan:ApiKey"] is null && Environment.GetEnvironmentVariable("YUHUAN_API_KEY") is { Length: > 0 } key)
        {
            builder.Configuration["YuHuan:ApiKey"] = key;
        }

        YuHuanEmulator? emulator = null;
        if (string.IsNullOrEmpty(builder.Configuration["YuHuan:ApiKey"]) && builder.Environment.IsDevelopment())
        {
            emulator = await YuHuanEmulator.StartAsync();
            emulator.DefaultReply = EmulatorReply.Story()
                .WithDelayBetweenEvents(builder.Configuration.GetValue("Emulator:DelayBetweenEvents", DefaultEmulatorDelay));
            builder.Configuration["YuHuan:Endpoint"] = emulator.Endpoint.AbsoluteUri;
        }

        // Outside Development, a missing key fails start-up here: the options are validated when the host starts.
        // The client logs one Warning line per failed request (never the key or content) and Debug lines per request;
        // add .UseLogging() for Microsoft.Extensions.AI's own per-call logs when you need them.
        builder.Services.AddYuHuanChatClient()
            .UseFunctionInvocation();

        // Bad requests (a body that is not JSON, a missing message) are answered with application/problem+json.
        builder.Services.AddProblemDetails();

        var app = builder.Build();
        app.UseStatusCodePages();
        if (emulator is not null)
        {
            app.Logger.LogInformation("Development without an API key: replies come from the local emulator at {Endpoint}.", emulator.Endpoint);
        }

        var page = ReadPage();
        app.MapGet("/", () => TypedResults.Content(page, "text/html; charset=utf-8"));
        app.MapPost("/chat", Chat);
        return new ChatApp(app, emulator);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }
    }

    private static Results<ServerSentEventsResult<string>, ValidationProblem> Chat(ChatRequest? request, IChatClient client, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var message = request?.Message;
        if (string.IsNullOrWhiteSpace(message))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["message"] = ["Write a message."] });
        }

        if (message.Length > MaxMessageLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["message"] = [$"Keep the message under {MaxMessageLength} characters."] });
        }

        return TypedResults.ServerSentEvents(StreamAsync(client, message, loggers.CreateLogger<ChatApp>(), cancellationToken));
    }

    /// <summary>
    /// What the page shows for a gateway failure: for a refused key or an unknown model, what the gateway said and which
    /// setting to check (waiting will not help); for anything else, the kind of failure and to try again.
    /// </summary>
    private static string Describe(YuHuanApiException ex) => ex.StatusCode switch
    {
        401 or 403 => $"The model service refused the app's API key (HTTP {ex.StatusCode}): {ex.Message} Check the app's YuHuan:ApiKey setting.",
        404 => $"The model service found no such model or address (HTTP 404): {ex.Message} Check the app's YuHuan:ModelId and YuHuan:Endpoint settings.",
        _ when ex.ErrorCode == "model_not_found" => $"The model service does not know the model (HTTP {ex.StatusCode}): {ex.Message} Check the app's YuHuan:ModelId setting.",
        { } status => $"The model service failed ({ex.ErrorType ?? "unknown error"}, HTTP {status}). Try again in a moment.",
        null => $"The model service failed ({ex.ErrorType ?? "unknown error"}). Try again in a moment.",
    };

    private static string ReadPage()
    {
        using var stream = typeof(ChatApp).Assembly.GetManifestResourceStream("index.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Relays the reply as events. Once streaming has started the status is 200 and cannot change, so a failure is
    /// sent as an <c>error</c> event the page shows.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(IChatClient client, string message, ILogger logger, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var updates = client.GetStreamingResponseAsync(message, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        for (;;)
        {
            string? error = null;
            try
            {
                if (!await updates.MoveNextAsync())
                {
                    break;
                }
            }
            catch (YuHuanApiException ex)
            {
                // The library keeps the API key out of its messages, so what the gateway said can be shown.
                logger.LogWarning(ex, "The gateway failed ({ErrorType}, HTTP {StatusCode}).", ex.ErrorType, ex.StatusCode);
                error = Describe(ex);
            }
            catch (ArgumentException ex)
            {
                // A setting the request needs and the app lacks, such as YuHuan:ModelId: the message names its key.
                logger.LogError(ex, "The chat request could not be made.");
                error = "The app is not set up: " + ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "The chat request failed.");
                error = "Something went wrong on the server. Try again in a moment.";
            }

            if (error is not null)
            {
                yield return new SseItem<string>(error, "error");
                yield break;
            }

            foreach (var content in updates.Current.Contents)
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
