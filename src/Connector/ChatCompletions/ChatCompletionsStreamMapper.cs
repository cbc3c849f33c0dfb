using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Http;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.ChatCompletions;

/// <summary>
/// Maps Chat Completions chunks onto updates: one update per chunk that carries something, tool-call
/// fragments gathered into complete calls (emitted with the finish reason), usage once at the end.
/// A complete (non-streamed) <c>chat.completion</c> object reads the same way, <c>message</c> standing for <c>delta</c>.
/// </summary>
internal sealed class ChatCompletionsStreamMapper : IStreamMapper
{
    private const string Protocol = "Chat Completions";

    private readonly ToolCallAccumulator _toolCalls = new();
    private readonly ThinkTagSplitter? _thinkTags;
    private SplitSurrogate _textPair;
    private SplitSurrogate _reasoningPair;
    private RepeatedString _responseId;
    private RepeatedString _modelId;
    private DateTimeOffset? _createdAt;
    private long _createdSeconds = long.MinValue;
    private UsageDetails? _usage;
    private bool _announced;
    private bool _sawFinishReason;

    public ChatCompletionsStreamMapper(bool splitThinkTags = false) =>
        _thinkTags = splitThinkTags ? new ThinkTagSplitter() : null;

    /// <inheritdoc />
    public bool IsCompleted { get; private set; }

    /// <inheritdoc />
    public ChatResponseUpdate? OnEvent(string eventType, ReadOnlySpan<byte> data)
    {
        if (IsCompleted)
        {
            return null;
        }

        var payload = data.Trim(" \t\r\n"u8);
        if (payload.IsEmpty)
        {
            return null;
        }

        if (payload.SequenceEqual("[DONE]"u8))
        {
            IsCompleted = true;
            return CompleteResponse();
        }

        try
        {
            return ReadChunk(payload);
        }
        catch (JsonException ex)
        {
            throw GatewayError.Malformed(Protocol, $"an event is not valid JSON ({ex.Message})", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw GatewayError.Malformed(Protocol, $"an event has a field of the wrong type ({ex.Message})", ex);
        }
    }

    /// <inheritdoc />
    public ChatResponseUpdate? OnEndOfStream()
    {
        if (IsCompleted)
        {
            return null;
        }

        if (!_sawFinishReason)
        {
            throw new YuHuanApiException(
                "The gateway's Chat Completions stream ended without a finish reason or [DONE]: the response was cut off.",
                null,
                "incomplete_stream",
                null);
        }

        IsCompleted = true;
        return CompleteResponse();
    }

    /// <summary>Ends a complete, non-streamed object: pending calls and usage go in a last update.</summary>
    internal ChatResponseUpdate? CompleteResponse()
    {
        List<AIContent>? contents = null;
        if (_reasoningPair.Flush() is { } reasoningHalf)
        {
            (contents ??= new(1)).Add(new TextReasoningContent(reasoningHalf));
        }

        if (_textPair.Flush() is { } textHalf)
        {
            (contents ??= new(1)).Add(new TextContent(textHalf));
        }

        if (_thinkTags?.HasHeld == true)
        {
            _thinkTags.Flush(contents ??= new(1));
        }

        if (_toolCalls.HasPending)
        {
            _toolCalls.CompleteAll(contents ??= new(1));
        }

        if (_usage is not null)
        {
            UsageReader.CompleteTotal(_usage);
            (contents ??= new(1)).Add(new UsageContent(_usage));
            _usage = null;
        }

        return contents is null ? null : NewUpdate(contents, null);
    }

    private ChatResponseUpdate? ReadChunk(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw GatewayError.Malformed(Protocol, "an event is not a JSON object");
        }

        List<AIContent>? contents = null;
        ChatFinishReason? finishReason = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    // Every element is visited: one that is not an object (null, say) is skipped, not the end of the array.
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            ReadChoice(ref reader, data, ref contents, ref finishReason);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                _responseId.Read(ref reader);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                _modelId.Read(ref reader);
            }
            else if (reader.ValueTextEquals("created"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seconds) && seconds != _createdSeconds
                    && seconds is >= 0 and <= 253402300799)
                {
                    _createdSeconds = seconds;
                    _createdAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    // Some servers repeat cumulative usage on every chunk: the last one counts, reported once.
                    _usage = new UsageDetails();
                    UsageReader.Read(ref reader, _usage);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                if (reader.TokenType is not JsonTokenType.Null)
                {
                    GatewayError.ReadErrorObject(ref reader, out var message, out var type, out var code);
                    throw GatewayError.InStream(message, type, code);
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
            if (_toolCalls.HasPending)
            {
                _toolCalls.CompleteAll(contents ??= new(1));
            }
        }

        if (contents is null && finishReason is null && _announced)
        {
            return null;
        }

        _announced = true;
        return NewUpdate(contents, finishReason);
    }

