using System.Text;
using System.Text.Json;

namespace YuHuan.Connector.Testing;

/// <summary>A request as a cassette keeps it, or as a replay received it: what a <see cref="ICassetteMatcher"/> compares.</summary>
/// <remarks>Request headers are not kept: the API key travels in them, and the gateway's answer does not depend on the rest.</remarks>
public sealed class CassetteRequest
{
    private JsonElement? _json;

    /// <summary>Initializes a request.</summary>
    /// <param name="method">The HTTP method, such as <c>POST</c>.</param>
    /// <param name="path">The path, such as <c>/v1/chat/completions</c>.</param>
    /// <param name="query">The query string with its leading <c>?</c>, or an empty string.</param>
    /// <param name="body">The body as UTF-8 text, or an empty string.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public CassetteRequest(string method, string path, string query, string body)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(body);
        Method = method;
        Path = path;
        Query = query;
        Body = body;
    }

    /// <summary>Gets the HTTP method, such as <c>POST</c>.</summary>
    public string Method { get; }

    /// <summary>Gets the path, such as <c>/v1/chat/completions</c>, without the query string.</summary>
    public string Path { get; }

    /// <summary>Gets the query string with its leading <c>?</c> (<c>?stream=true&amp;starting_after=4</c>), or an empty string.</summary>
    public string Query { get; }

    /// <summary>Gets the body as UTF-8 text, with secrets replaced by <c>[redacted]</c> in a recorded request; an empty
    /// string when there was none.</summary>
    public string Body { get; }

    /// <summary>Gets the body parsed as JSON, or <see langword="default"/> (<see cref="JsonValueKind.Undefined"/>) when it is not JSON.</summary>
    public JsonElement Json => _json ??= EmulatorJson.TryParse(Encoding.UTF8.GetBytes(Body));

    /// <summary>Returns <c>METHOD /path?query</c>, the request as an error message names it.</summary>
    /// <returns>The method, path and query.</returns>
    public override string ToString() => $"{Method} {Path}{Query}";
}
