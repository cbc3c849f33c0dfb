using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Responses;

/// <summary>
/// Names a background response and, for a stream, the last event the caller received: its bytes are the UTF-8 JSON
/// <c>{"response_id":"resp_…","sequence_number":N}</c>, so a token kept with <see cref="ResponseContinuationToken.ToBytes"/>
/// and restored with <see cref="ResponseContinuationToken.FromBytes"/> resumes just as well.
/// </summary>
internal sealed class ResponsesContinuationToken : ResponseContinuationToken
{
    public ResponsesContinuationToken(string responseId, long? sequenceNumber)
    {
        ResponseId = responseId;
        SequenceNumber = sequenceNumber;
    }

    /// <summary>Gets the id of the background response.</summary>
    public string ResponseId { get; }

    /// <summary>Gets the sequence number of the last event received, or <see langword="null"/> when none was (or for polling).</summary>
    public long? SequenceNumber { get; }

    /// <summary>Reads any continuation token: one of ours, or one restored from its bytes.</summary>
    /// <exception cref="ArgumentException">The token is not a Responses continuation token.</exception>
    public static ResponsesContinuationToken From(ResponseContinuationToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token is ResponsesContinuationToken ours)
        {
            return ours;
        }

        try
        {
            var reader = new Utf8JsonReader(token.ToBytes().Span);
            string? id = null;
            long? sequence = null;
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("response_id"u8))
                    {
                        reader.Read();
                        id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    }
                    else if (reader.ValueTextEquals("sequence_number"u8))
                    {
                        reader.Read();
                        sequence = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n) && n >= 0 ? n : null;
                    }
                    else
                    {
                        reader.Read();
                    }

                    reader.Skip();
                }
            }

            if (!string.IsNullOrEmpty(id))
            {
                return new ResponsesContinuationToken(id, sequence);
            }
        }
        catch (JsonException)
        {
            // Reported below, as any other token that is not ours.
        }

        throw new ArgumentException("ChatOptions.ContinuationToken is not a continuation token of a Responses background response.", "options");
    }

    /// <inheritdoc />
    public override ReadOnlyMemory<byte> ToBytes()
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("response_id"u8, ResponseId);
            if (SequenceNumber is { } sequence)
            {
                writer.WriteNumber("sequence_number"u8, sequence);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
