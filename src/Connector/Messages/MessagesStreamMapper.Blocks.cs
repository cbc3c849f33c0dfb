// Streamed content blocks: content_block_start, content_block_delta and content_block_stop, each read here and handed to
// the concern of the block's kind (text and thinking, tool calls, kept blocks).
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Messages;

internal sealed partial class MessagesStreamMapper
{
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
                index = JsonReading.Index(ref reader, Protocol, "index");
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
            throw ClientErrors.InvalidResponse(Protocol, $"a content block started at index {index}, where a block is still open");
        }

        var open = new MessagesOpenBlock(block.Kind) { Fields = block.Fields };
        _blocks[index] = open;
        List<AIContent>? contents = null;
        switch (block.Kind)
        {
            case MessagesBlockKind.Text:
                StartText(index, open, ref block, ref contents);
                break;
            case MessagesBlockKind.Thinking:
                StartThinking(open, ref block, ref contents);
                break;
            case MessagesBlockKind.RedactedThinking when block.Data is not null:
                (contents ??= new(1)).Add(GiveFields(open, Redacted(block.Data)));
                break;
            case MessagesBlockKind.ToolUse:
                StartToolUse(index, open, ref block);
                break;
            case MessagesBlockKind.Other:
                StartKept(open, ref block);
                break;
        }

        return contents is null ? null : Response.NewUpdate(contents);
    }

    private ChatResponseUpdate? OnBlockDelta(ReadOnlySpan<byte> payload)
    {
        var delta = ReadBlockDelta(payload, out var index);
        _blocks.TryGetValue(index, out var open);
        List<AIContent>? contents = null;
        ThinkingDelta(open, ref delta, ref contents);
        if (delta.Text is not null || !delta.Citation.IsEmpty)
        {
            TextDelta(index, open, ref delta, ref contents);
        }
        else if (delta.Thinking is null && delta.Signature is null && !delta.Json.IsEmpty && open is not null)
        {
            if (open.Kind == MessagesBlockKind.ToolUse)
            {
                ToolInputDelta(index, ref delta);
            }
            else if (open.Builder is { } builder)
            {
                KeptBlockDelta(builder, ref delta);
            }
        }

        return contents is null ? null : Response.NewUpdate(contents);
    }

    private ChatResponseUpdate? OnBlockStop(ReadOnlySpan<byte> payload)
    {
        var reader = ObjectReader(payload);
        var index = -1;
        while (JsonReading.SeekField(ref reader, "index"u8))
        {
            index = JsonReading.Index(ref reader, Protocol, "index");
        }

        if (!_blocks.Remove(index, out var block))
        {
            return null;
        }

        var content = block.Kind switch
        {
            MessagesBlockKind.Text => StopText(index),
            MessagesBlockKind.Thinking => StopThinking(block),
            MessagesBlockKind.ToolUse => StopToolUse(index, block),
            _ => StopKept(block),
        };
        return content is null ? null : Response.NewUpdate([content]);
    }

    /// <summary>Reads a <c>content_block_delta</c>: its block's index and its <c>delta</c>.</summary>
    private BlockDelta ReadBlockDelta(ReadOnlySpan<byte> payload, out int index)
    {
        var reader = ObjectReader(payload);
        index = -1;
        var delta = default(BlockDelta);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                index = JsonReading.Index(ref reader, Protocol, "index");
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                var start = (int)reader.TokenStartIndex;
                ReadDeltaFields(ref reader, payload, ref delta);
                delta.Json = payload[start..(int)reader.BytesConsumed];
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return delta;
    }

    /// <summary>
    /// Reads the fields of a <c>delta</c> object (the reader at its start). The field names tell the delta types apart:
    /// <c>text_delta {text}</c>, <c>thinking_delta {thinking}</c>, <c>signature_delta {signature}</c>,
    /// <c>input_json_delta {partial_json}</c>, <c>citations_delta {citation}</c>; others (<c>compaction_delta</c>) carry none of them.
    /// </summary>
    private static void ReadDeltaFields(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, ref BlockDelta delta)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (ReadTextField(ref reader, ref delta.Text, ref delta.PartsReasoning, ref delta.Thinking, ref delta.Signature))
            {
                continue;
            }

            if (reader.ValueTextEquals("partial_json"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    // Kept escaped: pieces may split an escape sequence and are unescaped once the call is complete.
                    delta.PartialJson = reader.ValueSpan;
                    delta.HasPartialJson = true;
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
                    delta.Citation = JsonReading.RawValue(ref reader, payload);
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

    /// <summary>The fields of one <c>content_block_delta</c>'s <c>delta</c>, as far as the mapper uses them.</summary>
    private ref struct BlockDelta
    {
        public string? Text;
        public string? Thinking;
        public string? PartsReasoning;
        public string? Signature;
        public ReadOnlySpan<byte> PartialJson;
        public bool HasPartialJson;
        public ReadOnlySpan<byte> Citation;

        /// <summary>The delta object's JSON; empty when the event had none.</summary>
        public ReadOnlySpan<byte> Json;
    }
}
