using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Tests.TestSupport;

/// <summary>
/// Replays one reply (a stream or a complete response) through a client, keeps the history as an app would (in memory,
/// or stored as JSON with <see cref="AIJsonUtilities.DefaultOptions"/> and read back), and returns what the next request
/// sends for it.
/// </summary>
internal static class NextTurn
{
    /// <summary>The history as an app stores it: JSON with <see cref="AIJsonUtilities.DefaultOptions"/>, read back.</summary>
    public static List<ChatMessage> RoundTrip(IEnumerable<ChatMessage> messages) =>
        JsonSerializer.Deserialize<List<ChatMessage>>(JsonSerializer.Serialize(messages.ToList(), AIJsonUtilities.DefaultOptions), AIJsonUtilities.DefaultOptions)!;

    /// <summary>Gets the reply <paramref name="body"/> maps to: streamed (an SSE body) or complete (a JSON body).</summary>
    public static async Task<ChatResponse> ReplyAsync(string body, bool stream, Action<YuHuanChatClientOptions>? configure = null)
    {
        var handler = new ReplayHandler(body, stream ? "text/event-stream" : "application/json");
        using var client = handler.CreateClient(configure);
        return stream ? await client.GetStreamingResponseAsync("hi").ToChatResponseAsync() : await client.GetResponseAsync("hi");
    }

    /// <summary>
    /// Replays <paramref name="body"/>, then sends the next turn (the user's "hi", the reply, the user's "next") with the
    /// history kept in memory or, with <paramref name="stored"/>, after a JSON round trip; returns that request's body.
    /// A stored history's request is also checked to equal, whole, the one the live history makes.
    /// </summary>
    public static async Task<JsonElement> RequestAfterAsync(string body, bool stream, bool stored, Action<YuHuanChatClientOptions>? configure = null)
    {
        var handler = new ReplayHandler(body, stream ? "text/event-stream" : "application/json");
        using var client = handler.CreateClient(configure);
        List<ChatMessage> history = [new(ChatRole.User, "hi")];
        var reply = stream ? await client.GetStreamingResponseAsync(history).ToChatResponseAsync() : await client.GetResponseAsync(history);
        history.AddRange(reply.Messages);
        await SendAsync(client, [.. history, new ChatMessage(ChatRole.User, "next")], stream);
        if (!stored)
        {
            return JsonElement.Parse(handler.RequestBodies[1]);
        }

        await SendAsync(client, [.. RoundTrip(history), new ChatMessage(ChatRole.User, "next")], stream);
        var restored = JsonElement.Parse(handler.RequestBodies[2]);
        JsonAssert.Equal(handler.RequestBodies[1], restored);
        return restored;
    }

    private static async Task SendAsync(IChatClient client, List<ChatMessage> messages, bool stream)
    {
        if (stream)
        {
            await client.GetStreamingResponseAsync(messages).ToChatResponseAsync();
        }
        else
        {
            await client.GetResponseAsync(messages);
        }
    }
}
