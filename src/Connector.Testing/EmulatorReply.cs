using System.Text.Json;
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
public sealed class EmulatorReply
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

    /// <summary>
    /// Adds a server-side web search the model's server ran: the query and the pages it found, each with the opaque content
    /// a later turn must carry back.
    /// </summary>
    /// <remarks>
    /// <para>Messages sends a <c>server_tool_use</c> block <c>{"id","name":"web_search","input":{"query"}}</c> (streamed with
    /// <c>input: {}</c> at <c>content_block_start</c>, an empty <c>input_json_delta</c>, then the input), then a
    /// <c>web_search_tool_result</c> block <c>{"tool_use_id","content":[{"type":"web_search_result","url","title",
    /// "encrypted_content","page_age":null}]}</c> whole at <c>content_block_start</c>; a result without encrypted content
    /// has no <c>encrypted_content</c> field. Made-up ids are <c>srvtoolu_emu_1</c>, ….</para>
    /// <para>Responses sends a <c>web_search_call</c> item (<c>ws_emu_1</c>, …): <c>status: "in_progress"</c> at
    /// <c>response.output_item.added</c>, then <c>response.web_search_call.in_progress</c>, <c>.searching</c> and
    /// <c>.completed</c>, and the complete item <c>{"status":"completed","action":{"type":"search","query","sources":[{"type":"url","url"}]}}</c>
    /// at <c>response.output_item.done</c>; Responses has no field for titles or encrypted content.</para>
    /// <para>Chat Completions has no hosted tool calls and leaves the part out; script <see cref="AddCitation"/> for the
    /// <c>url_citation</c> annotations its search models send.</para>
    /// </remarks>
    /// <param name="query">The search query.</param>
    /// <param name="results">The pages found: address, title and encrypted content (<see langword="null"/> for none).</param>
    /// <param name="callId">The call id, or <see langword="null"/> to let the emulator make one up.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> or <paramref name="results"/> is <see langword="null"/>, or a result's address or title is.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddWebSearch(string query, IEnumerable<(string Url, string Title, string? EncryptedContent)> results, string? callId = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(results);
        var list = new List<ReplySearchResult>();
        foreach (var (url, title, encryptedContent) in results)
        {
            ArgumentNullException.ThrowIfNull(url, nameof(results));
            ArgumentNullException.ThrowIfNull(title, nameof(results));
            list.Add(new ReplySearchResult(url, title, encryptedContent));
        }

        EnsureScripted();
        _parts.Add(ReplyPart.WebSearchCall(callId, new ReplyWebSearch(query, list)));
        return this;
    }

    /// <summary>Adds a server-side fetch of one web page the model's server made: its address, title and text.</summary>
    /// <remarks>
    /// <para>Messages sends a <c>server_tool_use</c> block <c>{"id","name":"web_fetch","input":{"url"}}</c> (its input streamed
    /// in <c>input_json_delta</c>s), then a <c>web_fetch_tool_result</c> block whose <c>content</c> is
    /// <c>{"type":"web_fetch_result","url","content":{"type":"document","source":{"type":"text","media_type":"text/plain","data"},
    /// "title"},"retrieved_at"}</c>, whole at <c>content_block_start</c>. Made-up ids are <c>srvtoolu_emu_1</c>, ….</para>
    /// <para>Responses sends a <c>web_search_call</c> item (<c>ws_emu_1</c>, …) whose <c>action</c> is
    /// <c>{"type":"open_page","url"}</c>, with the events of a web search; it has no field for the page's title or text.</para>
    /// <para>Chat Completions has no hosted tool calls and leaves the part out.</para>
    /// </remarks>
    /// <param name="url">The page address.</param>
    /// <param name="title">The page title.</param>
    /// <param name="text">The page's text.</param>
    /// <param name="callId">The call id, or <see langword="null"/> to let the emulator make one up.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="url"/>, <paramref name="title"/> or <paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddWebFetch(string url, string title, string text, string? callId = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(text);
        EnsureScripted();
        _parts.Add(ReplyPart.WebFetchCall(callId, new ReplyWebFetch(url, title, text)));
        return this;
    }

    /// <summary>Adds a server-side search of the caller's files (vector stores) the model's server ran: the queries and the passages found.</summary>
    /// <remarks>
    /// <para>Responses sends a <c>file_search_call</c> item (<c>fs_emu_1</c>, …): <c>status: "in_progress"</c> and
    /// <c>results: null</c> at <c>response.output_item.added</c>, then <c>response.file_search_call.in_progress</c>,
    /// <c>.searching</c> and <c>.completed</c>, and the complete item <c>{"status":"completed","queries":[…],"results":[{"file_id",
    /// "filename","score","text","attributes":{}}]}</c> (<c>results: null</c> when none are scripted, as when the request did not
    /// include them).</para>
    /// <para>Messages and Chat Completions have no file search and leave the part out.</para>
    /// </remarks>
    /// <param name="queries">The queries searched for.</param>
    /// <param name="results">The passages found: file id, file name, passage and relevance score.</param>
    /// <param name="callId">The call id, or <see langword="null"/> to let the emulator make one up.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="queries"/> or <paramref name="results"/> is <see langword="null"/>, or a query or a result's field is.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddFileSearch(IEnumerable<string> queries, IEnumerable<(string FileId, string Filename, string Text, double Score)> results, string? callId = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(results);
        var queryList = new List<string>();
        foreach (var query in queries)
        {
            ArgumentNullException.ThrowIfNull(query, nameof(queries));
            queryList.Add(query);
        }

        var resultList = new List<ReplyFileSearchResult>();
        foreach (var (fileId, filename, text, score) in results)
        {
            ArgumentNullException.ThrowIfNull(fileId, nameof(results));
            ArgumentNullException.ThrowIfNull(filename, nameof(results));
            ArgumentNullException.ThrowIfNull(text, nameof(results));
            resultList.Add(new ReplyFileSearchResult(fileId, filename, text, score));
        }

        EnsureScripted();
        _parts.Add(ReplyPart.FileSearchCall(callId, new ReplyFileSearch(queryList, resultList)));
        return this;
    }

    /// <summary>Adds a server-side code execution the model's server ran: the code, and what running it printed.</summary>
    /// <remarks>
    /// <para>Messages sends a <c>server_tool_use</c> block <c>{"name":"code_execution","input":{"code"}}</c> (its input
    /// streamed in <c>input_json_delta</c>s), then a <c>code_execution_tool_result</c> block whose <c>content</c> is
    /// <c>{"type":"code_execution_result","stdout","stderr","return_code","content":[]}</c>. With <paramref name="bash"/>
    /// the call is <c>{"name":"bash_code_execution","input":{"command"}}</c> and the result a
    /// <c>bash_code_execution_tool_result</c> block holding a <c>bash_code_execution_result</c>, as the newer code execution
    /// tool sends them. Made-up ids are <c>srvtoolu_emu_1</c>, …; Messages has no field for images.</para>
    /// <para>Responses sends a <c>code_interpreter_call</c> item (<c>ci_emu_1</c>, …, in container <c>cntr_emu_1</c>, …):
    /// <c>code: ""</c> and <c>outputs: null</c> at <c>response.output_item.added</c>, then
    /// <c>response.code_interpreter_call.in_progress</c>, <c>response.code_interpreter_call_code.delta</c>s,
    /// <c>response.code_interpreter_call_code.done</c>, <c>response.code_interpreter_call.interpreting</c> and
    /// <c>.completed</c>; the complete item's <c>outputs</c> hold one <c>{"type":"logs","logs"}</c> entry with standard
    /// output and standard error joined (none when both are empty) and one <c>{"type":"image","url"}</c> per image. It has
    /// no field for the return code.</para>
    /// <para>Chat Completions has no hosted tool calls and leaves the part out.</para>
    /// </remarks>
    /// <param name="code">The code, or the command line when <paramref name="bash"/> is set.</param>
    /// <param name="stdout">What the run wrote to standard output.</param>
    /// <param name="stderr">What the run wrote to standard error.</param>
    /// <param name="returnCode">The exit code of the run.</param>
    /// <param name="bash">Whether Messages sends it as a bash command rather than Python code.</param>
    /// <param name="imageUrls">The addresses of images the run produced, or <see langword="null"/> for none.</param>
    /// <param name="callId">The call id, or <see langword="null"/> to let the emulator make one up.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="code"/>, <paramref name="stdout"/> or <paramref name="stderr"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddCodeExecution(string code, string stdout, string stderr = "", int returnCode = 0, bool bash = false, IEnumerable<string>? imageUrls = null, string? callId = null)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        EnsureScripted();
        _parts.Add(ReplyPart.CodeExecutionCall(callId, new ReplyCodeExecution(code, stdout, stderr, returnCode, bash, [.. imageUrls ?? []])));
        return this;
    }

    /// <summary>Adds a call of a tool on a remote MCP server that the model's server made, and its result.</summary>
    /// <remarks>
    /// <para>Messages sends an <c>mcp_tool_use</c> block <c>{"id","name","server_name","input"}</c> (its input streamed in
    /// <c>input_json_delta</c>s), then, when there is a result, an <c>mcp_tool_result</c> block
    /// <c>{"tool_use_id","is_error","content":[{"type":"text","text"}]}</c>. Made-up ids are <c>mcptoolu_emu_1</c>, ….</para>
    /// <para>Responses sends an <c>mcp_call</c> item (<c>mcp_emu_1</c>, …) <c>{"status","server_label","name","arguments",
    /// "output","error"}</c>: <c>arguments: ""</c> at <c>response.output_item.added</c>, then
    /// <c>response.mcp_call.in_progress</c>, <c>response.mcp_call_arguments.delta</c>s, <c>response.mcp_call_arguments.done</c>
    /// and <c>response.mcp_call.completed</c> (<c>response.mcp_call.failed</c> and <c>status: "failed"</c> with the text as
    /// <c>error</c> when <paramref name="isError"/>).</para>
    /// <para>Chat Completions has no hosted tool calls and leaves the part out.</para>
    /// </remarks>
    /// <param name="server">The label (name) of the MCP server.</param>
    /// <param name="tool">The tool name.</param>
    /// <param name="argumentsJson">The arguments, a JSON object as text; Messages sends it parsed as <c>input</c>.</param>
    /// <param name="resultText">The tool's output, or <see langword="null"/> for a call without a result.</param>
    /// <param name="isError">Whether the output is an error the tool reported.</param>
    /// <param name="callId">The call id, or <see langword="null"/> to let the emulator make one up.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="server"/>, <paramref name="tool"/> or <paramref name="argumentsJson"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="argumentsJson"/> is not a JSON object.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddMcpCall(string server, string tool, string argumentsJson, string? resultText, bool isError = false, string? callId = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(tool);
        EnsureJsonObject(argumentsJson, nameof(argumentsJson));
        EnsureScripted();
        _parts.Add(ReplyPart.McpToolCall(callId, new ReplyMcpCall(server, tool, argumentsJson, resultText, isError)));
        return this;
    }

    /// <summary>Adds a request that the caller approve a call of a tool on a remote MCP server before the server makes it.</summary>
    /// <remarks>
    /// <para>Responses sends an <c>mcp_approval_request</c> item <c>{"id","type":"mcp_approval_request","server_label","name",
    /// "arguments"}</c>, the same at <c>response.output_item.added</c> and <c>response.output_item.done</c>; the caller answers
    /// with an <c>mcp_approval_response</c> input item naming <paramref name="requestId"/>.</para>
    /// <para>Messages and Chat Completions have no approval requests and leave the part out.</para>
    /// </remarks>
    /// <param name="requestId">The approval request id, such as <c>mcpr_1</c>.</param>
    /// <param name="server">The label (name) of the MCP server.</param>
    /// <param name="tool">The tool name.</param>
    /// <param name="argumentsJson">The arguments, a JSON object as text.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="requestId"/>, <paramref name="server"/>, <paramref name="tool"/> or <paramref name="argumentsJson"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="argumentsJson"/> is not a JSON object.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddMcpApprovalRequest(string requestId, string server, string tool, string argumentsJson)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(tool);
        EnsureJsonObject(argumentsJson, nameof(argumentsJson));
        EnsureScripted();
        _parts.Add(ReplyPart.McpApproval(requestId, new ReplyMcpCall(server, tool, argumentsJson, ResultText: null, IsError: false)));
        return this;
    }

    /// <summary>Adds a server-side image generation: partial images while it runs, then the final image.</summary>
    /// <remarks>
    /// <para>Responses sends an <c>image_generation_call</c> item (<c>ig_emu_1</c>, …): <c>result: null</c> at
    /// <c>response.output_item.added</c>, then <c>response.image_generation_call.in_progress</c> and <c>.generating</c>, one
    /// <c>response.image_generation_call.partial_image</c> <c>{"partial_image_index","partial_image_b64"}</c> per partial
    /// image, <c>response.image_generation_call.completed</c>, and the complete item
    /// <c>{"status":"completed","output_format":"png","result","revised_prompt"?}</c>.</para>
    /// <para>Messages and Chat Completions have no image generation and leave the part out.</para>
    /// </remarks>
    /// <param name="base64Png">The final image, base64-encoded.</param>
    /// <param name="partialImages">The partial images, base64-encoded, or <see langword="null"/> for none.</param>
    /// <param name="revisedPrompt">The prompt the server actually used, or <see langword="null"/> to send none.</param>
    /// <param name="callId">The call id, or <see langword="null"/> to let the emulator make one up.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="base64Png"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddImageGeneration(string base64Png, IEnumerable<string>? partialImages = null, string? revisedPrompt = null, string? callId = null)
    {
        ArgumentNullException.ThrowIfNull(base64Png);
        EnsureScripted();
        _parts.Add(ReplyPart.ImageGenerationCall(callId, new ReplyImageGeneration(base64Png, [.. partialImages ?? []], revisedPrompt)));
        return this;
    }

    /// <summary>Attaches a citation of a web page to the text part added just before it (by <see cref="AddText"/> or
    /// <see cref="AddPhasedText"/>); call it several times for several citations.</summary>
    /// <remarks>
    /// <para>Messages sends a <c>web_search_result_location</c> citation <c>{"type","cited_text","url","title",
    /// "encrypted_index"}</c> (no character positions): streamed as a <c>citations_delta</c> right after the text block's
    /// <c>content_block_start</c>, before its text, and in the block's <c>citations</c> array of a complete message.</para>
    /// <para>Responses sends a <c>url_citation</c> annotation <c>{"type","start_index","end_index","url","title"}</c> (no
    /// cited text): a <c>response.output_text.annotation.added</c> event (with <c>annotation_index</c>) after the part's
    /// text deltas, and in the <c>annotations</c> of the done content part and item.</para>
    /// <para>Chat Completions sends <c>{"type":"url_citation","url_citation":{"url","title","start_index","end_index"}}</c>
    /// in <c>annotations</c>: on a delta of its own after the part's last text piece, and on the complete message. Its
    /// indexes count in the message's whole <c>content</c>, so they are shifted by the length of the text parts before.</para>
    /// </remarks>
    /// <param name="url">The address of the cited page.</param>
    /// <param name="title">The title of the cited page.</param>
    /// <param name="citedText">The passage of the page the text relies on.</param>
    /// <param name="startIndex">The first character of the text part the citation covers, or <see langword="null"/> for the part's start.</param>
    /// <param name="endIndex">The character after the last one it covers, or <see langword="null"/> for the part's end.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="url"/>, <paramref name="title"/> or <paramref name="citedText"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is negative or past the text part's end, or the end comes before the start.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply, or the last part added is not text.</exception>
    public EmulatorReply AddCitation(string url, string title, string citedText, int? startIndex = null, int? endIndex = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(citedText);
        EnsureScripted();
        if (_parts.Count == 0 || _parts[^1].Kind != ReplyPartKind.Text)
        {
            throw new InvalidOperationException("A citation belongs to the text part added just before it: call AddText or AddPhasedText first.");
        }

        var text = _parts[^1].Text;
        var citation = new ReplyCitation(url, title, citedText, startIndex, endIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(citation.Start, nameof(startIndex));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(citation.End(text.Length), text.Length, nameof(endIndex));
        ArgumentOutOfRangeException.ThrowIfLessThan(citation.End(text.Length), citation.Start, nameof(endIndex));
        _parts[^1].Citations.Add(citation);
        return this;
    }

    /// <summary>
    /// Adds fields a client may not know (a programmatic call's <c>caller</c>, a gateway's own fields) to the block or item
    /// of the reasoning, text or tool call part added just before, sent verbatim wherever that block or item is written, so
    /// a client can be checked to keep them and carry them back.
    /// </summary>
    /// <remarks>
    /// <para>Messages writes them into the <c>thinking</c>, <c>text</c> or <c>tool_use</c> block, at
    /// <c>content_block_start</c> and in a complete message.</para>
    /// <para>Responses writes them into the <c>reasoning</c>, <c>message</c> or <c>function_call</c> item, at
    /// <c>response.output_item.added</c>, at <c>response.output_item.done</c> and in the response's <c>output</c>; text parts
    /// that share a message item all add theirs to it.</para>
    /// <para>Chat Completions writes those of a tool call into its <c>tool_calls</c> entry (the first delta of the call and
    /// the complete message) and has no place for those of reasoning or text, which it leaves out.</para>
    /// </remarks>
    /// <param name="json">A JSON object whose fields are added; a field named like one the block or item already has is
    /// written twice, as scripted.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not a JSON object.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply, or the last part added is not
    /// reasoning, text or a tool call.</exception>
    public EmulatorReply WithExtraFields(string json)
    {
        EnsureJsonObject(json, nameof(json));
        EnsureScripted();
        if (_parts.Count == 0 || _parts[^1].Kind is not (ReplyPartKind.Reasoning or ReplyPartKind.Text or ReplyPartKind.ToolCall))
        {
            throw new InvalidOperationException("Extra fields belong to the reasoning, text or tool call part added just before them: call AddReasoning, AddRawReasoning, AddText, AddPhasedText or AddToolCall first.");
        }

        _parts[^1].ExtraFields = json;
        return this;
    }

    /// <summary>
    /// Adds a block or item of a kind the script does not know (one a server sends that a client may not know either, such
    /// as <c>compaction</c>), sent verbatim in its place so a client can be checked to keep it and carry it back.
    /// </summary>
    /// <remarks>
    /// <para>Messages sends <paramref name="json"/> as a content block: whole at <c>content_block_start</c> (followed by
    /// <c>content_block_stop</c>, no deltas) and as an entry of a complete message's <c>content</c>.</para>
    /// <para>Responses sends it as an output item: the same at <c>response.output_item.added</c>, at
    /// <c>response.output_item.done</c> and in the response's <c>output</c>, with no events between.</para>
    /// <para>Chat Completions has no container for blocks or items and leaves the part out.</para>
    /// </remarks>
    /// <param name="json">The whole block or item, a JSON object with a <c>type</c>; sent as written.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not a JSON object.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddRawItem(string json)
    {
        EnsureJsonObject(json, nameof(json));
        EnsureScripted();
        _parts.Add(ReplyPart.Raw(json));
        return this;
    }

    /// <summary>
    /// Adds an event that carries no content, only an unknown field holding <paramref name="bytes"/> filler
    /// characters on a single <c>data:</c> line: <c>{"padding":"xxx…"}</c> in Chat Completions, a
    /// <c>ping</c> event <c>{"type":"ping","padding":"xxx…"}</c> in Messages, a <c>keepalive</c> event
    /// <c>{"type":"keepalive","sequence_number":N,"padding":"xxx…"}</c> in Responses. It is written piece by piece, never held
    /// in memory, so a padding of 100 MB tests how a client handles a line larger than it should accept. In a
    /// non-streamed reply the filler is a top-level <c>padding</c> field of the response object.
    /// </summary>
    /// <param name="bytes">The number of filler characters (ASCII, so also bytes).</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddPadding(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        EnsureScripted();
        _parts.Add(ReplyPart.Padding(bytes));
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

    /// <summary>
    /// Makes a streamed reply fail after HTTP 200: once all content parts are sent, an error event is sent
    /// and the stream ends, with no finish reason, usage or end marker. A non-streaming request gets the
    /// error as HTTP 500 instead, in the protocol's error body (see <see cref="HttpError"/>).
    /// </summary>
    /// <remarks>Chat Completions sends <c>data: {"error":{"message","type","code"}}</c>; Messages sends
    /// <c>event: error</c> with <c>{"type":"error","error":{"type","message"}}</c>; Responses sends an <c>error</c> event
    /// <c>{"type":"error","code","message","param":null}</c> followed by <c>response.failed</c>, whose response has
    /// <c>status: "failed"</c> and <c>error: {"code","message"}</c> (in both, the code, or the type when no code is given).</remarks>
    /// <param name="message">The error message.</param>
    /// <param name="type">The error type, such as <c>server_error</c> or <c>overloaded_error</c>.</param>
    /// <param name="code">The error code, or <see langword="null"/>; Chat Completions sends it beside the type, Responses instead of it, Messages not at all.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> or <paramref name="type"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply WithStreamError(string message, string type = "server_error", string? code = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(type);
        EnsureScripted();
        StreamError = new ReplyError(message, type, code);
        return this;
    }

    /// <summary>
    /// Makes a streamed reply end normally right after its content parts, with no finish reason, usage or
    /// end marker (Messages: no <c>message_delta</c> or <c>message_stop</c>; Responses: no terminal event), like a server
    /// that just stops. Has no effect on non-streaming requests. A Responses background response keeps its whole stream,
    /// terminal event included, for a client that resumes it.
    /// </summary>
    /// <returns>This reply.</returns>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply Truncated()
    {
        EnsureScripted();
        IsTruncated = true;
        return this;
    }

    /// <summary>
    /// Makes a streamed reply close the connection after exactly <paramref name="events"/> events have been written
    /// and flushed (0: right after the headers). When the reply has fewer events, the connection is closed
    /// after the last one instead of ending normally. Has no effect on non-streaming requests.
    /// </summary>
    /// <remarks>The events are sent in full before the connection closes, and nothing after them: the body ends without
    /// its terminating chunk, so a client reads exactly those events, then fails as on a connection lost mid-body.</remarks>
    /// <param name="events">The number of events to send before the connection is aborted.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="events"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply DropConnectionAfter(int events)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        EnsureScripted();
        DropAfterEvents = events;
        return this;
    }

    /// <summary>
    /// Makes a streamed reply stop after <paramref name="events"/> events have been written and flushed (0: right
    /// after the headers) until <paramref name="resume"/> completes, the client goes away or the emulator is
    /// disposed. A test can so read exactly what was sent before a fault, then let the fault happen: with
    /// <see cref="DropConnectionAfter"/> of the same count, the connection is aborted when <paramref name="resume"/>
    /// completes; with a task that never completes, the server stalls mid-stream.
    /// </summary>
    /// <param name="events">The number of events to send before pausing.</param>
    /// <param name="resume">The task whose completion ends the pause.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="events"/> is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="resume"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply PauseAfter(int events, Task resume)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        ArgumentNullException.ThrowIfNull(resume);
        EnsureScripted();
        PauseAfterEvents = events;
        ResumeAfterPause = resume;
        return this;
    }

    /// <summary>
    /// Makes a Responses background response (<c>"background": true</c>) answer its first <paramref name="polls"/>
    /// <c>GET /v1/responses/{id}</c> polls with <c>status: "in_progress"</c> (no output, no usage), and the later ones with
    /// the finished response object. By default (0) the first poll gets the finished object.
    /// </summary>
    /// <remarks>Chat Completions and Messages have no background responses and ignore it.</remarks>
    /// <param name="polls">The number of polls answered with <c>in_progress</c>.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="polls"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply WithPollsBeforeCompletion(int polls)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(polls);
        EnsureScripted();
        PollsBeforeCompletion = polls;
        return this;
    }

    /// <summary>Makes a streamed reply wait between events (after flushing one, before writing the next).</summary>
    /// <param name="delay">The wait; cancelled when the client aborts or the emulator is disposed.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply WithDelayBetweenEvents(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        EnsureScripted();
        DelayBetweenEvents = delay;
        return this;
    }

    /// <summary>Makes the reply wait before sending the status line and headers (or, for a reset reply, before the reset), for any kind of reply.</summary>
    /// <param name="delay">The wait; cancelled when the client aborts or the emulator is disposed.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public EmulatorReply WithDelayBeforeHeaders(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        DelayBeforeHeaders = delay;
        return this;
    }

    /// <summary>
    /// Adds a response header, for any kind of reply that sends a response. It replaces a header of the same name the emulator
    /// would send (such as <c>Content-Type</c>); adding the same name twice sends both values.
    /// </summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The header value.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public EmulatorReply WithHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        _headers.Add(new KeyValuePair<string, string>(name, value));
        return this;
    }

    /// <summary>Sets the line ending of a streamed reply's events: <c>"\n"</c> (the default), <c>"\r\n"</c> or <c>"\r"</c>.</summary>
    /// <param name="lineEnding">The line ending.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentException"><paramref name="lineEnding"/> is not one of the three SSE line endings.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply WithLineEnding(string lineEnding)
    {
        if (lineEnding is not ("\n" or "\r\n" or "\r"))
        {
            throw new ArgumentException("The line ending must be \"\\n\", \"\\r\\n\" or \"\\r\".", nameof(lineEnding));
        }

        EnsureScripted();
        LineEnding = lineEnding;
        return this;
    }

    /// <summary>Makes a streamed reply send an SSE comment line (<c>: PROCESSING</c>) before each event,
    /// as some servers do to keep a connection alive.</summary>
    /// <returns>This reply.</returns>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply WithComments()
    {
        EnsureScripted();
        EmitComments = true;
        return this;
    }

    /// <summary>
    /// Makes the reply compress its body with gzip and send <c>Content-Encoding: gzip</c>, whether or not the
    /// request asked for it; a stream is flushed through the compressor after every event, so events still
    /// arrive one by one. Applies to scripted, error and raw replies.
    /// </summary>
    /// <returns>This reply.</returns>
    /// <exception cref="InvalidOperationException">This is a reset reply, which sends no body.</exception>
    public EmulatorReply WithGzip()
    {
        if (Kind == ReplyKind.Reset)
        {
            throw new InvalidOperationException("A reply created by ResetBeforeHeaders sends no body to compress.");
        }

        IsGzip = true;
        return this;
    }

    private static void EnsureJsonObject(string json, string paramName)
    {
        ArgumentNullException.ThrowIfNull(json, paramName);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return;
            }
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("The value must be a JSON object: " + ex.Message, paramName, ex);
        }

        throw new ArgumentException("The value must be a JSON object.", paramName);
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
