// Streamed content blocks: content_block_start, content_block_delta (text, thinking, signature, tool input, citations) and content_block_stop.
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Messages;

internal sealed partial class MessagesStreamMapper
{
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
