using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Testing;

/// <summary>
/// A scripted reply of the <see cref="YuHuanEmulator"/>: the content parts a model answer is made of
/// (reasoning, text, tool calls, usage, finish reason) and how they are delivered (delays, pauses, dropped
/// connections, line endings, compression), or a canned HTTP error, a raw response or a reset connection.
/// </summary>
/// <remarks>
/// <para>The script is protocol-neutral: the emulator renders it in the wire format of the endpoint that
/// was called (Chat Completions, Anthropic Messages or OpenAI Responses, see <see cref="YuHuanEmulator"/>). Every scripting method
/// changes this instance and returns it, so calls chain:</para>
/// <code>
/// emulator.Enqueue(new EmulatorReply()
///     .AddReasoning("The user wants the weather.")
///     .AddToolCall("call_1", "get_weather", """{"city":"Paris"}""", fragments: 3)
///     .WithUsage(inputTokens: 40, outputTokens: 12));
/// </code>
/// <para>Finish scripting a reply before handing it to the emulator; a reply may then be served any number
/// of times (for example as <see cref="YuHuanEmulator.DefaultReply"/>), also concurrently.</para>
/// </remarks>
public sealed partial class EmulatorReply
{
    private const string StoryReasoning =
        "The user wants a short story. I will keep it to six sentences, give it a small turn in the middle " +
        "and end on a quiet, hopeful image.";

    private const string StoryText =
        "On the last night of autumn, a lighthouse keeper named Mei found a paper boat on her doorstep. " +
        "Inside it, in careful handwriting, someone had written: \"Please keep the light on a little longer.\" " +
        "She climbed the spiral stairs and let the lamp burn until the sky turned the color of pearls. " +
        "At dawn a small fishing boat slipped into the harbor, its sails torn but its crew safe. " +
        "The youngest sailor waved at the tower, holding up a paper boat of his own. " +
        "From then on, Mei folded one boat every evening and set it on the sill, just in case.";

    private readonly List<ReplyPart> _parts = [];
    private readonly List<KeyValuePair<string, string>> _headers = [];

    /// <summary>Initializes a new, empty scripted reply: a successful answer with no content yet.</summary>
    public EmulatorReply()
    {
        Kind = ReplyKind.Scripted;
    }

    private EmulatorReply(ReplyKind kind, int statusCode)
    {
        Kind = kind;
        StatusCode = statusCode;
    }

    internal ReplyKind Kind { get; }

    internal IReadOnlyList<ReplyPart> Parts => _parts;

    internal IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

    internal string? Id { get; private set; }

    internal string? Model { get; private set; }

    internal ReplyUsage? Usage { get; private set; }

    internal bool HasFinishReason { get; private set; }

    internal ChatFinishReason? FinishReason { get; private set; }

    /// <summary>Gets the finish reason to send: the scripted one, or by default <see cref="ChatFinishReason.ToolCalls"/>
    /// when the reply has a tool call and <see cref="ChatFinishReason.Stop"/> otherwise; <see langword="null"/> sends none.</summary>
    internal ChatFinishReason? EffectiveFinishReason => HasFinishReason
        ? FinishReason
        : _parts.Exists(p => p.Kind == ReplyPartKind.ToolCall) ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop;

    internal ReplyError? StreamError { get; private set; }

    internal bool IsTruncated { get; private set; }

    internal int? DropAfterEvents { get; private set; }

    internal TimeSpan DelayBetweenEvents { get; private set; }

    internal TimeSpan DelayBeforeHeaders { get; private set; }

    internal string LineEnding { get; private set; } = "\n";

    internal bool EmitComments { get; private set; }

    internal int StatusCode { get; } = 200;

    internal ReplyError? Error { get; private init; }

    internal TimeSpan? RetryAfter { get; private init; }

    internal string? ContentType { get; private init; }

    internal string? RawBody { get; private init; }

    internal bool IsGzip { get; private set; }

    internal int? PauseAfterEvents { get; private set; }

    internal Task? ResumeAfterPause { get; private set; }

    internal int PollsBeforeCompletion { get; private set; }

