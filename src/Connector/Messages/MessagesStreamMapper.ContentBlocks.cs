// Content block objects: reading one (of a block start or a complete message) and mapping a complete one.
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Messages;

internal sealed partial class MessagesStreamMapper
{
    private static MessagesBlockKind BlockKindOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return MessagesBlockKind.Other;
        }

        return reader.ValueTextEquals("text"u8) ? MessagesBlockKind.Text
            : reader.ValueTextEquals("thinking"u8) ? MessagesBlockKind.Thinking
            : reader.ValueTextEquals("tool_use"u8) ? MessagesBlockKind.ToolUse
            : reader.ValueTextEquals("redacted_thinking"u8) ? MessagesBlockKind.RedactedThinking
            : MessagesBlockKind.Other;
    }

    /// <summary>Reads a content block object (the reader at its start) into <paramref name="block"/>.</summary>
    private static void ReadBlock(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref BlockFields block)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (ReadTextField(ref reader, ref block.Text, ref block.PartsReasoning, ref block.Thinking, ref block.Signature))
            {
                continue;
            }

            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                block.Kind = BlockKindOf(ref reader);
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
                    block.Input = JsonReading.RawValue(ref reader, data);
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
                    block.Citations = JsonReading.RawValue(ref reader, data);
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
        block.Fields = block.Kind == MessagesBlockKind.Other ? null : block.Unused.ToJson(data);
    }

    /// <summary>
    /// Reads the field the reader is at (its name) when it is one that a content block and its deltas spell alike:
    /// <c>text</c> (a string, or, from a gateway copying Mistral's arrays, content parts: text parts are text, thinking parts
    /// reasoning), <c>thinking</c> or <c>signature</c>.
    /// </summary>
    /// <returns><see langword="true"/> when the field was one of them and was read; otherwise the reader is left at the name.</returns>
    private static bool ReadTextField(ref Utf8JsonReader reader, ref string? text, ref string? partsReasoning, ref string? thinking, ref string? signature)
    {
        if (reader.ValueTextEquals("text"u8))
        {
            reader.Read();
            text = ContentParts.Read(ref reader, ref partsReasoning);
            return true;
        }

        if (reader.ValueTextEquals("thinking"u8))
        {
            reader.Read();
            thinking = JsonReading.TextOrNull(ref reader);
            return true;
        }

        if (reader.ValueTextEquals("signature"u8))
        {
            reader.Read();
            signature = JsonReading.NonEmptyString(ref reader);
            return true;
        }

        return false;
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

    private void AddCompleteBlock(ref BlockFields block, ref List<AIContent>? contents)
    {
        if (block.Kind == MessagesBlockKind.Text && block.PartsReasoning is { } partsReasoning)
        {
            (contents ??= new(1)).Add(new TextReasoningContent(partsReasoning));
        }

        switch (block.Kind)
        {
            case MessagesBlockKind.Text when block.Text is not null && !block.Citations.IsEmpty:
                var citations = ReadCitations(block.Citations);
                var cited = new TextContent(block.Text) { Annotations = MessagesBlockCitations.Annotate(citations, block.Text) };
                (contents ??= new(1)).Add(WireItems.Keep(cited, block.Json, MessagesProtocol.DisplayName));
                break;

            case MessagesBlockKind.Text when block.Text is not null:
                (contents ??= new(1)).Add(WireFields.Keep(new TextContent(block.Text), MessagesKeys.Fields, block.Fields));
                break;

            case MessagesBlockKind.Other:
                (contents ??= new(1)).Add(MessagesServerBlocks.Map(block.Json));
                break;

            case MessagesBlockKind.Thinking when block.Thinking is not null || block.Signature is not null:
                (contents ??= new(1)).Add(WireFields.Keep(new TextReasoningContent(block.Thinking ?? string.Empty) { ProtectedData = block.Signature }, MessagesKeys.Fields, block.Fields));
                break;

            case MessagesBlockKind.RedactedThinking when block.Data is not null:
                (contents ??= new(1)).Add(WireFields.Keep(Redacted(block.Data), MessagesKeys.Fields, block.Fields));
                break;

            case MessagesBlockKind.ToolUse:
                var call = _toolCalls.AddNext();
                call.Receive(block.Id, block.Name, block.Input, argumentsAreObject: true);
                (contents ??= new(1)).Add(WireFields.Keep(_toolCalls.Complete(call.Key)!, MessagesKeys.Fields, block.Fields));
                break;
        }
    }

    /// <summary>The fields of one content block, as far as the mapper uses them.</summary>
    private ref struct BlockFields
    {
        public MessagesBlockKind Kind;
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
}