    private void ReadChoice(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref List<AIContent>? contents, ref ChatFinishReason? finishReason)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("delta"u8) || reader.ValueTextEquals("message"u8))
            {
                var isMessage = reader.ValueTextEquals("message"u8);
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadDelta(ref reader, data, isMessage, ref contents);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    finishReason = FinishReasons.Map(reader.GetString());
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
    }

    private void ReadDelta(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, bool isMessage, ref List<AIContent>? contents)
    {
        string? text = null;
        string? reasoning = null;
        string? detailsReasoning = null;
        string? protectedData = null;
        string? refusal = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                text = ReadText(ref reader);
            }
            else if (reader.ValueTextEquals("reasoning_content"u8) || reader.ValueTextEquals("reasoning"u8))
            {
                // Servers that send both fields send the same text twice: keep the first non-empty one.
                reader.Read();
                var value = ReadText(ref reader);
                reasoning ??= value;
            }
            else if (reader.ValueTextEquals("reasoning_details"u8))
            {
                reader.Read();
                ReadReasoningDetails(ref reader, ref detailsReasoning, ref protectedData);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    var position = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            ReadToolCall(ref reader, data, isMessage, position++);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
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
                refusal = ReadText(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        reasoning = _reasoningPair.Join(reasoning ?? detailsReasoning);
        text = _textPair.Join(text);
        if (reasoning is not null || protectedData is not null)
        {
            (contents ??= new(1)).Add(new TextReasoningContent(reasoning ?? string.Empty) { ProtectedData = protectedData });
        }

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

        if (refusal is not null)
        {
            (contents ??= new(1)).Add(new ErrorContent(refusal) { ErrorCode = "refusal" });
        }
    }

    private void ReadToolCall(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, bool isMessage, int position)
    {
        int? index = null;
        string? id = null;
        string? name = null;
        var arguments = default(Utf8JsonReader);
        var hasArguments = false;
        var objectArguments = ReadOnlySpan<byte>.Empty;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value))
                {
                    index = value;
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("function"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                ReadFunctionFields(ref reader, data, ref name, ref arguments, ref hasArguments, ref objectArguments);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        ToolCallAccumulator.PendingCall call;
        if (isMessage)
        {
            // A complete message lists each call whole: every entry is a call of its own.
            call = _toolCalls.AddNext();
        }
        else if (index is { } i)
        {
            call = _toolCalls.GetOrAdd(i);
            if (id is not null && call.Id is not null && call.Id != id)
            {
                // Some servers number every call 0 and tell them apart only by id.
                call = _toolCalls.FindById(id) ?? _toolCalls.Add(i);
            }
        }
        else if (id is not null)
        {
            call = _toolCalls.FindById(id) ?? _toolCalls.AddNext();
        }
        else
        {
            call = _toolCalls.Last ?? _toolCalls.GetOrAdd(position);
            if (name is not null && call.Name is not null)
            {
                // A second name without index or id starts the next call.
                call = _toolCalls.AddNext();
            }
        }

        Apply(call, id, name, ref arguments, hasArguments, objectArguments);
    }

    private static void ReadFunction(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ToolCallAccumulator.PendingCall call)
    {
        string? name = null;
        var arguments = default(Utf8JsonReader);
        var hasArguments = false;
        var objectArguments = ReadOnlySpan<byte>.Empty;
        ReadFunctionFields(ref reader, data, ref name, ref arguments, ref hasArguments, ref objectArguments);
        Apply(call, null, name, ref arguments, hasArguments, objectArguments);
    }

    /// <summary>Reads the members of a <c>function</c> object (<c>name</c>, <c>arguments</c>) up to its end.</summary>
    private static void ReadFunctionFields(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref string? name, ref Utf8JsonReader arguments, ref bool hasArguments, ref ReadOnlySpan<byte> objectArguments)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                reader.Read();
                ReadArguments(ref reader, data, ref arguments, ref hasArguments, ref objectArguments);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadArguments(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref Utf8JsonReader arguments, ref bool hasArguments, ref ReadOnlySpan<byte> objectArguments)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            // Keep the reader where the string is; its unescaped bytes are copied once the call is known.
            arguments = reader;
            hasArguments = true;
        }
        else if (reader.TokenType is JsonTokenType.StartObject)
        {
            // A quirk of some servers: the arguments as an object rather than a string holding one.
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            objectArguments = data[start..(int)reader.BytesConsumed];
        }
        else
        {
            reader.Skip();
        }
    }

    private static void Apply(ToolCallAccumulator.PendingCall call, string? id, string? name, ref Utf8JsonReader arguments, bool hasArguments, ReadOnlySpan<byte> objectArguments)
    {
        if (id is not null && call.Id is null)
        {
            call.Id = id;
        }

        if (name is not null && call.Name is null)
        {
            call.Name = name;
        }

        if (hasArguments && arguments.ValueSpan.Length > 0)
        {
            // Kept escaped: the pieces are unescaped together once the call is complete.
            var raw = arguments.ValueSpan;
            var buffer = call.ArgumentsFor(raw.Length);
            raw.CopyTo(buffer.GetSpan(raw.Length));
            buffer.Advance(raw.Length);
        }
        else if (!objectArguments.IsEmpty)
        {
            // Escaped to match the string fragments; bytes that are not UTF-8 go in as they are, so the call reports them.
            var escaped = Utf8.IsValid(objectArguments)
                ? JsonEncodedText.Encode(objectArguments, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes
                : objectArguments;
            var buffer = call.ArgumentsFor(escaped.Length);
            escaped.CopyTo(buffer.GetSpan(escaped.Length));
            buffer.Advance(escaped.Length);
        }
    }

    private static void ReadReasoningDetails(ref Utf8JsonReader reader, ref string? text, ref string? protectedData)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("summary"u8))
                {
                    reader.Read();
                    var value = ReadText(ref reader);
                    if (value is not null)
                    {
                        text = text is null ? value : text + value;
                    }
                }
                else if (reader.ValueTextEquals("signature"u8) || reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    protectedData = NonEmptyString(ref reader) ?? protectedData;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
    }

    /// <summary>Reads a string, or the text parts of an array of content parts; <see langword="null"/> for null or empty.</summary>
    private static string? ReadText(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.ValueSpan.Length == 0 ? null : ReadString(ref reader);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        string? text = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("text"u8))
                {
                    reader.Read();
                    var part = reader.TokenType == JsonTokenType.String ? ReadString(ref reader) : null;
                    if (part is null)
                    {
                        reader.Skip();
                    }

                    text = text is null ? part : text + part;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }

        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>Reads a string; one holding half of a surrogate pair (split across events by the server) is kept as it is.</summary>
    private static string ReadString(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.GetString()!;
        }

        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return LenientJsonString.Decode(reader.ValueSpan);
        }
    }

    private static string? NonEmptyString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.ValueSpan.Length == 0 ? null : reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private ChatResponseUpdate NewUpdate(List<AIContent>? contents, ChatFinishReason? finishReason) =>
        new(ChatRole.Assistant, contents)
        {
            ResponseId = _responseId.Value,
            MessageId = _responseId.Value,
            ModelId = _modelId.Value,
            CreatedAt = _createdAt,
            FinishReason = finishReason,
        };
}
