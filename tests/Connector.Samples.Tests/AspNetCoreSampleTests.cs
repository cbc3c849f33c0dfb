using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using YuHuan.Samples.AspNetCore;

namespace YuHuan.Connector.Samples.Tests;

/// <summary>The ASP.NET Core sample started on loopback and read over HTTP, as a browser would.</summary>
public sealed class AspNetCoreSampleTests
{
    [Fact]
    public async Task PostChat_WithoutApiKey_StreamsTheEmulatorsReasoningAndTextAsServerSentEvents()
    {
        await using var chat = await ChatApp.CreateAsync(["--urls", "http://127.0.0.1:0", "--YuHuan:ApiKey="]);
        await chat.App.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(chat.App.Urls.First()) };

        using var response = await http.PostAsJsonAsync("/chat", new { message = "Tell me a story." });
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        var events = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            events.Add(item);
        }

        Assert.Contains(events, e => e.EventType == "reasoning");
        var text = string.Concat(events.Where(e => e.EventType == "text").Select(e => e.Data));
        Assert.Contains("lighthouse keeper", text, StringComparison.Ordinal);
        Assert.True(events.Count(e => e.EventType == "text") > 5, "text arrives as many events");
        Assert.Equal("done", events[^1].EventType);
        Assert.True(events.FindIndex(e => e.EventType == "reasoning") < events.FindIndex(e => e.EventType == "text"));

        var page = await http.GetStringAsync("/");
        Assert.Contains("fetch('/chat'", page, StringComparison.Ordinal);
    }
}
