using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Http;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Messages;

/// <summary>
/// Maps an Anthropic Messages stream (or one complete <c>message</c> object) onto updates.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Wire</term><description>Update</description></listheader>
/// <item><term><c>message_start</c></term><description>ids and model of every update; usage merged; pre-filled <c>content</c> and <c>stop_reason</c> honoured. A repeated start with the same id is ignored; one with another id while a message is open is an error.</description></item>
/// <item><term><c>text_delta</c></term><description><see cref="TextContent"/>; a content-part array in <c>text</c> (a gateway copying Mistral's, in a delta or a complete text block) is read as Chat Completions reads it (<see cref="ContentParts"/>): text parts <see cref="TextContent"/>, thinking parts <see cref="TextReasoningContent"/>.</description></item>
/// <item><term>fields of a <c>text</c>, <c>thinking</c>, <c>redacted_thinking</c> or <c>tool_use</c> block the mapping does not use (a programmatic call's <c>caller</c>)</term><description>kept on the block's first content under <see cref="MessagesKeys.Fields"/> (see <see cref="WireFields"/>), so the block goes back with them.</description></item>
/// <item><term><c>thinking_delta</c></term><description><see cref="TextReasoningContent"/>.</description></item>
/// <item><term><c>signature_delta</c></term><description>a last, empty <see cref="TextReasoningContent"/> of the block whose <see cref="TextReasoningContent.ProtectedData"/> is the signature ("comes last in a thinking block").</description></item>
/// <item><term><c>redacted_thinking</c></term><description><see cref="TextReasoningContent"/> with the encrypted data as <see cref="TextReasoningContent.ProtectedData"/>, marked <see cref="ReasoningMarkers.Redacted"/>.</description></item>
/// <item><term><c>tool_use</c> + <c>input_json_delta</c></term><description>one complete <see cref="FunctionCallContent"/> at <c>content_block_stop</c> ("parse only at block stop"); an input given whole at block start is used when no delta carried any.</description></item>
/// <item><term><c>citations_delta</c>, <c>citations</c> of a complete text block</term><description><see cref="CitationAnnotation"/>s on the block's <see cref="TextContent"/> (see <see cref="MessagesBlockCitations"/>). A streamed block's text is held from its first citation to its stop and then reported as one content carrying the block's JSON, so a later request sends the block back with its citations.</description></item>
/// <item><term>server tool, MCP and unknown blocks</term><description>one content per block at its stop (see <see cref="MessagesServerBlocks"/>), kept with the block's complete JSON (<see cref="MessagesBlockBuilder"/>); never a function call, never a failure.</description></item>
/// <item><term><c>message_delta</c></term><description>the finish reason; usage merged (cumulative, "merge with what <c>message_start</c> said, never replace").</description></item>
/// <item><term><c>message_stop</c></term><description>one <see cref="UsageContent"/>: input = <c>input_tokens</c> + <c>cache_read_input_tokens</c> + <c>cache_creation_input_tokens</c>, cached input = <c>cache_read_input_tokens</c>, cache creation in <see cref="UsageDetails.AdditionalCounts"/>.</description></item>
/// <item><term><c>error</c></term><description><see cref="YuHuanApiException"/> with the error's type, after what arrived before it.</description></item>
/// <item><term><c>index</c> of a block event</term><description>the block's identity: one that is not a non-negative 32-bit integer, or a block started at an index still open, is <c>invalid_response</c> (two blocks under one index would fuse or lose tool calls); an index may be used again after its stop.</description></item>
/// </list>
/// </remarks>
internal sealed class MessagesStreamMapper : StreamMapperBase
{
    private const string Name = "Messages";
    private const string CacheCreation = "cache_creation_input_tokens";

    private readonly ResponseState _response = new();
    private readonly ToolCallAccumulator _toolCalls = new();
    private readonly Dictionary<int, OpenBlock> _blocks = [];
    private HeldText? _held;
    private int _lastTextIndex = -1;
    private ChatFinishReason? _finishReason;
    private bool _finishReported;
    private bool _started;

