using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;

namespace YuHuan.Connector.Tests.Testing;

/// <summary>What the live emulator's tests send in any protocol, and how they compare what it answers with an offline rendering.</summary>
internal static partial class LiveExchange
{
    /// <summary>
    /// Returns the body the client sends in <paramref name="kit"/>'s protocol for one user message, streamed or not, naming
    /// the model the offline renderings report (so a served reply renders as the kit renders it offline).
    /// </summary>
    public static StringContent Request(WireFormat kit, bool stream, string text = "hi") =>
        Json(kit.WriteRequest(new ChatRequest { Messages = [new ChatMessage(ChatRole.User, text)], Model = WireFormat.Model, Stream = stream }).GetRawText());

    /// <summary>Returns <paramref name="body"/> as JSON content.</summary>
    public static StringContent Json(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    /// <summary>
    /// Returns <paramref name="body"/> with every creation time read as 0: the live emulator stamps the time it answers,
    /// the offline rendering a fixed one.
    /// </summary>
    public static string Normalize(string body) => CreationTime().Replace(body, "$1:0");

    /// <summary>Returns the UTF-8 <paramref name="body"/> normalized as <see cref="Normalize(string)"/> does.</summary>
    public static string Normalize(byte[] body) => Normalize(Encoding.UTF8.GetString(body));

    [GeneratedRegex("(\"[a-z_]*created[a-z_]*\"):[0-9]+")]
    private static partial Regex CreationTime();
}
