// Function calls: their streamed and done arguments, and telling one call from another at an index.

using System.Text.Json;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

internal sealed partial class ResponsesStreamMapper
{
    private void OnArgumentsDelta(ReadOnlySpan<byte> payload)
    {
        var e = ReadItemEvent(payload, deltaIsText: false);
        var item = ItemAt(e.Index, payload, e.ItemIdStart);
        if (item.Done)
        {
            // The call went out complete already: a late piece must not start another.
            return;
        }

        if (item.Kind == ResponsesItemKind.Unknown)
        {
            item.Kind = ResponsesItemKind.FunctionCall;
        }

        // Kept escaped: pieces may split an escape sequence and are unescaped once the call is complete.
        _toolCalls.GetOrAdd(item.Index).Receive(null, null, e.Raw, argumentsAreObject: false);
    }

    private void OnArgumentsDone(ReadOnlySpan<byte> payload)
    {
        // "done may lack name"; its arguments are the complete ones.
        var e = ReadItemEvent(payload, deltaIsText: false);
        var item = ItemAt(e.Index, payload, e.ItemIdStart);
        if (item.Done)
        {
            return;
        }

        var call = _toolCalls.GetOrAdd(item.Index);
        call.Receive(null, e.Name, ReadOnlySpan<byte>.Empty, argumentsAreObject: false);
        if (!e.Arguments.IsEmpty)
        {
            call.ReplaceArguments(e.Arguments, e.ArgumentsAreObject);
        }
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
