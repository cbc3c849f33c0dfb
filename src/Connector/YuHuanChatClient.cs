using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using YuHuan.Connector.Http;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Shared;

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
    private readonly SecretScrubber _scrubber;
    private readonly ILogger _logger;
    private readonly UnsentOptions _unsentOptions;

    /// <summary>Initializes a new instance of the <see cref="YuHuanChatClient"/> class.</summary>
    /// <param name="options">The settings; the client keeps a copy.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send requests with, or <see langword="null"/> to create one (then disposed with the client).</param>
    /// <param name="loggerFactory">Where requests, retries and failures are logged (never the API key, never message content), or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or its endpoint is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid: no API key for a gateway that is not on loopback (the check host start runs too), a relative or insecure endpoint, a key or header with line breaks or a character that is not ASCII, a negative retry count or timeout, a protocol this version does not serve.</exception>
    /// <remarks>
    /// An <paramref name="httpClient"/> of yours may follow redirects, which carry every header but <c>Authorization</c> to
    /// wherever they lead: through it the key is sent only as <c>Authorization: Bearer</c> (on Messages too, without
    /// <c>x-api-key</c>). The client the library creates, here or through dependency injection, follows no redirects.
    /// </remarks>
    public YuHuanChatClient(YuHuanChatClientOptions options, HttpClient? httpClient = null, ILoggerFactory? loggerFactory = null)
        : this(options, httpClient, loggerFactory, followsNoRedirects: false)
    {
    }

    /// <summary>Initializes a client over <paramref name="httpClient"/>, which the caller says follows no redirects when <paramref name="followsNoRedirects"/> is set.</summary>
    internal YuHuanChatClient(YuHuanChatClientOptions options, HttpClient? httpClient, ILoggerFactory? loggerFactory, bool followsNoRedirects)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        OptionsValidator.Validate(_options);
        _protocol = Protocols.Create(_options);
        _logger = (ILogger?)loggerFactory?.CreateLogger<YuHuanChatClient>() ?? NullLogger.Instance;
        _unsentOptions = new UnsentOptions(_logger);
        _transport = new GatewayTransport(_options, _protocol, httpClient, _logger, followsNoRedirects);
        _metadata = new ChatClientMetadata("yuhuan", _transport.BaseAddress, _options.ModelId);
        _scrubber = new SecretScrubber(_options.ApiKey);
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = CreateRequest(messages, options, stream: false);
        return GetCompleteResponseAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return SendAsync(CreateRequest(messages, options, stream: true), cancellationToken);
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

    /// <summary>
    /// Resolves what every protocol needs once (model, raw base body), then has the protocol build the call (or, for a
    /// continuation token, the call that resumes its background response), so bad arguments throw at the call.
    /// </summary>
    private (WireRequest Call, ChatRequest Request) CreateRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var request = new ChatRequest
        {
            Messages = messages,
            Options = options,
            Model = options?.ModelId ?? _options.ModelId,
            Stream = stream,
            RawRepresentation = options?.RawRepresentationFactory?.Invoke(this),
            DefaultMaxOutputTokens = _options.DefaultMaxOutputTokens,
            Logger = _logger,
            ToolCarriers = Protocols.Carrying,
            UnsentOptions = _unsentOptions,
            IncludeRawRepresentation = _options.IncludeRawRepresentation,
        };
#pragma warning disable MEAI001 // Background responses are experimental in Microsoft.Extensions.AI.
        if (options?.ContinuationToken is { } token)
        {
            if (_protocol is not IContinuingProtocol continuing)
            {
                throw new ArgumentException(
                    $"ChatOptions.ContinuationToken resumes a background response, which the {_protocol.Name} protocol of this client does not have; {Protocols.NamesOf(p => p is IContinuingProtocol)} has them.",
                    nameof(options));
            }

            var continuation = continuing.CreateContinuation(token, request.Model, stream);
            if (messages.Any())
            {
                throw new ArgumentException("ChatOptions.ContinuationToken resumes a background response, which carries its own history: pass no messages with it.", nameof(messages));
            }

            return (continuation, request);
        }