    /// <summary>
    /// Creates the reply the emulator serves by default: a short reasoning passage followed by a
    /// six-sentence short story streamed a few words at a time, with usage (24 prompt tokens,
    /// 12 of the completion tokens spent on reasoning).
    /// </summary>
    /// <returns>A new scripted reply.</returns>
    public static EmulatorReply Story()
    {
        var reply = new EmulatorReply();
        reply._parts.Add(ReplyPart.Reasoning(StoryReasoning, TextChunker.ByWords(StoryReasoning, 3)));
        reply._parts.Add(ReplyPart.AnswerText(StoryText, TextChunker.ByWords(StoryText, 3)));

        // Roughly four characters per token, as tokenizers of English text tend to average.
        var reasoningTokens = 12;
        var completionTokens = reasoningTokens + ((StoryText.Length + 3) / 4);
        return reply.WithUsage(inputTokens: 24, outputTokens: completionTokens, reasoningTokens: reasoningTokens);
    }

    /// <summary>Creates a scripted reply with one text part, streamed about three words at a time.</summary>
    /// <param name="text">The answer text.</param>
    /// <returns>A new scripted reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static EmulatorReply Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reply = new EmulatorReply();
        reply._parts.Add(ReplyPart.AnswerText(text, TextChunker.ByWords(text, 3)));
        return reply;
    }

    /// <summary>
    /// Creates a reply that fails before any content: the given status code with a JSON error body in the shape of
    /// the protocol that was called: <c>{"error":{"message","type","code","param":null}}</c> for Chat Completions,
    /// <c>{"type":"error","error":{"type","message"},"request_id":"req_emu_1"}</c> for Messages (which has no code).
    /// </summary>
    /// <param name="statusCode">The HTTP status code, 400 to 599.</param>
    /// <param name="message">The error message.</param>
    /// <param name="type">The error type, such as <c>rate_limit_error</c>, <c>server_error</c> or <c>overloaded_error</c>.</param>
    /// <param name="code">The error code, or <see langword="null"/>; only Chat Completions sends it.</param>
    /// <param name="retryAfter">When given, sent as a <c>Retry-After</c> header in whole seconds (rounded up).</param>
    /// <returns>A new error reply; only <see cref="WithHeader"/>, <see cref="WithDelayBeforeHeaders"/> and <see cref="WithGzip"/> apply to it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is not an error status, or
    /// <paramref name="retryAfter"/> is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> or <paramref name="type"/> is <see langword="null"/>.</exception>
    public static EmulatorReply HttpError(int statusCode, string message, string type = "server_error", string? code = null, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(type);
        if (retryAfter is { } delay)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(retryAfter));
        }

        return new EmulatorReply(ReplyKind.HttpError, statusCode)
        {
            Error = new ReplyError(message, type, code),
            RetryAfter = retryAfter,
        };
    }

    /// <summary>
    /// Creates a reply sent verbatim: any status, content type and body, such as an HTML error page of a
    /// proxy, an empty body, or a 200 that is not an event stream.
    /// </summary>
    /// <param name="statusCode">The HTTP status code, 100 to 599.</param>
    /// <param name="contentType">The <c>Content-Type</c> header; an empty string sends none.</param>
    /// <param name="body">The body, sent as UTF-8.</param>
    /// <returns>A new raw reply; only <see cref="WithHeader"/>, <see cref="WithDelayBeforeHeaders"/> and <see cref="WithGzip"/> apply to it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is not a valid status code.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="contentType"/> or <paramref name="body"/> is <see langword="null"/>.</exception>
    public static EmulatorReply RawResponse(int statusCode, string contentType, string body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        ArgumentNullException.ThrowIfNull(contentType);
        ArgumentNullException.ThrowIfNull(body);
        return new EmulatorReply(ReplyKind.Raw, statusCode) { ContentType = contentType, RawBody = body };
    }

    /// <summary>
    /// Creates a reply that sends nothing: once the request is read and recorded, the connection is aborted before
    /// a status line or header is written, as a crashing server or proxy does. Clients see a connection failure
    /// before any response, which they may retry.
    /// </summary>
    /// <returns>A new reset reply; only <see cref="WithDelayBeforeHeaders"/> applies to it.</returns>
    public static EmulatorReply ResetBeforeHeaders() => new(ReplyKind.Reset, 0);

    /// <summary>Sets the response id; by default the emulator numbers responses per protocol: <c>chatcmpl-emu-1</c>,
    /// <c>chatcmpl-emu-2</c>, … for Chat Completions, <c>msg_emu_1</c>, <c>msg_emu_2</c>, … for Messages and <c>resp_emu_1</c>,
    /// <c>resp_emu_2</c>, … for Responses.</summary>
    /// <param name="id">The response id.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply WithId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        EnsureScripted();
        Id = id;
        return this;
    }

    /// <summary>Sets the model name the reply reports; by default the request's <c>model</c>, or <c>yuhuan-emulator</c>.</summary>
    /// <param name="model">The model name.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply WithModel(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        EnsureScripted();
        Model = model;
        return this;
    }

    /// <summary>Adds reasoning text, streamed in pieces of <paramref name="chunkSize"/> characters
    /// (a surrogate pair is never split), optionally protected by a signature.</summary>
    /// <remarks>
    /// <para>Messages renders the part as a <c>thinking</c> block: <c>thinking_delta</c> events (none when
    /// <paramref name="text"/> is empty), then a <c>signature_delta</c> when a signature is given.</para>
    /// <para>Chat Completions sends the pieces as <c>reasoning_content</c>; a signature goes on the last piece as
    /// <c>reasoning_details: [{"type":"reasoning.text","text":…,"signature":…}]</c>, the way OpenRouter sends it, and
    /// in the <c>reasoning_details</c> of a complete message.</para>
    /// <para>Responses renders it as a <c>reasoning</c> item with one <c>summary_text</c> part
    /// (<c>response.reasoning_summary_text.delta</c> events; no summary part when <paramref name="text"/> is empty); a
    /// signature becomes the item's <c>encrypted_content</c>, sent with <c>response.output_item.done</c> and never at
    /// <c>response.output_item.added</c>.</para>
    /// </remarks>
    /// <param name="text">The reasoning text; may be empty, for a block that holds only a signature.</param>
    /// <param name="chunkSize">The number of UTF-16 characters per streamed piece.</param>
    /// <param name="signature">The signature that protects the reasoning, or <see langword="null"/> for none.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkSize"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddReasoning(string text, int chunkSize = 16, string? signature = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        EnsureScripted();
        _parts.Add(ReplyPart.Reasoning(text, TextChunker.ByChars(text, chunkSize), signature));
        return this;
    }

    /// <summary>Adds raw reasoning: the model's own reasoning text rather than a summary of it, as open-weight models behind
    /// LM Studio or vLLM send it, streamed in pieces of <paramref name="chunkSize"/> characters.</summary>
    /// <remarks>Responses renders it as a <c>reasoning</c> item whose <c>content</c> holds a <c>reasoning_text</c> part
    /// (<c>response.reasoning_text.delta</c> events) instead of a <c>summary</c>; a signature becomes the item's
    /// <c>encrypted_content</c>. Chat Completions and Messages render it as <see cref="AddReasoning"/> does.</remarks>
    /// <param name="text">The reasoning text.</param>
    /// <param name="chunkSize">The number of UTF-16 characters per streamed piece.</param>
    /// <param name="signature">The signature (encrypted content) that protects the reasoning, or <see langword="null"/> for none.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkSize"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddRawReasoning(string text, int chunkSize = 16, string? signature = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        EnsureScripted();
        _parts.Add(ReplyPart.RawReasoning(text, TextChunker.ByChars(text, chunkSize), signature));
        return this;
    }

    /// <summary>Adds redacted reasoning: reasoning the caller gets only as opaque, encrypted data, sent in one piece.</summary>
    /// <remarks>Messages renders it as a <c>redacted_thinking</c> block <c>{"data":…}</c>; Chat Completions as
    /// <c>reasoning_details: [{"type":"reasoning.encrypted","data":…}]</c>, the way OpenRouter sends encrypted reasoning;
    /// Responses as a <c>reasoning</c> item with an empty <c>summary</c> whose <c>encrypted_content</c> is the data.</remarks>
    /// <param name="data">The opaque data.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddRedactedReasoning(string data)
    {
        ArgumentNullException.ThrowIfNull(data);
        EnsureScripted();
        _parts.Add(ReplyPart.RedactedReasoning(data));
        return this;
    }

    /// <summary>Adds answer text, streamed in pieces of <paramref name="chunkSize"/> characters
    /// (a surrogate pair is never split).</summary>
    /// <param name="text">The answer text.</param>
    /// <param name="chunkSize">The number of UTF-16 characters per streamed piece.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkSize"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddText(string text, int chunkSize = 16)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        EnsureScripted();
        _parts.Add(ReplyPart.AnswerText(text, TextChunker.ByChars(text, chunkSize)));
        return this;
    }

    /// <summary>Adds answer text that belongs to a <paramref name="phase"/> of the answer, streamed in pieces of
    /// <paramref name="chunkSize"/> characters (a surrogate pair is never split).</summary>
    /// <remarks>Responses sends it in a message item with that <c>phase</c> (<c>commentary</c> for what the model says
    /// while it works, <c>final_answer</c> for its answer); text of different phases never shares a message item, so
    /// <c>AddPhasedText("Checking.", "commentary").AddPhasedText("Sunny.", "final_answer")</c> makes two message items.
    /// Chat Completions and Messages have no phase and render it as <see cref="AddText"/> does.</remarks>
    /// <param name="text">The answer text.</param>
    /// <param name="phase">The phase, such as <c>commentary</c> or <c>final_answer</c>; sent verbatim.</param>
    /// <param name="chunkSize">The number of UTF-16 characters per streamed piece.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="phase"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkSize"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddPhasedText(string text, string phase, int chunkSize = 16)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(phase);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        EnsureScripted();
        _parts.Add(ReplyPart.AnswerText(text, TextChunker.ByChars(text, chunkSize), phase));
        return this;
    }

    /// <summary>Adds a refusal: the model declines to answer and says why, streamed in pieces of
    /// <paramref name="chunkSize"/> characters.</summary>
    /// <remarks>Responses sends a <c>refusal</c> content part (<c>response.refusal.delta</c> events) in a message item,
    /// Chat Completions the <c>refusal</c> field of the delta and of the complete message. Messages has no refusal content
    /// and leaves the part out; script <see cref="WithFinishReason"/> with <see cref="ChatFinishReason.ContentFilter"/> for
    /// its <c>refusal</c> stop reason.</remarks>
    /// <param name="text">The refusal text.</param>
    /// <param name="chunkSize">The number of UTF-16 characters per streamed piece.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkSize"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddRefusal(string text, int chunkSize = 16)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        EnsureScripted();
        _parts.Add(ReplyPart.Refusal(text, TextChunker.ByChars(text, chunkSize)));
        return this;
    }

    /// <summary>
    /// Adds a function tool call. When streamed, the call's first fragment carries its id and name, then
    /// <paramref name="argumentsJson"/> follows in <paramref name="fragments"/> roughly equal pieces, which
    /// may split it anywhere, even inside an escape sequence.
    /// </summary>
    /// <remarks>Messages streams a <c>tool_use</c> block whose first <c>input_json_delta</c> is empty, then the
    /// pieces; a complete message holds the arguments as the parsed <c>input</c> object (empty arguments as
    /// <c>{}</c>, arguments that are not JSON as a string, so a client can report the failure). Responses streams a
    /// <c>function_call</c> item whose <c>arguments</c> are empty at <c>response.output_item.added</c>, then one
    /// <c>response.function_call_arguments.delta</c> per piece.</remarks>
    /// <param name="callId">The call id, or <see langword="null"/> to send the call without any id, as some Chat
    /// Completions servers do; Messages and Responses always have one, so the emulator then makes one up (<c>toolu_emu_1</c>, …
    /// for Messages, <c>call_emu_1</c>, … for Responses).</param>
    /// <param name="name">The function name.</param>
    /// <param name="argumentsJson">The arguments as a JSON string; sent as is, so invalid JSON can be scripted too.</param>
    /// <param name="fragments">The number of argument pieces to stream.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="argumentsJson"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fragments"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddToolCall(string? callId, string name, string argumentsJson, int fragments = 1)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(argumentsJson);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fragments);
        EnsureScripted();
        _parts.Add(ReplyPart.ToolCall(callId, name, argumentsJson, TextChunker.IntoParts(argumentsJson, fragments)));
        return this;
    }

    /// <summary>Sets the token usage the reply reports; without it, no usage is sent.</summary>
    /// <remarks>
    /// <para>Chat Completions sends <c>prompt_tokens</c> = <paramref name="inputTokens"/>,
    /// <c>prompt_tokens_details.cached_tokens</c> = <paramref name="cachedInputTokens"/> and
    /// <c>completion_tokens_details.reasoning_tokens</c> = <paramref name="reasoningTokens"/>; it has no field for
    /// <paramref name="cacheCreationInputTokens"/>.</para>
    /// <para>Messages counts cached input apart from the rest, so it sends <c>cache_read_input_tokens</c> =
    /// <paramref name="cachedInputTokens"/>, <c>cache_creation_input_tokens</c> = <paramref name="cacheCreationInputTokens"/>
    /// and <c>input_tokens</c> = <paramref name="inputTokens"/> minus both (never below 0). A client that reports input as
    /// <c>input_tokens + cache_read_input_tokens + cache_creation_input_tokens</c> and cached input as
    /// <c>cache_read_input_tokens</c> so gets back the scripted numbers. Messages has no field for
    /// <paramref name="reasoningTokens"/>; <c>message_start</c> says <c>output_tokens: 1</c> and
    /// <c>message_delta</c> carries the real <c>output_tokens</c>.</para>
    /// <para>Responses sends <c>input_tokens</c> = <paramref name="inputTokens"/>, <c>input_tokens_details.cached_tokens</c>
    /// = <paramref name="cachedInputTokens"/>, <c>output_tokens</c>, <c>output_tokens_details.reasoning_tokens</c> and
    /// <c>total_tokens</c> in the terminal response object; it has no field for <paramref name="cacheCreationInputTokens"/>.</para>
    /// </remarks>
    /// <param name="inputTokens">Prompt (input) tokens in total, cached and cache-creation tokens included.</param>
    /// <param name="outputTokens">Completion (output) tokens, reasoning included.</param>
    /// <param name="cachedInputTokens">Input tokens read from the prompt cache.</param>
    /// <param name="reasoningTokens">Output tokens spent on reasoning.</param>
    /// <param name="cacheCreationInputTokens">Input tokens written to the prompt cache.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply WithUsage(int inputTokens, int outputTokens, int cachedInputTokens = 0, int reasoningTokens = 0, int cacheCreationInputTokens = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(outputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(cachedInputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(reasoningTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheCreationInputTokens);
        EnsureScripted();
        Usage = new ReplyUsage(inputTokens, outputTokens, cachedInputTokens, reasoningTokens, cacheCreationInputTokens);
        return this;
    }

    /// <summary>
    /// Sets the finish reason; by default <see cref="ChatFinishReason.ToolCalls"/> when the reply has a tool call,
    /// otherwise <see cref="ChatFinishReason.Stop"/>. <see langword="null"/> sends no finish reason at all.
    /// </summary>
    /// <remarks>
    /// Each protocol sends its own word. Chat Completions <c>finish_reason</c>: <c>stop</c>, <c>length</c>,
    /// <c>tool_calls</c>, <c>content_filter</c>. Messages <c>stop_reason</c>: <see cref="ChatFinishReason.Stop"/> →
    /// <c>end_turn</c>, <see cref="ChatFinishReason.Length"/> → <c>max_tokens</c>, <see cref="ChatFinishReason.ToolCalls"/>
    /// → <c>tool_use</c>, <see cref="ChatFinishReason.ContentFilter"/> → <c>refusal</c>. Any other value is sent as
    /// its <see cref="ChatFinishReason.Value"/>, so <c>new ChatFinishReason("pause_turn")</c> scripts a word of the
    /// protocol's own. Responses has no finish reason but a terminal status: <see cref="ChatFinishReason.Length"/> ends
    /// the response as <c>incomplete</c> with <c>incomplete_details.reason</c> <c>max_output_tokens</c>,
    /// <see cref="ChatFinishReason.ContentFilter"/> as <c>incomplete</c> with <c>content_filter</c>, any other value of
    /// no known kind as <c>incomplete</c> with that value as the reason; <see cref="ChatFinishReason.Stop"/>,
    /// <see cref="ChatFinishReason.ToolCalls"/> and <see langword="null"/> end it as <c>completed</c>.
    /// </remarks>
    /// <param name="finishReason">The finish reason, or <see langword="null"/> to send none.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply WithFinishReason(ChatFinishReason? finishReason)
    {
        EnsureScripted();
        HasFinishReason = true;
        FinishReason = finishReason;
        return this;
    }

    private void EnsureScripted()
    {
        if (Kind != ReplyKind.Scripted)
        {
            throw new InvalidOperationException(
                "Only WithHeader, WithDelayBeforeHeaders and WithGzip apply to a reply created by HttpError or RawResponse, and only WithDelayBeforeHeaders to one created by ResetBeforeHeaders.");
        }
    }
}
