// Tool calls: reading tool_calls entries and function objects into pending calls, and completing them with their unused fields.
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.ChatCompletions;

internal sealed partial class ChatCompletionsStreamMapper
{
    /// <summary>Completes the pending calls, each with the fields of its entry the mapping does not use.</summary>
    private void CompleteCalls(ref List<AIContent>? contents)
    {
        if (!_toolCalls.HasPending)
        {
            return;
        }

        var first = contents?.Count ?? 0;
        _toolCalls.CompleteAll(contents ??= new(1));
        if (_callFields is null)
        {
            return;
        }

        for (var i = first; i < contents.Count; i++)
        {
            if (contents[i] is FunctionCallContent call && _callFields.Remove(call.CallId, out var fields))
            {
                WireFields.Keep(call, ChatCompletionsKeys.Fields, fields);
            }
        }
    }

    private void ReadToolCall(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, bool isMessage, int position)
    {
        int? index = null;
        string? id = null;
        string? name = null;
        var arguments = ReadOnlySpan<byte>.Empty;
        var argumentsAreObject = false;
        var unused = default(UnusedFields);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                var value = JsonReading.Index(ref reader, Protocol, "index");
                index = value < 0 ? null : value;
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = JsonReading.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("function"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                ReadFunctionFields(ref reader, data, ref name, ref arguments, ref argumentsAreObject);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                reader.Skip();
            }
            else
            {
                // A field the mapping does not use (extra_content, say): it goes back with the call.
                unused.Take(ref reader);
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

        call.Receive(id, name, arguments, argumentsAreObject);
        if (unused.Any && call.Id is { } callId)
        {
            (_callFields ??= new(StringComparer.Ordinal)).TryAdd(callId, unused.ToJson(data)!);
        }
    }

    private static void ReadFunction(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ToolCallAccumulator.PendingCall call)
    {
        string? name = null;
        var arguments = ReadOnlySpan<byte>.Empty;
        var argumentsAreObject = false;
        ReadFunctionFields(ref reader, data, ref name, ref arguments, ref argumentsAreObject);
        call.Receive(null, name, arguments, argumentsAreObject);
    }

    /// <summary>Reads the members of a <c>function</c> object (<c>name</c>, <c>arguments</c>) up to its end.</summary>
    private static void ReadFunctionFields(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref string? name, ref ReadOnlySpan<byte> arguments, ref bool argumentsAreObject)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = JsonReading.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                reader.Read();
                if (JsonReading.TryReadArguments(ref reader, data, out var raw, out var rawIsObject))
                {
                    arguments = raw;
                    argumentsAreObject = rawIsObject;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }
}
