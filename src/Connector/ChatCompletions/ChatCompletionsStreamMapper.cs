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
/// <para>The protocol's events have no type: every one is a chunk (<see cref="OnChunk"/>), the last one <c>[DONE]</c>.
/// A stream that ends after a finish reason without <c>[DONE]</c> is complete; one that ends before is cut off.</para>
/// <para>Each <c>reasoning_details</c> entry is a <see cref="TextReasoningContent"/> of its own, with its own signature or
/// encrypted data as <see cref="TextReasoningContent.ProtectedData"/> and the entries kept for the writer (see
/// <see cref="ReasoningDetailsRun"/>); a plain <c>reasoning</c> field beside them, which repeats their text, is not read
/// twice. A streamed <c>refusal</c> is gathered and reported once, with the finish reason, as one
/// <see cref="ErrorContent"/>. Fields of a <c>tool_calls</c> entry the mapping does not use (<c>extra_content</c>) are kept
/// on its call under <see cref="ChatCompletionsKeys.Fields"/>.</para>
/// </remarks>
internal sealed partial class ChatCompletionsStreamMapper : StreamMapperBase<ChatCompletionsStreamMapper>
{
    /// <summary>The protocol's one kind of event: a chunk (or <c>[DONE]</c>).</summary>
    private static readonly EventTable<ChatCompletionsStreamMapper> Events = EventTable<ChatCompletionsStreamMapper>.Untyped(static (m, payload) => m.OnChunk(payload));

    private readonly ToolCallAccumulator _toolCalls = new();
    private readonly ThinkTagSplitter? _thinkTags;
    private bool _announced;
    private bool _sawFinishReason;
    private System.Text.StringBuilder? _refusal;
    private Dictionary<string, string>? _callFields;
    private ReasoningDetailsRun? _detailsRun;
    private List<TextReasoningContent>? _plainPieces;

    /// <summary>Initializes the mapper of one response.</summary>
    /// <param name="splitThinkTags">Whether text inside <c>&lt;think&gt;</c> tags is reasoning (<see cref="YuHuanChatClientOptions.SplitThinkTags"/>).</param>
    /// <param name="includeRawRepresentation">Whether updates carry the wire JSON they came from (<see cref="YuHuanChatClientOptions.IncludeRawRepresentation"/>).</param>
    public ChatCompletionsStreamMapper(bool splitThinkTags = false, bool includeRawRepresentation = false)
        : base(ChatCompletionsProtocol.DisplayName, "a finish reason or [DONE]", ChatCompletionsVocabulary.Usage, Events, includeRawRepresentation) =>
        _thinkTags = splitThinkTags ? new ThinkTagSplitter() : null;

    /// <summary>Gets a value indicating whether a finish reason arrived: then a stream without <c>[DONE]</c> is complete.</summary>
    protected override bool MayEndWithoutTerminal => _sawFinishReason;

    /// <inheritdoc />
    protected override ChatResponseUpdate? CompletePending() => CompleteResponse();

    /// <inheritdoc />
    protected override void ReadComplete(ReadOnlySpan<byte> json, IList<ChatResponseUpdate> updates)
    {
        var first = updates.Count;
        var payload = EventPayload.Of(json);
        if (!payload.IsEmpty && OnChunk(payload) is { } update)
        {
            updates.Add(update);
        }

        if (CompleteResponse() is { } last)
        {
            updates.Add(last);
        }

        if (updates.Count == first)
        {
            throw ClientErrors.InvalidResponse(Protocol, "the response holds no choices");
        }
    }

    /// <summary>A chunk, or <c>[DONE]</c>, which ends the response.</summary>
    private ChatResponseUpdate? OnChunk(ReadOnlySpan<byte> payload)
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
        Response.FlushHeld(ref contents);

        if (_thinkTags?.HasHeld == true)
        {
            _thinkTags.Flush(contents ??= new(1));
        }

        CompleteCalls(ref contents);
        TakeRefusal(ref contents);
        Response.TakeUsage(ref contents);
        return contents is null ? null : Response.NewUpdate(contents);
    }

    private ChatResponseUpdate? ReadChunk(ReadOnlySpan<byte> data)
    {
        var reader = ObjectReader(data);
        List<AIContent>? contents = null;
        ChatFinishReason? finishReason = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Every chunk passes here: a name is told by its length first, so the fields the mapping does not use
            // (object, service_tier, system_fingerprint) meet no comparison; one written with escapes is compared unescaped.
            var length = reader.ValueIsEscaped ? -1 : reader.ValueSpan.Length;
            if (length is 7 or -1 && reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                while (JsonReading.NextObjectInArray(ref reader))
                {
                    ReadChoice(ref reader, data, ref contents, ref finishReason);
                }
            }
            else if (length is 2 or -1 && reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                Response.ReadResponseId(ref reader);
            }
            else if (length is 5 or 7 or -1 && Response.ReadModelOrCreated(ref reader, "created"u8))
            {
                continue;
            }
            else if (length is 5 or -1 && reader.ValueTextEquals("usage"u8))
            {
                // Some servers repeat cumulative usage on every chunk: the counts merge, so the last ones count, reported once.
                reader.Read();
                Response.MergeUsage(ref reader);
            }
            else if (length is 5 or -1 && reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                if (reader.TokenType is not JsonTokenType.Null)
                {
                    throw ReadErrorObject(ref reader);
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
        return Response.NewUpdate(contents, finishReason);
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
            // Told by length first, as in ReadChunk: logprobs meets no comparison.
            var length = reader.ValueIsEscaped ? -1 : reader.ValueSpan.Length;
            var isMessage = length is 7 or -1 && reader.ValueTextEquals("message"u8);
            if (isMessage || (length is 5 or -1 && reader.ValueTextEquals("delta"u8)))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject || index is > 0)
                {
                    reader.Skip();
                }
                else if (index is null)
                {
                    // The index comes after the delta: keep the delta's bytes until the index says whose it is.
                    deferred = JsonReading.RawValue(ref reader, data);
                    deferredIsMessage = isMessage;
                }
                else
                {
                    ReadDelta(ref reader, data, isMessage, ref contents);
                }
            }
            else if (length is 5 or -1 && reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                var value = JsonReading.Index(ref reader, Protocol, "index");
                index = value < 0 ? null : value;
            }
            else if (length is 13 or -1 && reader.ValueTextEquals("finish_reason"u8))
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
}