#pragma warning restore MEAI001

        if (request.Model is null && !new RequestFields(options, request.RawRepresentation).Supplies("model"))
        {
            throw new ArgumentException($"No model was given: set ChatOptions.ModelId for the call, or {ModelSetting()} for the client.", nameof(options));
        }

        return (_protocol.CreateCall(request), request);
    }

    /// <summary>Names the client's model setting as the user wrote it: its configuration key, or the property.</summary>
    private string ModelSetting() =>
        _options.ConfigurationPath is { } path
            ? $"the setting '{path}:{nameof(YuHuanChatClientOptions.ModelId)}' (in appsettings.json or an environment variable such as {path.Replace(":", "__", StringComparison.Ordinal)}__{nameof(YuHuanChatClientOptions.ModelId)})"
            : $"{nameof(YuHuanChatClientOptions)}.{nameof(YuHuanChatClientOptions.ModelId)}";

    /// <summary>
    /// Reads a complete response: the object (or a stream, from a server that streams anyway) as updates, joined. A background
    /// response still running carries the token that polls it.
    /// </summary>
    private async Task<ChatResponse> GetCompleteResponseAsync((WireRequest Call, ChatRequest Request) request, CancellationToken cancellationToken)
    {
        var updates = new List<ChatResponseUpdate>(2);
        await foreach (var update in SendAsync(request, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
#pragma warning disable MEAI001 // Background responses are experimental in Microsoft.Extensions.AI.
        response.ContinuationToken = updates.Count > 0 ? updates[^1].ContinuationToken : null;
#pragma warning restore MEAI001
        if (request.Request.IncludeRawRepresentation)
        {
            response.RawRepresentation = RawOf(updates);
        }

        return response;
    }

    /// <summary>
    /// The raw representation of a complete response: the response object its updates were made from, or, from a server
    /// that streamed anyway, the events in order.
    /// </summary>
    private static object? RawOf(List<ChatResponseUpdate> updates)
    {
        var raw = new List<object>(updates.Count);
        foreach (var update in updates)
        {
            if (update.RawRepresentation is { } each && (raw.Count == 0 || !ReferenceEquals(raw[^1], each)))
            {
                raw.Add(each);
            }
        }

        return raw.Count switch
        {
            0 => null,
            1 => raw[0],
            _ => raw,
        };
    }

    /// <summary>
    /// Sends the request. This and the three methods after it are where every failure that can quote server text arises
    /// (sending, each event, the end of the body, a complete body): a <see cref="YuHuanApiException"/> that quotes the
    /// API key (a server echoed it, in whatever form) is replaced there by a copy without it, before the caller, a logger
    /// or a telemetry span sees it, and the hot path has no extra iterator.
    /// </summary>
    private async Task<GatewayResponse> SendScrubbedAsync(WireRequest call, CancellationToken cancellationToken)
    {
        try
        {
            return await _transport.SendAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (YuHuanApiException ex) when (_scrubber.Finds(ex))
        {
            throw _scrubber.Scrub(ex);
        }
    }

    private ChatResponseUpdate? OnEventScrubbed(IStreamMapper mapper, ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data)
    {
        try
        {
            return mapper.OnEvent(eventType, data);
        }
        catch (YuHuanApiException ex) when (_scrubber.Finds(ex))
        {
            throw _scrubber.Scrub(ex);
        }
    }

    private ChatResponseUpdate? OnEndOfStreamScrubbed(IStreamMapper mapper)
    {
        try
        {
            return mapper.OnEndOfStream();
        }
        catch (YuHuanApiException ex) when (_scrubber.Finds(ex))
        {
            throw _scrubber.Scrub(ex);
        }
    }

    private async Task<List<ChatResponseUpdate>> ReadCompleteScrubbedAsync(GatewayResponse response, IStreamMapper mapper)
    {
        try
        {
            var json = await response.ReadAllAsync(ResponseLimits.MaxResponseBytes).ConfigureAwait(false);
            var updates = new List<ChatResponseUpdate>(2);
            mapper.ReadResponse(json.Span, updates);
            return updates;
        }
        catch (YuHuanApiException ex) when (_scrubber.Finds(ex))
        {
            throw _scrubber.Scrub(ex);
        }
    }

    private async IAsyncEnumerable<ChatResponseUpdate> SendAsync((WireRequest Call, ChatRequest Request) request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var call = request.Call;
        var mapper = _protocol.CreateStreamMapper(request.Request, call);
        var resumption = new Resumption((mapper as IResumableMapper)?.ResumePosition ?? -1);
        while (true)
        {
            // Disposed before the answer is complete (a cancellation, a break out of await foreach, a disposed enumerator, a
            // failure), the response closes its connection: the gateway stops generating at once instead of streaming into a drain.
            var response = await SendScrubbedAsync(call, cancellationToken).ConfigureAwait(false);
            ResponseContinuationToken? resumeAfter = null;
            await using (response.ConfigureAwait(false))
            {
                if (!response.IsEventStream)
                {
                    // A complete object: the non-streamed answer, or a server that ignored "stream": true. A missing content
                    // type is read as JSON when no stream was asked for.
                    if (!response.IsJson && (call.Stream || response.MediaType.Length > 0))
                    {
                        throw _scrubber.Scrub(response.UnexpectedMediaType());
                    }

                    foreach (var update in await ReadCompleteScrubbedAsync(response, mapper).ConfigureAwait(false))
                    {
                        yield return update;
                    }

                    yield break;
                }

                // The hot path: events are framed in the reader's buffer and mapped from it, with no await unless the buffer
                // needs a read, and each update is yielded at once.
                using var events = new SseEventReader(response.Body, ResponseLimits.MaxResponseBytes);
                while (true)
                {
                    // Events already read stop at a cancellation as promptly as a read would.
                    cancellationToken.ThrowIfCancellationRequested();
                    var more = true;
                    ChatResponseUpdate? update = null;
                    try
                    {
                        while (!events.TryReadEvent())
                        {
                            if (!await events.FillAsync(response.ReadToken).ConfigureAwait(false))
                            {
                                more = false;
                                break;
                            }
                        }

                        if (more)
                        {
                            update = OnEventScrubbed(mapper, events.EventType, events.Data);
                        }
                    }
                    catch (YuHuanApiException ex) when (CanResume(ex, mapper, ref resumption, cancellationToken))
                    {
                        resumeAfter = ((IResumableMapper)mapper).Continuation;
                        break;
                    }

                    if (!more)
                    {
                        break;
                    }

                    var completed = mapper.IsCompleted;
                    if (completed)
                    {
                        response.AnswerCompleted();
                    }

                    if (update is not null)
                    {
                        yield return update;
                    }

                    if (completed)
                    {
                        yield break;
                    }
                }

                if (resumeAfter is null)
                {
                    ChatResponseUpdate? last;
                    try
                    {
                        last = OnEndOfStreamScrubbed(mapper);
                    }
                    catch (YuHuanApiException ex) when (CanResume(ex, mapper, ref resumption, cancellationToken))
                    {
                        resumeAfter = ((IResumableMapper)mapper).Continuation;
                        last = null;
                    }

                    if (resumeAfter is null)
                    {
                        if (last is not null)
                        {
                            yield return last;
                        }

                        yield break;
                    }
                }
            }

            // A background response whose stream broke after its first byte: not lost, but resumed after the last event read,
            // after the wait a retry would have.
            var delay = _transport.RetryDelay(resumption.WithoutProgress - 1);
            GatewayLog.Resuming(_logger, _protocol.Name, resumption.WithoutProgress, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            call = ((IContinuingProtocol)_protocol).CreateContinuation(resumeAfter, call.Model, stream: true);
        }
    }

    /// <summary>
    /// Decides whether a stream that failed with <paramref name="failure"/> is resumed: a background response the gateway
    /// keeps (its mapper has a continuation), a failure of the connection rather than an answer of the server, and fewer
    /// consecutive resumptions without progress than the retries allowed. Progress is a resume position past the one the
    /// last resumption started from: events a server replays, which the mapper skips, are none, however many arrive.
    /// </summary>
    private bool CanResume(YuHuanApiException failure, IStreamMapper mapper, ref Resumption resumption, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested
            || mapper is not IResumableMapper { Continuation: not null } resumable
            || _protocol is not IContinuingProtocol
            || failure.ErrorType is not (YuHuanErrorTypes.IncompleteStream or YuHuanErrorTypes.ConnectionError or YuHuanErrorTypes.Timeout))
        {
            return false;
        }

        var position = resumable.ResumePosition;
        if (position > resumption.From)
        {
            resumption = new Resumption(position);
        }

        if (resumption.WithoutProgress >= _options.MaxRetries)
        {
            return false;
        }

        resumption.WithoutProgress++;
        return true;
    }
}
