// Function calls: their streamed and done arguments, and telling one call from another at an index.

using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

internal sealed partial class ResponsesStreamMapper
{
    /// <summary><c>response.function_call_arguments.delta</c>: a piece of a call's arguments, kept escaped (pieces may split an escape sequence and are unescaped once the call is complete).</summary>
    private ChatResponseUpdate? OnArgumentsDelta(ReadOnlySpan<byte> payload)
    {
        var reader = ObjectReader(payload);
        var at = ItemRef.None;
        var piece = ReadOnlySpan<byte>.Empty;
        while (NextItemEventField(ref reader, ref at))
        {
            if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    piece = payload.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }
        }

        var item = ItemAt(at, payload);
        if (item.Done)
        {
            // The call went out complete already: a late piece must not start another.
            return null;
        }

        if (item.Kind == ResponsesItemKind.Unknown)
        {
            item.Kind = ResponsesItemKind.FunctionCall;
        }

        _toolCalls.GetOrAdd(item.Index).Receive(null, null, piece, argumentsAreObject: false);
        return null;
    }

    /// <summary><c>response.function_call_arguments.done</c>: "done may lack name"; its arguments are the complete ones and replace the pieces.</summary>
    private ChatResponseUpdate? OnArgumentsDone(ReadOnlySpan<byte> payload)
    {
        var reader = ObjectReader(payload);
        var at = ItemRef.None;
        string? name = null;
        var arguments = ReadOnlySpan<byte>.Empty;
        var argumentsAreObject = false;
        while (NextItemEventField(ref reader, ref at))
        {
            if (reader.ValueTextEquals("arguments"u8))
            {
                reader.Read();
                JsonReading.TryReadArguments(ref reader, payload, out arguments, out argumentsAreObject);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = JsonReading.NonEmptyString(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        var item = ItemAt(at, payload);
        if (item.Done)
        {
            return null;
        }

        var call = _toolCalls.GetOrAdd(item.Index);
        call.Receive(null, name, ReadOnlySpan<byte>.Empty, argumentsAreObject: false);
        if (!arguments.IsEmpty)
        {
            call.ReplaceArguments(arguments, argumentsAreObject);
        }

        return null;
    }

    /// <summary>A done function call item: the call, complete, once (the item's non-empty <c>arguments</c> win over the pieces).</summary>
    private void CompleteCall(ResponsesOutputItem item, ref ItemFields fields, bool whole, ref List<AIContent>? contents)
    {
        var call = _toolCalls.GetOrAdd(item.Index);
        call.Receive(fields.CallId, fields.Name, ReadOnlySpan<byte>.Empty, argumentsAreObject: false);
        if (!fields.Arguments.IsEmpty)
        {
            // The done item's arguments are complete: a resumed stream may have seen only the tail of the pieces.
            call.ReplaceArguments(fields.Arguments, fields.ArgumentsAreObject);
        }

        if (whole && fields.InProgress)
        {
            // A polled response still writing the call: it goes out complete, at the end, or not at all.
            return;
        }

        _madeCall = true;
        var completed = _toolCalls.Complete(item.Index)!;
        item.CallId = completed.CallId;
        (contents ??= new(1)).Add(WireFields.Keep(completed, ResponsesKeys.Fields, item.Fields));
    }

    /// <summary>Whether an item object's JSON is a function call other than the one with <paramref name="callId"/>.</summary>
    private static bool IsAnotherCall(ReadOnlySpan<byte> item, string? callId)
    {
        var reader = new Utf8JsonReader(item);
        reader.Read();
        var isCall = false;
        string? id = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                isCall = ItemKindOf(ref reader) == ResponsesItemKind.FunctionCall;
            }
            else if (reader.ValueTextEquals("call_id"u8))
            {
                reader.Read();
                id = JsonReading.NonEmptyString(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return isCall && id != callId;
    }
}
