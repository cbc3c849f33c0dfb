using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.ChatCompletions;

/// <summary>
/// Maps Chat Completions chunks onto updates: one update per chunk that carries something, tool-call
/// fragments gathered into complete calls (emitted with the finish reason), usage once at the end.
/// A complete (non-streamed) <c>chat.completion</c> object reads the same way, <c>message</c> standing for <c>delta</c>.
/// </summary>
/// <remarks>
/// Each <c>reasoning_details</c> entry is a <see cref="TextReasoningContent"/> of its own, with its own signature or
/// encrypted data as <see cref="TextReasoningContent.ProtectedData"/> and the entries kept for the writer (see
/// <see cref="ReasoningDetailsRun"/>); a plain <c>reasoning</c> field beside them, which repeats their text, is not read
/// twice. A streamed <c>refusal</c> is gathered and reported once, with the finish reason, as one
/// <see cref="ErrorContent"/>. Fields of a <c>tool_calls</c> entry the mapping does not use (<c>extra_content</c>) are kept
/// on its call under <see cref="ChatCompletionsKeys.Fields"/>.
/// </remarks>
internal sealed partial class ChatCompletionsStreamMapper : StreamMapperBase
{
    private const string Name = "Chat Completions";

    private readonly ToolCallAccumulator _toolCalls = new();
    private readonly ResponseState _response = new(ChatCompletionsVocabulary.Usage);
    private readonly ThinkTagSplitter? _thinkTags;
    private bool _announced;
    private bool _sawFinishReason;
    private System.Text.StringBuilder? _refusal;
    private Dictionary<string, string>? _callFields;
    private ReasoningDetailsRun? _detailsRun;
    private List<TextReasoningContent>? _plainPieces;

    public ChatCompletionsStreamMapper(bool splitThinkTags = false)
        : base(Name) =>
        _thinkTags = splitThinkTags ? new ThinkTagSplitter() : null;

    /// <inheritdoc />
    public override ChatResponseUpdate? OnEndOfStream()
    {
        if (IsCompleted)
        {
            return null;
        }

        if (!_sawFinishReason)
        {
            throw ClientErrors.IncompleteStream(Name, "a finish reason or [DONE]");
        }

        IsCompleted = true;
        return CompleteResponse();
    }

    /// <inheritdoc />
    public override void ReadResponse(ReadOnlySpan<byte> json, IList<ChatResponseUpdate> updates)
    {
        if (OnEvent(default, json) is { } update)
        {
            updates.Add(update);
        }

        if (CompleteResponse() is { } last)
        {
            updates.Add(last);
        }

        if (updates.Count == 0)
        {
            throw ClientErrors.InvalidResponse(Name, "the response holds no choices");
        }
    }

    /// <inheritdoc />
    protected override ChatResponseUpdate? OnPayload(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> payload)
    {
        if (payload.SequenceEqual("[DONE]"u8))
        {
            IsCompleted = true;
            return CompleteResponse();
        }

        return ReadChunk(payload);
    }

    /// <summary>Ends the response: pending calls and usage go in a last update.</summary>
    private ChatResponseUpdate? CompleteResponse()
    {
        List<AIContent>? contents = null;
        _response.FlushHeld(ref contents);

        if (_thinkTags?.HasHeld == true)
        {
            _thinkTags.Flush(contents ??= new(1));
        }

        CompleteCalls(ref contents);
        TakeRefusal(ref contents);
        _response.TakeUsage(ref contents);
        return contents is null ? null : _response.NewUpdate(contents);
    }

    private ChatResponseUpdate? ReadChunk(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw ClientErrors.InvalidResponse(Name, "an event is not a JSON object");
        }

