using System.Text;
using System.Text.Json;

namespace YuHuan.Connector.Testing;

/// <summary>Collects the lines of one exchange of a cassette file as they are read; <paramref name="firstLine"/> names
/// the line it began on (<c>Line 2 of 'file'</c>) for an exchange left incomplete.</summary>
internal sealed class CassetteExchangeBuilder(int number, string firstLine)
{
    private CassetteRequest? _request;
    private CassetteResponse? _response;
    private (TimeSpan At, CassetteOutcome Outcome, string? Error)? _end;

    // The piece of the body being read: its first line and the lines that continue it.
    private readonly List<byte[]> _piece = [];
    private TimeSpan _pieceAt;

    public void Add(JsonElement line)
    {
        if (_end is not null)
        {
            throw new InvalidDataException($"exchange {number} already ended");
        }

        if (line.TryGetProperty("request", out var request))
        {
            if (_request is not null)
            {
                throw new InvalidDataException($"exchange {number} has two requests");
            }

            var body = request.TryGetProperty("body", out var json)
                ? json.GetRawText()
                : request.TryGetProperty("body_text", out var text) ? text.GetString() ?? string.Empty : string.Empty;
            _request = new CassetteRequest(CassetteFormat.ReadString(request, "method"), CassetteFormat.ReadString(request, "path"), CassetteFormat.ReadString(request, "query"), body);
        }
        else if (line.TryGetProperty("response", out var response))
        {
            if (_request is null || _response is not null)
            {
                throw new InvalidDataException($"a response of exchange {number} must follow its request, once");
            }

            var headers = new List<KeyValuePair<string, string>>();
            if (response.TryGetProperty("headers", out var headerObject) && headerObject.ValueKind == JsonValueKind.Object)
            {
                foreach (var header in headerObject.EnumerateObject())
                {
                    headers.Add(CassetteFormat.IsFraming(header.Name)
                        ? throw new InvalidDataException($"the header \"{header.Name}\" frames the body on the wire; a cassette keeps the body decoded, and the replay frames it itself")
                        : new(header.Name, header.Value.GetString() ?? string.Empty));
                }
            }

            var status = response.TryGetProperty("status", out var s) && s.TryGetInt32(out var code) && code is >= 100 and <= 599
                ? code
                : throw new InvalidDataException("\"status\" must be an HTTP status code");
            long? length = !response.TryGetProperty("length", out var l) || l.ValueKind == JsonValueKind.Null ? null
                : l.ValueKind == JsonValueKind.Number && l.TryGetInt64(out var count) && count >= 0 ? count
                : throw new InvalidDataException("\"length\" must be a count of bytes");
            _response = new CassetteResponse(CassetteFormat.ReadTime(response), status, headers, length);
        }
        else if (line.TryGetProperty("chunk", out var chunk))
        {
            if (_response is null)
            {
                throw new InvalidDataException($"a chunk of exchange {number} must follow its response");
            }

            var data = chunk.TryGetProperty("text", out var text)
                ? Encoding.UTF8.GetBytes(text.GetString() ?? string.Empty)
                : chunk.TryGetProperty("base64", out var base64) ? base64.GetBytesFromBase64() : throw new InvalidDataException("a chunk needs \"text\" or \"base64\"");
            var continuesPiece = chunk.TryGetProperty("continues", out var continues) && continues.ValueKind == JsonValueKind.True;
            if (continuesPiece && _piece.Count == 0)
            {
                throw new InvalidDataException($"a chunk of exchange {number} that continues must follow a chunk");
            }

            // A line that continues holds the rest of the piece of the line before, written apart at an event's end.
            if (!continuesPiece)
            {
                EndPiece();
                _pieceAt = CassetteFormat.ReadTime(chunk);
            }

            _piece.Add(data);
        }
        else if (line.TryGetProperty("end", out var end))
        {
            var outcome = CassetteFormat.ParseOutcome(end.TryGetProperty("outcome", out var o) ? o.GetString() : null);
            if ((outcome == CassetteOutcome.Failed) != (_response is null))
            {
                throw new InvalidDataException(outcome == CassetteOutcome.Failed
                    ? $"exchange {number} failed but has a response"
                    : $"exchange {number} ended \"{CassetteFormat.OutcomeName(outcome)}\" without a response");
            }

            EndPiece();
            _end = (CassetteFormat.ReadTime(end), outcome, end.TryGetProperty("error", out var error) ? error.GetString() : null);
        }
        else
        {
            throw new InvalidDataException("expected a \"request\", \"response\", \"chunk\" or \"end\" object");
        }
    }

    public CassetteExchange Build()
    {
        if (_request is null || _end is not { } end)
        {
            throw new InvalidDataException($"{firstLine} begins exchange {number}, which has no {(_request is null ? "request" : "end")} line.");
        }

        // A declared length is what the replay declares: the pieces must fill it, or stop short of it where the body was cut.
        if (_response?.ContentLength is { } length)
        {
            var total = _response.Chunks.Sum(c => (long)c.Data.Length);
            if (end.Outcome == CassetteOutcome.Complete ? total != length : total > length)
            {
                throw new InvalidDataException(
                    $"{firstLine} begins exchange {number}, whose body of {total} bytes does not fit its declared length of {length} bytes"
                    + " (a piece edited by hand must keep its length, or the length must follow it).");
            }
        }

        return new CassetteExchange(_request, _response, end.Outcome, end.At, end.Error);
    }

    /// <summary>Adds the piece being read to the response, its lines joined.</summary>
    private void EndPiece()
    {
        if (_piece.Count > 0)
        {
            _response!.Chunks.Add(new CassetteChunk(_pieceAt, [.. _piece.SelectMany(part => part)]));
            _piece.Clear();
        }
    }
}
