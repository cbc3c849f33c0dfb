using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace YuHuan.Connector.Benchmarks.Infrastructure;

/// <summary>
/// The floor (case 5): the least work any client must do. It sends the request through the same
/// <see cref="HttpClient"/> transport, parses the stream with <see cref="SseParser"/>, and makes one
/// <see cref="Utf8JsonReader"/> pass over each event that extracts each delta as a string and nothing else:
/// no objects, no tool-call assembly, no usage.
/// </summary>
internal sealed class SseFloor
{
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _httpClient;
    private readonly Uri _uri;
    private readonly byte[] _body;
    private readonly byte[][] _deltaProperties;

    /// <summary>Initializes a floor reader.</summary>
    /// <param name="handler">The transport.</param>
    /// <param name="uri">The full request address.</param>
    /// <param name="deltaProperties">The names of the JSON properties whose string values are deltas, as the
    /// case's fixture names them (<see cref="Fixtures.StreamFixture.DeltaProperties"/>).</param>
    public SseFloor(HttpMessageHandler handler, Uri uri, params string[] deltaProperties)
    {
        _httpClient = new HttpClient(handler, disposeHandler: false);
        _uri = uri;
        _body = Encoding.UTF8.GetBytes($$"""{"model":"{{Clients.Model}}","messages":[{"role":"user","content":"Tell me a story."}],"stream":true}""");
        _deltaProperties = [.. deltaProperties.Select(Encoding.UTF8.GetBytes)];
    }

    /// <summary>Reads one stream to the end.</summary>
    /// <param name="onDelta">Called with each delta, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The number of delta strings extracted.</returns>
    public async Task<int> ReadAsync(Action<string>? onDelta = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _uri) { Content = new ByteArrayContent(_body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.Accept.Add(EventStream);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Clients.ApiKey);
        using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var deltas = 0;
        await foreach (var item in SseParser.Create(stream, ExtractDelta).EnumerateAsync(cancellationToken))
        {
            if (item.Data is { } delta)
            {
                deltas++;
                onDelta?.Invoke(delta);
            }
        }

        return deltas;
    }

    private string? ExtractDelta(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || data[0] != (byte)'{')
        {
            // [DONE] and anything else that is not an object carries no delta.
            return null;
        }

        string? delta = null;
        var reader = new Utf8JsonReader(data);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || !IsDeltaProperty(ref reader))
            {
                continue;
            }

            reader.Read();
            if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
            {
                delta = reader.GetString();
            }
        }

        return delta;
    }

    private bool IsDeltaProperty(ref Utf8JsonReader reader)
    {
        foreach (var name in _deltaProperties)
        {
            if (reader.ValueTextEquals(name))
            {
                return true;
            }
        }

        return false;
    }
}
