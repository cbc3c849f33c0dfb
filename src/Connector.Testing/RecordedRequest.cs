using System.Text;
using System.Text.Json;

namespace YuHuan.Connector.Testing;

/// <summary>A request the <see cref="YuHuanEmulator"/> received, recorded before it was answered.</summary>
public sealed class RecordedRequest
{
    internal RecordedRequest(string method, string path, string query, IReadOnlyDictionary<string, string> headers, byte[] body, Task connectionClosed)
    {
        Query = query;
        ConnectionClosed = connectionClosed;
        Method = method;
        Path = path;
        Headers = headers;
        Body = Encoding.UTF8.GetString(body);
        Json = EmulatorJson.TryParse(body);
        IsStreaming = Json.ValueKind == JsonValueKind.Object
            && Json.TryGetProperty("stream", out var stream)
            && stream.ValueKind == JsonValueKind.True;
    }

    /// <summary>Gets the HTTP method, such as <c>POST</c>.</summary>
    public string Method { get; }

    /// <summary>Gets the request path, such as <c>/v1/chat/completions</c> (without the query string).</summary>
    public string Path { get; }

    /// <summary>Gets the query string with its leading <c>?</c>, such as <c>?stream=true&amp;starting_after=4</c> of a
    /// resumed Responses stream, or an empty string when the request had none.</summary>
    public string Query { get; }

    /// <summary>Gets the request headers; names are case-insensitive and repeated values are joined with <c>", "</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Gets the raw body, decoded as UTF-8.</summary>
    public string Body { get; }

    /// <summary>Gets the parsed body, or <see langword="default"/> (<see cref="JsonValueKind.Undefined"/>) when it is not JSON.</summary>
    public JsonElement Json { get; }

    /// <summary>Gets a value indicating whether the body asked for a stream (<c>"stream": true</c>).</summary>
    public bool IsStreaming { get; }

    /// <summary>
    /// Gets a task that completes when the server saw the TCP connection that carried the request close, whichever side
    /// closed it (a client that aborted, a scripted drop or reset, the emulator being disposed). It never fails.
    /// </summary>
    /// <remarks>
    /// A connection a client keeps alive for further requests stays open after the response, so the task completes only
    /// when that connection closes. It completes as soon as Kestrel's socket transport sees the close, before the handler
    /// of a paused or delayed reply has wound down; <see cref="YuHuanEmulator.ActiveRequests"/> tells when that happened.
    /// </remarks>
    public Task ConnectionClosed { get; }
}