    private enum EventKind
    {
        Unknown,
        MessageStart,
        BlockStart,
        BlockDelta,
        BlockStop,
        MessageDelta,
        MessageStop,
        Ping,
        Error,
    }

    private enum BlockKind
    {
        Other,
        Text,
        Thinking,
        RedactedThinking,
        ToolUse,
    }

    public MessagesStreamMapper()
        : base(Name)
    {
    }

    /// <inheritdoc />
    public override ChatResponseUpdate? OnEndOfStream() =>
        IsCompleted ? null : throw ClientErrors.IncompleteStream(Name, "message_stop");

    /// <inheritdoc />
    public override void ReadResponse(ReadOnlySpan<byte> json, IList<ChatResponseUpdate> updates)
    {
        try
        {
            if (ReadTypeField(json) == EventKind.Error)
            {
                throw ReadError(json);
            }

            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw ClientErrors.InvalidResponse(Name, "the response is not a JSON object");
            }

            List<AIContent>? contents = null;
            var sawMessage = ReadMessage(ref reader, json, ref contents);
            IsCompleted = true;
            _response.FlushHeld(ref contents);
            TakeUsage(ref contents);
            if (!sawMessage && contents is null && _finishReason is null)
            {
                throw ClientErrors.InvalidResponse(Name, "the response holds no message");
            }

            updates.Add(_response.NewUpdate(contents, _finishReason));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw ClientErrors.Unreadable(Name, ex);
        }
    }

    /// <inheritdoc />
    protected override ChatResponseUpdate? OnPayload(string eventType, ReadOnlySpan<byte> payload)
    {
        // The event line names the type; without one (the SSE default, "message"), the payload's "type" does.
        var kind = KindOf(eventType);
        if (kind == EventKind.Unknown && eventType == "message")
        {
            kind = ReadTypeField(payload);
        }

        return kind switch
        {
            EventKind.BlockDelta => OnBlockDelta(payload),
            EventKind.BlockStart => OnBlockStart(payload),
            EventKind.BlockStop => OnBlockStop(payload),
            EventKind.MessageStart => OnMessageStart(payload),
            EventKind.MessageDelta => OnMessageDelta(payload),
            EventKind.MessageStop => OnMessageStop(),
            EventKind.Error => throw ReadError(payload),
            _ => null,
        };
    }

    private static EventKind KindOf(ReadOnlySpan<char> type) => type switch
    {
        "content_block_delta" => EventKind.BlockDelta,
        "content_block_start" => EventKind.BlockStart,
        "content_block_stop" => EventKind.BlockStop,
        "message_start" => EventKind.MessageStart,
        "message_delta" => EventKind.MessageDelta,
        "message_stop" => EventKind.MessageStop,
        "ping" => EventKind.Ping,
        "error" => EventKind.Error,
        _ => EventKind.Unknown,
    };

    /// <summary>Finds the top-level <c>type</c> of an event object, wherever it stands among the fields.</summary>
    private static EventKind ReadTypeField(ReadOnlySpan<byte> payload) => KindOf(JsonReading.EventType(payload, Name, stackalloc char[32]));

    private static YuHuanApiException ReadError(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        reader.Read();

        // {"type":"error","error":{"type":"overloaded_error","message":…}}: the inner type wins over "error".
        GatewayError.ReadErrorObject(ref reader, out var message, out var type, out var code);
        return GatewayError.InStream(message, type, code);
    }

    private static Utf8JsonReader ObjectReader(ReadOnlySpan<byte> payload) => JsonReading.EventObject(payload, Name);

    /// <summary>The raw JSON text of the value at the reader's position (its first token), which is skipped.</summary>
    private static ReadOnlySpan<byte> RawValue(scoped ref Utf8JsonReader reader, ReadOnlySpan<byte> data)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return data[start..(int)reader.BytesConsumed];
    }

    private static BlockKind BlockKindOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return BlockKind.Other;
        }

        return reader.ValueTextEquals("text"u8) ? BlockKind.Text
            : reader.ValueTextEquals("thinking"u8) ? BlockKind.Thinking
            : reader.ValueTextEquals("tool_use"u8) ? BlockKind.ToolUse
            : reader.ValueTextEquals("redacted_thinking"u8) ? BlockKind.RedactedThinking
            : BlockKind.Other;
    }

    /// <summary>Puts the open block's unused fields on its first content (whose properties survive merging), once.</summary>
    private static T GiveFields<T>(OpenBlock? block, T content)
        where T : AIContent
    {
        if (block?.Fields is { } fields)
        {
            block.Fields = null;
            WireFields.Keep(content, MessagesKeys.Fields, fields);
        }

        return content;
    }

    private static TextReasoningContent Redacted(string data) => new(string.Empty)
    {
        ProtectedData = data,
        AdditionalProperties = new() { [ReasoningMarkers.Redacted] = true },
    };

    /// <summary>Reads a content block object (the reader at its start) into <paramref name="block"/>.</summary>
    private static void ReadBlock(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref BlockFields block)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                block.Kind = BlockKindOf(ref reader);
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                // A string, or (a gateway copying Mistral's arrays) content parts: text parts text, thinking parts reasoning.
                reader.Read();
                block.Text = ContentParts.Read(ref reader, ref block.PartsReasoning);
            }
            else if (reader.ValueTextEquals("thinking"u8))
            {
                reader.Read();
                block.Thinking = JsonReading.TextOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("signature"u8))
            {
                reader.Read();
                block.Signature = JsonReading.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                block.Data = JsonReading.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                block.Id = JsonReading.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                block.Name = JsonReading.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("input"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    block.Input = RawValue(ref reader, data);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("citations"u8))
            {
                reader.Read();
                var peek = reader;
                if (reader.TokenType == JsonTokenType.StartArray && peek.Read() && peek.TokenType != JsonTokenType.EndArray)
                {
                    block.Citations = RawValue(ref reader, data);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                // A field the mapping does not use (a tool_use block's caller, say): it goes back with the block.
                block.Unused.Take(ref reader);
            }
        }

        // A block kept as it came carries its fields in its JSON.
        block.Fields = block.Kind == BlockKind.Other ? null : block.Unused.ToJson(data);
    }

    /// <summary>Reads the citation objects of a <c>citations</c> array's JSON.</summary>
    private static List<JsonElement> ReadCitations(ReadOnlySpan<byte> array)
    {
        var citations = new List<JsonElement>();
        foreach (var citation in JsonElement.Parse(array).EnumerateArray())
        {
            citations.Add(citation);
        }

        return citations;
    }

    private ChatResponseUpdate? OnBlockDelta(ReadOnlySpan<byte> payload)
    {
        var reader = ObjectReader(payload);
        var index = -1;
        string? text = null;
        string? thinking = null;
        string? partsReasoning = null;
        string? signature = null;
        var partialJson = ReadOnlySpan<byte>.Empty;
        var hasPartialJson = false;
        var citation = ReadOnlySpan<byte>.Empty;
        var deltaStart = -1;
        var deltaEnd = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                index = JsonReading.Index(ref reader, Name, "index");
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                deltaStart = (int)reader.TokenStartIndex;

                // The field names tell the delta types apart: text_delta {text}, thinking_delta {thinking},
                // signature_delta {signature}, input_json_delta {partial_json}; others (citations) carry none of them.
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("text"u8))
                    {
                        // A string, or (a gateway copying Mistral's arrays) content parts: thinking parts are reasoning.
                        reader.Read();
                        text = ContentParts.Read(ref reader, ref partsReasoning);
                    }
                    else if (reader.ValueTextEquals("thinking"u8))
                    {
                        reader.Read();
                        thinking = JsonReading.TextOrNull(ref reader);
                    }
                    else if (reader.ValueTextEquals("signature"u8))
                    {
                        reader.Read();
                        signature = JsonReading.NonEmptyString(ref reader);
                    }
                    else if (reader.ValueTextEquals("partial_json"u8))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            // Kept escaped: pieces may split an escape sequence and are unescaped once the call is complete.
                            partialJson = reader.ValueSpan;
                            hasPartialJson = true;
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                    else if (reader.ValueTextEquals("citation"u8))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            citation = RawValue(ref reader, payload);
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

                deltaEnd = (int)reader.BytesConsumed;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        List<AIContent>? contents = null;
        _blocks.TryGetValue(index, out var open);
        if (_response.JoinReasoning(ContentParts.Concat(thinking, partsReasoning)) is { } reasoning)
        {
            (contents ??= new(1)).Add(GiveFields(open, new TextReasoningContent(reasoning)));
        }

        if (signature is not null)
        {
            if (open is not null)
            {
                open.Signature = null;
            }

            (contents ??= new(1)).Add(GiveFields(open, new TextReasoningContent(string.Empty) { ProtectedData = signature }));
        }

        if (text is not null)
        {
            if (_held is { } held && held.Index == index)
            {
                held.Text.Append(text);
            }
            else if (_response.JoinText(text) is { } answer)
            {
                _lastTextIndex = index;
                (contents ??= new(1)).Add(GiveFields(open, new TextContent(answer)));
            }
        }
        else if (!citation.IsEmpty)
        {
            HoldCitation(index, citation);
        }
        else if (thinking is null && signature is null && deltaEnd > deltaStart && _blocks.TryGetValue(index, out var block))
        {
            if (block.Kind == BlockKind.ToolUse)
            {
                if (hasPartialJson)
                {
                    _toolCalls.GetOrAdd(index).Receive(null, null, partialJson, argumentsAreObject: false);
                }
            }
            else if (block.Builder is { } builder)
            {
                if (hasPartialJson)
                {
                    builder.AppendInput(partialJson);
                }
                else
                {
                    builder.ApplyDelta(payload[deltaStart..deltaEnd]);
                }
            }
        }

        return contents is null ? null : _response.NewUpdate(contents);
    }

    /// <summary>Takes a citation of a text block: from the first one, the block's text is held until its stop.</summary>
    private void HoldCitation(int index, ReadOnlySpan<byte> citation)
    {
        if (_held is null || _held.Index != index)
        {
            if (!_blocks.TryGetValue(index, out var block) || block.Kind != BlockKind.Text)
            {
                return;
            }

            // Text of the block reported before its first citation cannot be taken back: the block then goes back without its JSON.
            _held = new HeldText(index, whole: _lastTextIndex != index, block.Fields);
        }

        _held.Citations.Add(JsonElement.Parse(citation));
    }

    private ChatResponseUpdate? OnBlockStart(ReadOnlySpan<byte> payload)
    {
        var reader = ObjectReader(payload);
        var index = -1;
        var block = default(BlockFields);
        var sawBlock = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                index = JsonReading.Index(ref reader, Name, "index");
            }
            else if (reader.ValueTextEquals("content_block"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    var start = (int)reader.TokenStartIndex;
                    ReadBlock(ref reader, payload, ref block);
                    block.Json = payload[start..(int)reader.BytesConsumed];
                    sawBlock = true;
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

        if (!sawBlock)
        {
            return null;
        }

        if (_blocks.ContainsKey(index))
        {
            // Two open blocks under one index: their deltas and stop could not be told apart.
            throw ClientErrors.InvalidResponse(Name, $"a content block started at index {index}, where a block is still open");
        }

        var open = new OpenBlock(block.Kind) { Fields = block.Fields };
        _blocks[index] = open;
        List<AIContent>? contents = null;
        if (block.Kind == BlockKind.Text && _response.JoinReasoning(block.PartsReasoning) is { } partsReasoning)
        {
            (contents ??= new(1)).Add(new TextReasoningContent(partsReasoning));
        }

        switch (block.Kind)
        {
            case BlockKind.Text when !block.Citations.IsEmpty:
                // Citations in the start: the block is held whole, so it goes back with them.
                _held = new HeldText(index, whole: true, block.Fields);
                _held.Citations.AddRange(ReadCitations(block.Citations));
                if (block.Text is not null)
                {
                    _held.Text.Append(block.Text);
                }

                break;

            case BlockKind.Text when _response.JoinText(block.Text) is { } text:
                _lastTextIndex = index;
                (contents ??= new(1)).Add(GiveFields(open, new TextContent(text)));
                break;

            case BlockKind.Other:
                open.Builder = new MessagesBlockBuilder(block.Json);
                break;

            case BlockKind.Thinking:
                if (_response.JoinReasoning(block.Thinking) is { } reasoning)
                {
                    (contents ??= new(1)).Add(GiveFields(open, new TextReasoningContent(reasoning)));
                }

                // A signature given at the start goes out at the block's end, unless a signature_delta replaces it.
                open.Signature = block.Signature;
                break;

            case BlockKind.RedactedThinking when block.Data is not null:
                (contents ??= new(1)).Add(GiveFields(open, Redacted(block.Data)));
                break;

            case BlockKind.ToolUse:
                _toolCalls.GetOrAdd(index).Receive(block.Id, block.Name, ReadOnlySpan<byte>.Empty, argumentsAreObject: false);
                if (!block.Input.IsEmpty)
                {
                    open.Input = block.Input.ToArray();
                }

                break;
        }

        return contents is null ? null : _response.NewUpdate(contents);
    }

    private ChatResponseUpdate? OnBlockStop(ReadOnlySpan<byte> payload)
    {
        var reader = ObjectReader(payload);
        var index = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIndex = reader.ValueTextEquals("index"u8);
            reader.Read();
            if (isIndex)
            {
                index = JsonReading.Index(ref reader, Name, "index");
            }
            else
            {
                reader.Skip();
            }
        }

        if (!_blocks.Remove(index, out var block))
        {
            return null;
        }

        List<AIContent>? contents = null;
        if (block.Kind == BlockKind.Text && _held is { } held && held.Index == index)
        {
            _held = null;
            (contents ??= new(1)).Add(held.Complete());
        }
        else if (block.Builder is { } builder)
        {
            (contents ??= new(1)).Add(MessagesServerBlocks.Map(builder.Complete()));
        }
        else if (block.Kind == BlockKind.Thinking && block.Signature is { } signature)
        {
            (contents ??= new(1)).Add(GiveFields(block, new TextReasoningContent(string.Empty) { ProtectedData = signature }));
        }
        else if (block.Kind == BlockKind.ToolUse && _toolCalls.Find(index) is { } call)
        {
            // Deltas whose partial_json are all empty mean {}; an input given whole at the start counts when no delta carried any.
            if (!call.HasArguments && block.Input is { } input)
            {
                call.Receive(null, null, input, argumentsAreObject: true);
            }

            (contents ??= new(1)).Add(GiveFields(block, _toolCalls.Complete(index)!));
        }

        return contents is null ? null : _response.NewUpdate(contents);
    }

    private ChatResponseUpdate? OnMessageStart(ReadOnlySpan<byte> payload)
    {
        var reader = ObjectReader(payload);
        List<AIContent>? contents = null;
        var sawMessage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                if (_started)
                {
                    CheckRepeatedStart(ref reader);
                    return null;
                }

                sawMessage = ReadMessage(ref reader, payload, ref contents);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        _started |= sawMessage;
        return contents is null ? null : _response.NewUpdate(contents);
    }

    /// <summary>A second <c>message_start</c>: harmless with the same id, two spliced responses with another.</summary>
    private void CheckRepeatedStart(ref Utf8JsonReader reader)
    {
        string? id = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            reader.Read();
            if (isId)
            {
                id = JsonReading.NonEmptyString(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        if (id is not null && _response.ResponseId is { } current && id != current)
        {
            throw ClientErrors.InvalidResponse(Name, $"a second message ('{id}') started while '{current}' was open: two responses were spliced");
        }
    }

    /// <summary>Reads a <c>message</c> object (the reader at its start): ids, model, usage, stop reason and complete content blocks.</summary>
    /// <returns><see langword="true"/> when the object had an id, model or content, so it is a message.</returns>
    private bool ReadMessage(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref List<AIContent>? contents)
    {
        var isMessage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                _response.ReadResponseId(ref reader);
                isMessage = true;
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                _response.ReadModelId(ref reader);
                isMessage = true;
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                _response.MergeUsage(ref reader);
            }
            else if (reader.ValueTextEquals("stop_reason"u8))
            {
                reader.Read();
                _finishReason = ReadStopReason(ref reader) ?? _finishReason;
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                isMessage = true;
                while (JsonReading.NextObjectInArray(ref reader))
                {
                    var block = default(BlockFields);
                    var start = (int)reader.TokenStartIndex;
                    ReadBlock(ref reader, data, ref block);
                    block.Json = data[start..(int)reader.BytesConsumed];
                    AddCompleteBlock(ref block, ref contents);
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return isMessage;
    }

    private void AddCompleteBlock(ref BlockFields block, ref List<AIContent>? contents)
    {
        if (block.Kind == BlockKind.Text && block.PartsReasoning is { } partsReasoning)
        {
            (contents ??= new(1)).Add(new TextReasoningContent(partsReasoning));
        }

        switch (block.Kind)
        {
            case BlockKind.Text when block.Text is not null && !block.Citations.IsEmpty:
                var citations = ReadCitations(block.Citations);
                var cited = new TextContent(block.Text) { Annotations = MessagesBlockCitations.Annotate(citations, block.Text) };
                (contents ??= new(1)).Add(WireItems.Keep(cited, block.Json, MessagesServerBlocks.Protocol));
                break;

            case BlockKind.Text when block.Text is not null:
                (contents ??= new(1)).Add(WireFields.Keep(new TextContent(block.Text), MessagesKeys.Fields, block.Fields));
                break;

            case BlockKind.Other:
                (contents ??= new(1)).Add(MessagesServerBlocks.Map(block.Json));
                break;

            case BlockKind.Thinking when block.Thinking is not null || block.Signature is not null:
                (contents ??= new(1)).Add(WireFields.Keep(new TextReasoningContent(block.Thinking ?? string.Empty) { ProtectedData = block.Signature }, MessagesKeys.Fields, block.Fields));
                break;

            case BlockKind.RedactedThinking when block.Data is not null:
                (contents ??= new(1)).Add(WireFields.Keep(Redacted(block.Data), MessagesKeys.Fields, block.Fields));
                break;

            case BlockKind.ToolUse:
                var call = _toolCalls.AddNext();
                call.Receive(block.Id, block.Name, block.Input, argumentsAreObject: true);
                (contents ??= new(1)).Add(WireFields.Keep(_toolCalls.Complete(call.Key)!, MessagesKeys.Fields, block.Fields));
                break;
        }
    }

    private static ChatFinishReason? ReadStopReason(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return FinishReasons.Map(reader.GetString());
        }

        reader.Skip();
        return null;
    }

    private ChatResponseUpdate? OnMessageDelta(ReadOnlySpan<byte> payload)
    {
        var reader = ObjectReader(payload);
        ChatFinishReason? finishReason = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isStopReason = reader.ValueTextEquals("stop_reason"u8);
                    reader.Read();
                    if (isStopReason)
                    {
                        finishReason = ReadStopReason(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                _response.MergeUsage(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (finishReason is null)
        {
            return null;
        }

        _finishReason = finishReason;
        _finishReported = true;
        return _response.NewUpdate(null, finishReason);
    }

    private ChatResponseUpdate? OnMessageStop()
    {
        IsCompleted = true;
        List<AIContent>? contents = null;
        if (_toolCalls.HasPending)
        {
            // Blocks the server never stopped: their calls are as complete as they will get.
            _toolCalls.CompleteAll(contents ??= new(1));
        }

        if (_blocks.Count > 0)
        {
            CompleteUnstopped(ref contents);
        }

        _response.FlushHeld(ref contents);
        TakeUsage(ref contents);
        var finishReason = _finishReported ? null : _finishReason;
        return contents is null && finishReason is null ? null : _response.NewUpdate(contents, finishReason);
    }

    /// <summary>Reports the kept blocks and the held cited text the server never stopped, in block order: as complete as they will get.</summary>
    private void CompleteUnstopped(ref List<AIContent>? contents)
    {
        foreach (var index in _blocks.Keys.Order())
        {
            var block = _blocks[index];
            if (block.Builder is { } builder)
            {
                (contents ??= new(1)).Add(MessagesServerBlocks.Map(builder.Complete()));
            }
            else if (block.Kind == BlockKind.Text && _held is { } held && held.Index == index)
            {
                (contents ??= new(1)).Add(held.Complete());
            }
        }

        _blocks.Clear();
        _held = null;
    }

    /// <summary>Adds the usage with the input counted as Anthropic's own client counts it: cache reads and writes included.</summary>
    private void TakeUsage(ref List<AIContent>? contents)
    {
        if (!_response.HasUsage)
        {
            return;
        }

        var usage = _response.Usage;
        var cacheCreation = usage.AdditionalCounts is { } counts && counts.TryGetValue(CacheCreation, out var created) ? created : 0;
        if (usage.InputTokenCount is not null || usage.CachedInputTokenCount is not null || cacheCreation != 0)
        {
            usage.InputTokenCount = (usage.InputTokenCount ?? 0) + (usage.CachedInputTokenCount ?? 0) + cacheCreation;
        }

        _response.TakeUsage(ref contents);
    }

    /// <summary>The fields of one content block, as far as the mapper uses them.</summary>
    private ref struct BlockFields
    {
        public BlockKind Kind;
        public string? Text;
        public string? Thinking;
        public string? Signature;
        public string? Data;
        public string? Id;
        public string? Name;
        public ReadOnlySpan<byte> Input;
        public ReadOnlySpan<byte> Citations;
        public ReadOnlySpan<byte> Json;
        public string? PartsReasoning;
        public UnusedFields Unused;
        public string? Fields;
    }

    /// <summary>A content block between its start and its stop.</summary>
    private sealed class OpenBlock(BlockKind kind)
    {
        public BlockKind Kind { get; } = kind;

        /// <summary>Gets or sets the signature given at the block's start, still to be reported.</summary>
        public string? Signature { get; set; }

        /// <summary>Gets or sets the input given whole at the block's start.</summary>
        public byte[]? Input { get; set; }

        /// <summary>Gets or sets the builder of a block that is kept as it came.</summary>
        public MessagesBlockBuilder? Builder { get; set; }

        /// <summary>Gets or sets the block's fields the mapping does not use, still to go out on its first content; see <see cref="MessagesKeys.Fields"/>.</summary>
        public string? Fields { get; set; }
    }

    /// <summary>A text block with citations, whose text is held until its stop.</summary>
    /// <param name="index">The block's index.</param>
    /// <param name="whole">Whether the held content will hold all of the block's text, and so can carry the block's JSON.</param>
    /// <param name="fields">The block's fields the mapping does not use, as a JSON object, or <see langword="null"/>.</param>
    private sealed class HeldText(int index, bool whole, string? fields)
    {
        public int Index { get; } = index;

        public System.Text.StringBuilder Text { get; } = new();

        public List<JsonElement> Citations { get; } = [];

        /// <summary>Builds the block's content: its text with the citations, and its JSON when the content holds all of its text.</summary>
        public TextContent Complete()
        {
            var text = Text.ToString();
            var content = new TextContent(text) { Annotations = MessagesBlockCitations.Annotate(Citations, text) };
            return whole ? WireItems.Keep(content, MessagesBlockCitations.Block(fields, text, Citations), MessagesServerBlocks.Protocol) : content;
        }
    }
}
