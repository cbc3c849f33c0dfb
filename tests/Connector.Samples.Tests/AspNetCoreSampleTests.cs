using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using YuHuan.Connector.Testing;
using YuHuan.Samples.AspNetCore;

namespace YuHuan.Connector.Samples.Tests;

/// <summary>The ASP.NET Core sample started on loopback and read over HTTP, as the page's script reads it.</summary>
public sealed class AspNetCoreSampleTests
{
    /// <summary>Development without a key, the emulator's story instant (the sample's own pace is tested on its own).</summary>
    private static readonly string[] InstantDevelopment =
        ["--environment", "Development", "--urls", "http://127.0.0.1:0", "--YuHuan:ApiKey=", "--Emulator:DelayBetweenEvents=00:00:00"];

    [Fact]
    public async Task PostChat_DevelopmentWithoutApiKey_StreamsTheEmulatorsReasoningAndTextAsServerSentEvents()
    {
        await using var chat = await ChatApp.CreateAsync(InstantDevelopment);
        await chat.App.StartAsync();
        using var http = NewClient(chat);

        var (response, events) = await PostAsync(http, new { message = "Tell me a story." });

        Assert.Equal(HttpStatusCode.OK, response);
        Assert.Contains(events, e => e.EventType == "reasoning");
        var text = string.Concat(events.Where(e => e.EventType == "text").Select(e => e.Data));
        Assert.Contains("lighthouse keeper", text, StringComparison.Ordinal);
        Assert.True(events.Count(e => e.EventType == "text") > 5, "text arrives as many events");
        Assert.Equal("done", events[^1].EventType);
        Assert.True(events.FindIndex(e => e.EventType == "reasoning") < events.FindIndex(e => e.EventType == "text"));
        Assert.DoesNotContain(events, e => e.EventType == "error");

        var page = await http.GetStringAsync("/");
        Assert.Contains("fetch('/chat'", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostChat_DevelopmentByDefault_StreamsTheStoryAtAHumanPace()
    {
        await using var chat = await ChatApp.CreateAsync(["--environment", "Development", "--urls", "http://127.0.0.1:0", "--YuHuan:ApiKey="]);
        await chat.App.StartAsync();
        using var http = NewClient(chat);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/chat") { Content = JsonContent.Create(new { message = "Tell me a story." }) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        var arrivals = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            if (item.EventType == "text")
            {
                arrivals.Add(clock.Elapsed);
            }
        }

        // The emulator paces its events 40 ms apart: the text events arrive spread out, not in one burst. A loaded machine
        // lengthens the gaps, except that a stall before the first read lets some pile up and arrive together; a quarter of
        // the pace per event still tells a paced stream (about 40 ms each) from a burst (none), with room for such a stall.
        Assert.True(arrivals.Count > 20, $"only {arrivals.Count} text events");
        var spread = arrivals[^1] - arrivals[0];
        var minimum = TimeSpan.FromMilliseconds(10 * (arrivals.Count - 1));
        Assert.True(spread >= minimum, $"{arrivals.Count} text events arrived within {spread.TotalMilliseconds:0} ms; a human pace takes at least {minimum.TotalMilliseconds:0} ms");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"message":null}""")]
    [InlineData("""{"message":""}""")]
    [InlineData("""{"message":"  \n "}""")]
    public async Task PostChat_NoMessage_Answers400WithProblemDetails(string body)
    {
        await using var chat = await ChatApp.CreateAsync(InstantDevelopment);
        await chat.App.StartAsync();
        using var http = NewClient(chat);

        using var response = await http.PostAsync("/chat", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Write a message.", problem.RootElement.GetProperty("errors").GetProperty("message")[0].GetString());
        Assert.Empty(chat.Emulator!.Requests);
    }

    [Fact]
    public async Task PostChat_MessageTooLong_Answers400WithProblemDetails()
    {
        await using var chat = await ChatApp.CreateAsync(InstantDevelopment);
        await chat.App.StartAsync();
        using var http = NewClient(chat);

        using var response = await http.PostAsJsonAsync("/chat", new { message = new string('a', ChatApp.MaxMessageLength + 1) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(chat.Emulator!.Requests);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"message":42}""")]
    public async Task PostChat_BodyIsNotAChatRequest_Answers400WithProblemDetails(string body)
    {
        await using var chat = await ChatApp.CreateAsync(InstantDevelopment);
        await chat.App.StartAsync();
        using var http = NewClient(chat);
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");

        using var response = await http.PostAsync("/chat", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(chat.Emulator!.Requests);
    }

    [Fact]
    public async Task PostChat_GatewayRefuses_SendsAnErrorEventInsteadOfEndingTheStream()
    {
        await using var chat = await ChatApp.CreateAsync(InstantDevelopment);
        await chat.App.StartAsync();
        chat.Emulator!.Enqueue(EmulatorReply.HttpError(401, "Invalid API key.", "authentication_error"));
        using var http = NewClient(chat);

        var (status, events) = await PostAsync(http, new { message = "Hello" });

        Assert.Equal(HttpStatusCode.OK, status);
        var error = Assert.Single(events);
        Assert.Equal("error", error.EventType);
        Assert.StartsWith("The model service refused the app's API key (HTTP 401):", error.Data, StringComparison.Ordinal);
        Assert.Contains("Invalid API key.", error.Data, StringComparison.Ordinal);
        Assert.EndsWith("Check the app's YuHuan:ApiKey setting.", error.Data, StringComparison.Ordinal);
        Assert.DoesNotContain("Try again", error.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostChat_WrongKeyForTheGateway_SaysTheKeyWasRefusedWithoutQuotingIt()
    {
        const string Key = "sk-wrong-key-0123456789";
        await using var emulator = await YuHuanEmulator.StartAsync();
        emulator.ExpectedApiKey = "sk-the-right-one";
        await using var chat = await ChatApp.CreateAsync(["--environment", "Production", "--urls", "http://127.0.0.1:0", "--YuHuan:ApiKey=" + Key, "--YuHuan:Endpoint=" + emulator.Endpoint.AbsoluteUri]);
        await chat.App.StartAsync();
        using var http = NewClient(chat);

        var (_, events) = await PostAsync(http, new { message = "Hello" });

        var error = Assert.Single(events);
        Assert.StartsWith("The model service refused the app's API key (HTTP 401)", error.Data, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostChat_GatewayDoesNotKnowTheModel_SaysSoNamingTheSetting()
    {
        await using var chat = await ChatApp.CreateAsync(InstantDevelopment);
        await chat.App.StartAsync();
        chat.Emulator!.Enqueue(EmulatorReply.HttpError(404, "The model `gpt-9` does not exist.", "invalid_request_error", "model_not_found"));
        using var http = NewClient(chat);

        var (_, events) = await PostAsync(http, new { message = "Hello" });

        var error = Assert.Single(events);
        Assert.Equal("error", error.EventType);
        Assert.StartsWith("The model service found no such model or address (HTTP 404):", error.Data, StringComparison.Ordinal);
        Assert.Contains("The model `gpt-9` does not exist.", error.Data, StringComparison.Ordinal);
        Assert.EndsWith("Check the app's YuHuan:ModelId and YuHuan:Endpoint settings.", error.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostChat_NoModelConfigured_SaysWhichSettingIsMissingInsteadOfFailingWith500()
    {
        await using var chat = await ChatApp.CreateAsync([.. InstantDevelopment, "--YuHuan:ModelId="]);
        await chat.App.StartAsync();
        using var http = NewClient(chat);

        var (status, events) = await PostAsync(http, new { message = "Hello" });

        Assert.Equal(HttpStatusCode.OK, status);
        var error = Assert.Single(events);
        Assert.Equal("error", error.EventType);
        Assert.StartsWith("The app is not set up: No model was given", error.Data, StringComparison.Ordinal);
        Assert.Contains("'YuHuan:ModelId'", error.Data, StringComparison.Ordinal);
        Assert.Empty(chat.Emulator!.Requests);
    }

    [Fact]
    public async Task PostChat_GatewayFailsMidStream_SendsWhatArrivedThenAnErrorEvent()
    {
        await using var chat = await ChatApp.CreateAsync(InstantDevelopment);
        await chat.App.StartAsync();
        chat.Emulator!.Enqueue(new EmulatorReply().AddText("Partly cloudy").WithStreamError("Overloaded.", "overloaded_error"));
        using var http = NewClient(chat);

        var (_, events) = await PostAsync(http, new { message = "Hello" });

        Assert.Equal("Partly cloudy", string.Concat(events.Where(e => e.EventType == "text").Select(e => e.Data)));
        Assert.Equal("error", events[^1].EventType);
        Assert.StartsWith("The model service failed (overloaded_error", events[^1].Data, StringComparison.Ordinal);
        Assert.DoesNotContain(events, e => e.EventType == "done");
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task Start_OutsideDevelopmentWithoutApiKey_FailsInsteadOfServingTheEmulator(string environment)
    {
        await using var chat = await ChatApp.CreateAsync(["--environment", environment, "--urls", "http://127.0.0.1:0", "--YuHuan:ApiKey="]);

        Assert.Null(chat.Emulator);
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => chat.App.StartAsync());
        Assert.Contains("ApiKey", failure.Message, StringComparison.Ordinal);
    }

    private static HttpClient NewClient(ChatApp chat) => new() { BaseAddress = new Uri(chat.App.Urls.First()) };

    private static async Task<(HttpStatusCode Status, List<SseItem<string>> Events)> PostAsync(HttpClient http, object body)
    {
        using var response = await http.PostAsJsonAsync("/chat", body);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            events.Add(item);
        }

        return (response.StatusCode, events);
    }
}
