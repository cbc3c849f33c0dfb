using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using YuHuan.Connector.ChatCompletions;
using YuHuan.Connector.Http;

namespace YuHuan.Connector;

/// <summary>
/// An <see cref="IChatClient"/> for the YuHuan Studio model gateway. Streams are read as they arrive: each
/// event becomes a <see cref="ChatResponseUpdate"/> at once, tool calls are reported complete and exactly once,
/// reasoning as <see cref="TextReasoningContent"/> and usage as one <see cref="UsageContent"/>.
/// </summary>
/// <remarks>
/// The client is thread-safe and meant to be long-lived. An <see cref="HttpClient"/> passed in stays the caller's;
/// one the client creates itself is disposed with it. Failures are reported as <see cref="YuHuanApiException"/>.
/// </remarks>
public sealed class YuHuanChatClient : IChatClient
{
    private readonly YuHuanChatClientOptions _options;
    private readonly IChatProtocol _protocol;
    private readonly GatewayTransport _transport;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="YuHuanChatClient"/> class.</summary>
    /// <param name="options">The settings; the client keeps a copy.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send requests with, or <see langword="null"/> to create one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or its endpoint is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid: a relative or insecure endpoint, a key or header with line breaks, a negative retry count or timeout.</exception>
    /// <exception cref="NotSupportedException">The protocol is not available in this version.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0027", Justification = "The two-argument constructor is the documented entry point; the logging overload came later.")]
    public YuHuanChatClient(YuHuanChatClientOptions options, HttpClient? httpClient = null)
        : this(options, httpClient, loggerFactory: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="YuHuanChatClient"/> class that logs through <paramref name="loggerFactory"/>.</summary>
    /// <param name="options">The settings; the client keeps a copy.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send requests with, or <see langword="null"/> to create one.</param>
    /// <param name="loggerFactory">Where requests, retries and failures are logged (never the API key, never message content), or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or its endpoint is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid: a relative or insecure endpoint, a key or header with line breaks, a negative retry count or timeout.</exception>
    /// <exception cref="NotSupportedException">The protocol is not available in this version.</exception>
    public YuHuanChatClient(YuHuanChatClientOptions options, HttpClient? httpClient, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        OptionsValidator.Validate(_options);
        _protocol = _options.Protocol switch
        {
            YuHuanProtocol.ChatCompletions => new ChatCompletionsProtocol(_options.SplitThinkTags),
            _ => throw new NotSupportedException($"The {_options.Protocol} protocol is not available in this version of YuHuan.Connector; use {nameof(YuHuanProtocol.ChatCompletions)}."),
        };
        _transport = new GatewayTransport(_options, httpClient, loggerFactory?.CreateLogger<YuHuanChatClient>());
        _metadata = new ChatClientMetadata("yuhuan", _transport.BaseAddress, _options.ModelId);
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var body = _protocol.WriteRequest(messages, options, _options.ModelId, stream: false, this);

        // One path for both shapes of answer: the complete object (or a stream, from a server that streams anyway).
        return SendAsync(body, options?.ModelId ?? _options.ModelId, streaming: false, cancellationToken).ToChatResponseAsync(cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var body = _protocol.WriteRequest(messages, options, _options.ModelId, stream: true, this);
        return SendAsync(body, options?.ModelId ?? _options.ModelId, streaming: true, cancellationToken);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Returns a description of the client that never includes the API key.</summary>
    /// <returns>The endpoint, protocol and default model.</returns>
    public override string ToString() =>
        $"YuHuanChatClient {{ Endpoint = {_transport.BaseAddress}, Protocol = {_options.Protocol}, ModelId = {_options.ModelId ?? "(none)"} }}";

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();

    private async IAsyncEnumerable<ChatResponseUpdate> SendAsync(ReadOnlyMemory<byte> body, string? model, bool streaming, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await _transport.SendAsync(_protocol, body, model, streaming, cancellationToken).ConfigureAwait(false);
        if (response.IsEventStream)
        {
            // The hot path: each event is mapped inside the parser's callback and yielded at once.
            var mapper = _protocol.CreateStreamMapper();
            var parser = SseParser.Create(response.Body, mapper.OnEvent);
            await foreach (var item in parser.EnumerateAsync(response.ReadToken).ConfigureAwait(false))
            {
                if (item.Data is { } update)
                {
                    yield return update;
                }

                if (mapper.IsCompleted)
                {
                    yield break;
                }
            }

            if (mapper.OnEndOfStream() is { } last)
            {
                yield return last;
            }

            yield break;
        }

        // A complete object: the non-streamed answer, or a server that ignored "stream": true. A missing content
        // type is read as JSON when no stream was asked for.
        if (!response.IsJson && (streaming || response.MediaType.Length > 0))
        {
            throw response.UnexpectedMediaType();
        }

        var json = await response.ReadAllAsync(GatewayTransport.MaxResponseBytes).ConfigureAwait(false);
        foreach (var update in _protocol.ReadResponse(json.Span))
        {
            yield return update;
        }
    }
}
