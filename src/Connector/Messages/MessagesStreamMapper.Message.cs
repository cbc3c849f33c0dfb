// The message and its end: message_start (ids, model, a pre-filled message), message_delta (stop reason, usage) and
// message_stop, which completes what the server left open and reports the usage.
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Messages;

internal sealed partial class MessagesStreamMapper
{
    private const string CacheCreation = "cache_creation_input_tokens";

    private ChatResponseUpdate? OnMessageStart(ReadOnlySpan<byte> payload)
    {
        var reader = ObjectReader(payload);
        List<AIContent>? contents = null;
        var sawMessage = false;
        while (JsonReading.SeekField(ref reader, "message"u8))
        {
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

        _started |= sawMessage;
        return contents is null ? null : Response.NewUpdate(contents);
    }

    /// <summary>A second <c>message_start</c>: harmless with the same id, two spliced responses with another.</summary>
    private void CheckRepeatedStart(ref Utf8JsonReader reader)
    {
        string? id = null;
        while (JsonReading.SeekField(ref reader, "id"u8))
        {
            id = JsonReading.NonEmptyString(ref reader);
        }

        if (id is not null && Response.ResponseId is { } current && id != current)
        {
            throw ClientErrors.InvalidResponse(Protocol, $"a second message ('{id}') started while '{current}' was open: two responses were spliced");
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
                Response.ReadResponseId(ref reader);
                isMessage = true;
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                Response.ReadModelId(ref reader);
                isMessage = true;
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                Response.MergeUsage(ref reader);
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

    private static ChatFinishReason? ReadStopReason(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return MessagesVocabulary.StopReason(reader.GetString());
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

                while (JsonReading.SeekField(ref reader, "stop_reason"u8))
                {
                    finishReason = ReadStopReason(ref reader);
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                Response.MergeUsage(ref reader);
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
        return Response.NewUpdate(null, finishReason);
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

        Response.FlushHeld(ref contents);
        TakeUsage(ref contents);
        var finishReason = _finishReported ? null : _finishReason;
        return contents is null && finishReason is null ? null : Response.NewUpdate(contents, finishReason);
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
            else if (block.Kind == MessagesBlockKind.Text && _held is { } held && held.Index == index)
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
        if (!Response.HasUsage)
        {
            return;
        }

        var usage = Response.Usage;
        var cacheCreation = usage.AdditionalCounts is { } counts && counts.TryGetValue(CacheCreation, out var created) ? created : 0;
        if (usage.InputTokenCount is not null || usage.CachedInputTokenCount is not null || cacheCreation != 0)
        {
            usage.InputTokenCount = (usage.InputTokenCount ?? 0) + (usage.CachedInputTokenCount ?? 0) + cacheCreation;
        }

        Response.TakeUsage(ref contents);
    }
}
