using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.TestSupport;

/// <summary>
/// Checks <see cref="YuHuanChatClientOptions.IncludeRawRepresentation"/> on a protocol's mapper: the same events fed, in
/// lockstep, to a mapper with the option on and one with it off.
/// </summary>
internal static class RawRepresentations
{
    /// <summary>
    /// Feeds <paramref name="events"/> (event type, possibly empty, and data) to both mappers and ends the stream. Asserts, per
    /// event: with the option on, an update whose <see cref="ChatResponseUpdate.RawRepresentation"/> is the event's JSON; with
    /// it off, no raw representation; where off yields nothing, on yields an update with no content and no finish reason;
    /// otherwise both yield the same update.
    /// </summary>
    /// <returns>The updates of each mapper, and how many events the option-off mapper mapped to nothing.</returns>
    public static (List<ChatResponseUpdate> On, List<ChatResponseUpdate> Off, int Unmapped) Lockstep(IStreamMapper on, IStreamMapper off, params (string Type, string Data)[] events)
    {
        var onUpdates = new List<ChatResponseUpdate>();
        var offUpdates = new List<ChatResponseUpdate>();
        var unmapped = 0;
        foreach (var (type, data) in events)
        {
            var offUpdate = off.OnEvent(Encoding.UTF8.GetBytes(type), Encoding.UTF8.GetBytes(data));
            var onUpdate = on.OnEvent(Encoding.UTF8.GetBytes(type), Encoding.UTF8.GetBytes(data));

            Assert.NotNull(onUpdate);
            AssertCarries(data, onUpdate);
            onUpdates.Add(onUpdate);
            if (offUpdate is null)
            {
                unmapped++;
                Assert.Empty(onUpdate.Contents);
                Assert.Null(onUpdate.FinishReason);
            }
            else
            {
                Assert.Null(offUpdate.RawRepresentation);
                Assert.Equal(Signature(offUpdate), Signature(onUpdate));
                offUpdates.Add(offUpdate);
            }
        }

        Assert.Null(off.OnEndOfStream());
        Assert.Null(on.OnEndOfStream());
        return (onUpdates, offUpdates, unmapped);
    }

    /// <summary>Reads one complete response with both mappers: the same updates, each carrying the response object with the option on, none with it off.</summary>
    public static List<ChatResponseUpdate> Complete(IStreamMapper on, IStreamMapper off, string json)
    {
        var onUpdates = new List<ChatResponseUpdate>();
        var offUpdates = new List<ChatResponseUpdate>();
        on.ReadResponse(Encoding.UTF8.GetBytes(json), onUpdates);
        off.ReadResponse(Encoding.UTF8.GetBytes(json), offUpdates);

        Assert.NotEmpty(onUpdates);
        Assert.All(onUpdates, update => AssertCarries(json, update));
        Assert.All(offUpdates, update => Assert.Null(update.RawRepresentation));
        Assert.Equal(Signature(offUpdates), Signature(onUpdates));
        return onUpdates;
    }

    /// <summary>Asserts that <paramref name="update"/> carries <paramref name="data"/> as a <see cref="JsonElement"/> (data that is not JSON as a JSON string).</summary>
    public static void AssertCarries(string data, ChatResponseUpdate update)
    {
        var raw = Assert.IsType<JsonElement>(update.RawRepresentation);
        Assert.True(JsonElement.DeepEquals(Expected(data), raw), $"expected {data}, got {raw.GetRawText()}");
    }

    /// <summary>The merged responses of both: the same text and reasoning, in the same number of messages.</summary>
    public static void AssertSameResponse(IEnumerable<ChatResponseUpdate> on, IEnumerable<ChatResponseUpdate> off)
    {
        var withRaw = on.ToChatResponse();
        var without = off.ToChatResponse();
        Assert.Equal(without.Text, withRaw.Text);
        Assert.Equal(without.Messages.Count, withRaw.Messages.Count);
        Assert.Equal(Reasoning(without), Reasoning(withRaw));
        Assert.Equal(without.FinishReason, withRaw.FinishReason);
        Assert.Equal(without.Usage?.TotalTokenCount, withRaw.Usage?.TotalTokenCount);
    }

    private static string Signature(ChatResponseUpdate update) => Signature([update]);

    private static string Signature(IEnumerable<ChatResponseUpdate> updates) =>
        UpdateSignature.Of(updates) + string.Join(',', updates.Select(u => u.ConversationId));

    private static string Reasoning(ChatResponse response) =>
        string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text + "|" + r.ProtectedData));

    private static JsonElement Expected(string data)
    {
        try
        {
            return JsonElement.Parse(data.Trim());
        }
        catch (JsonException)
        {
            return JsonElement.Parse(JsonSerializer.Serialize(data.Trim()));
        }
    }
}
