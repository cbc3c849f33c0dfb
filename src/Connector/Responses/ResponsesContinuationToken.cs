using System.Buffers;
using System.Globalization;
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
    /// <exception cref="ArgumentException">
    /// The token is not a Responses continuation token, its <c>response_id</c> cannot name a response in a path (empty,
    /// <c>.</c> or <c>..</c>), or its <c>sequence_number</c> is present but not a whole number from 0 to <see cref="long.MaxValue"/>.
    /// </exception>
    public static ResponsesContinuationToken From(ResponseContinuationToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parsed = token as ResponsesContinuationToken ?? Parse(token.ToBytes().Span)
            ?? throw Invalid("is not a continuation token of a Responses background response");
        if (!IsPathSegment(parsed.ResponseId))
        {
            throw Invalid("names a response_id that is no path segment ('.', '..' or empty)");
        }

        return parsed;
    }

    /// <summary>
    /// Returns whether <paramref name="id"/>, escaped, names exactly <c>responses/{id}</c>: every character but the dot is
    /// escaped where it could end the segment, so only an empty id and the dot segments <c>.</c> and <c>..</c> would leave it.
    /// </summary>
    public static bool IsPathSegment(string id) => id.Length > 0 && id is not ("." or "..");

    private static ResponsesContinuationToken? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            string? id = null;
            long? sequence = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("response_id"u8))
                {
                    reader.Read();
                    id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("sequence_number"u8))
                {
                    // Resuming from the start instead would repeat what the caller already has: a position that cannot be
                    // read is an error, not a missing one. JSON null is none, as a token without the field.
                    reader.Read();
                    sequence = reader.TokenType switch
                    {
                        JsonTokenType.Null => null,
                        JsonTokenType.Number when reader.TryGetInt64(out var n) && n >= 0 => n,
                        _ => throw Invalid("has a sequence_number that is not a whole number from 0 to " + long.MaxValue.ToString(CultureInfo.InvariantCulture)),
                    };
                }
                else
                {
                    reader.Read();
                }

                reader.Skip();
            }

            return id is null ? null : new ResponsesContinuationToken(id, sequence);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ArgumentException Invalid(string problem) =>
        new("ChatOptions.ContinuationToken " + problem + "; pass a token a response of this client returned, or its bytes unchanged.", "options");

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