        List<AIContent>? contents = null;
        ChatFinishReason? finishReason = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                while (JsonReading.NextObjectInArray(ref reader))
                {
                    ReadChoice(ref reader, data, ref contents, ref finishReason);
                }
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                _response.ReadResponseId(ref reader);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                _response.ReadModelId(ref reader);
            }
            else if (reader.ValueTextEquals("created"u8))
            {
                reader.Read();
                _response.ReadCreatedAt(ref reader);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                // Some servers repeat cumulative usage on every chunk: the counts merge, so the last ones count, reported once.
                reader.Read();
                _response.MergeUsage(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                if (reader.TokenType is not JsonTokenType.Null)
                {
                    ErrorObjects.ReadErrorObject(ref reader, out var message, out var type, out var code);
                    throw ErrorObjects.InStream(message, type, code);
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (finishReason is not null)
        {
            _sawFinishReason = true;
            CompleteCalls(ref contents);
            TakeRefusal(ref contents);
        }

        if (contents is null && finishReason is null && _announced)
        {
            return null;
        }

        _announced = true;
        return _response.NewUpdate(contents, finishReason);
    }

    /// <summary>A streamed refusal, whose pieces were gathered: one <see cref="ErrorContent"/>, as a complete message gives.</summary>
    private void TakeRefusal(ref List<AIContent>? contents)
    {
        if (_refusal is null)
        {
            return;
        }

        (contents ??= new(1)).Add(new ErrorContent(_refusal.ToString()) { ErrorCode = "refusal" });
        _refusal = null;
    }

    /// <summary>
    /// Reads one choice. Only choice 0 is reported: a request for several choices (<c>n</c> &gt; 1 through
    /// <c>AdditionalProperties</c>) gets the first, never a mix of them. A choice without an index (or with a null one) counts as choice 0; an
    /// index that is not a non-negative 32-bit integer is <c>invalid_response</c>, never a choice silently left out.
    /// </summary>
    private void ReadChoice(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref List<AIContent>? contents, ref ChatFinishReason? finishReason)
    {
        int? index = null;
        ChatFinishReason? choiceFinishReason = null;
        var deferred = ReadOnlySpan<byte>.Empty;
        var deferredIsMessage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMessage = reader.ValueTextEquals("message"u8);
            if (isMessage || reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject || index is > 0)
                {
                    reader.Skip();
                }
                else if (index is null)
                {
                    // The index comes after the delta: keep the delta's bytes until the index says whose it is.
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    deferred = data[start..(int)reader.BytesConsumed];
                    deferredIsMessage = isMessage;
                }
                else
                {
                    ReadDelta(ref reader, data, isMessage, ref contents);
                }
            }
            else if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                var value = JsonReading.Index(ref reader, Name, "index");
                index = value < 0 ? null : value;
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    choiceFinishReason = ChatCompletionsVocabulary.FinishReason(reader.GetString());
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (index is > 0 or < 0)
        {
            return;
        }

        if (!deferred.IsEmpty)
        {
            var delta = new Utf8JsonReader(deferred);
            delta.Read();
            ReadDelta(ref delta, deferred, deferredIsMessage, ref contents);
        }

        finishReason = choiceFinishReason ?? finishReason;
    }

    private void ReadDelta(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, bool isMessage, ref List<AIContent>? contents)
    {
        string? text = null;
        string? reasoning = null;
        List<TextReasoningContent>? details = null;
        string? refusal = null;
        string? partsReasoning = null;
        List<AIAnnotation>? annotations = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                // A string, or (some servers) an array of parts: text parts are text, thinking parts reasoning.
                reader.Read();
                text = ContentParts.Read(ref reader, ref partsReasoning);
            }
            else if (reader.ValueTextEquals("reasoning_content"u8) || reader.ValueTextEquals("reasoning"u8))
            {
                // Servers that send both fields send the same text twice: keep the first non-empty one.
                reader.Read();
                var value = ContentParts.Read(ref reader);
                reasoning ??= value;
            }
            else if (reader.ValueTextEquals("reasoning_details"u8))
            {
                reader.Read();
                details = ReadReasoningDetails(ref reader, data);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                var position = 0;
                while (JsonReading.NextObjectInArray(ref reader))
                {
                    ReadToolCall(ref reader, data, isMessage, position++);
                }
            }
            else if (reader.ValueTextEquals("function_call"u8))
            {
                // The deprecated single-call form: one call, no id.
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadFunction(ref reader, data, _toolCalls.GetOrAdd(0));
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                reader.Read();
                refusal = ContentParts.Read(ref reader);
            }
            else if (reader.ValueTextEquals("annotations"u8))
            {
                reader.Read();
                annotations = ChatCompletionsAnnotations.Read(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (details is not null)
        {
            // Each entry is a reasoning content of its own, with its own signature; a plain reasoning field beside them
            // repeats their text.
            foreach (var detail in details)
            {
                detail.Text = _response.JoinReasoning(detail.Text) ?? string.Empty;
                var entry = (string)detail.AdditionalProperties![ChatCompletionsKeys.ReasoningDetail]!;
                // Plain pieces just before merge with the entry, so the run starts at the first of them.
                _detailsRun ??= _plainPieces is { } plain ? ReasoningDetailsRun.After(plain) : new ReasoningDetailsRun(detail);
                _plainPieces = null;
                _detailsRun.Add(detail, entry);
                if (detail.ProtectedData is not null)
                {
                    // A piece with a signature ends what merging joins: the next entry starts a run of its own.
                    _detailsRun = null;
                }

                (contents ??= new(details.Count)).Add(detail);
            }
        }
        else if (_response.JoinReasoning(reasoning ?? partsReasoning) is { } joined)
        {
            var piece = new TextReasoningContent(joined);
            (contents ??= new(1)).Add(piece);
            if (!isMessage && _detailsRun is null)
            {
                (_plainPieces ??= []).Add(piece);
            }
        }

        text = _response.JoinText(text);

        if (text is not null)
        {
            if (_thinkTags is null)
            {
                (contents ??= new(1)).Add(new TextContent(text));
            }
            else
            {
                _thinkTags.Split(text, contents ??= new(1));
            }
        }

        if (annotations is not null)
        {
            Annotate(ref contents, annotations);
        }

        if (text is not null || annotations is not null || refusal is not null)
        {
            // Content between reasoning pieces keeps them apart.
            _detailsRun = null;
            _plainPieces = null;
        }

        if (refusal is not null)
        {
            if (isMessage)
            {
                (contents ??= new(1)).Add(new ErrorContent(refusal) { ErrorCode = "refusal" });
            }
            else
            {
                // Pieces of one refusal: reported once, whole, with the finish reason.
                _refusal ??= new System.Text.StringBuilder();
                if ((long)_refusal.Length + refusal.Length >= ResponseLimits.MaxResponseBytes)
                {
                    throw ClientErrors.TooLarge("The refusal of the gateway's response (characters)", ResponseLimits.MaxResponseBytes);
                }

                _refusal.Append(refusal);
            }
        }
    }

    /// <summary>
    /// Puts citations on the text they belong to: the delta's own last text, else an empty text of their own (servers send
    /// them in a delta of their own, after the text), which <c>ToChatResponse</c> leaves beside the merged text
    /// (Microsoft.Extensions.AI never merges annotated text); their indices count in the whole message, which the merged text is.
    /// </summary>
    private static void Annotate(ref List<AIContent>? contents, List<AIAnnotation> annotations)
    {
        if (contents is { Count: > 0 } && contents[^1] is TextContent text)
        {
            if (text.Annotations is null)
            {
                text.Annotations = annotations;
                return;
            }

            foreach (var annotation in annotations)
            {
                text.Annotations.Add(annotation);
            }

            return;
        }

        (contents ??= new(1)).Add(new TextContent(string.Empty) { Annotations = annotations });
    }

    /// <summary>
    /// Reads a <c>reasoning_details</c> array: one <see cref="TextReasoningContent"/> per entry, its <c>text</c> or
    /// <c>summary</c> the text (not yet joined with a held surrogate half), its <c>signature</c> or encrypted <c>data</c>
    /// the <see cref="TextReasoningContent.ProtectedData"/>, the entry's JSON kept under
    /// <see cref="ChatCompletionsKeys.ReasoningDetail"/>; <see langword="null"/> when the array holds no entry.
    /// </summary>
    private static List<TextReasoningContent>? ReadReasoningDetails(ref Utf8JsonReader reader, ReadOnlySpan<byte> data)
    {
        List<TextReasoningContent>? details = null;
        while (JsonReading.NextObjectInArray(ref reader))
        {
            var start = (int)reader.TokenStartIndex;
            string? text = null;
            string? protectedData = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("summary"u8))
                {
                    reader.Read();
                    text = ContentParts.Concat(text, ContentParts.Read(ref reader));
                }
                else if (reader.ValueTextEquals("signature"u8) || reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    protectedData = JsonReading.NonEmptyString(ref reader) ?? protectedData;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            var entry = System.Text.Encoding.UTF8.GetString(data[start..(int)reader.BytesConsumed]);
            (details ??= []).Add(new TextReasoningContent(text ?? string.Empty)
            {
                ProtectedData = protectedData,
                AdditionalProperties = new() { [ChatCompletionsKeys.ReasoningDetail] = entry },
            });
        }

        return details;
    }
}
