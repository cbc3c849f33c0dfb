using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Responses.Emulator;

/// <summary>The live emulator's Responses endpoint over loopback, hit with a plain <see cref="HttpClient"/>: streams,
/// complete responses, errors, stored responses, background responses resumed and polled.</summary>
public sealed class ResponsesEmulatorTests : LoopbackEmulatorTestBase
{
    private const string StreamBody = """{"model":"emu-model","input":"hi","stream":true}""";
    private const string CompleteBody = """{"model":"emu-model","input":"hi"}""";
    private const string BackgroundStreamBody = """{"model":"emu-model","input":"hi","stream":true,"background":true}""";
    private const string BackgroundBody = """{"model":"emu-model","input":"hi","background":true}""";

    /// <remarks>How every protocol's route is matched and served as its stream is checked by <c>Testing.YuHuanEmulatorTests</c>.</remarks>
    [Fact]
    public async Task Post_Responses_IsServedAsAResponsesStreamNumberingEveryEvent()
    {
        const string path = "/v1/responses";
        Emulator.Enqueue(new EmulatorReply().AddReasoning("Hmm.", signature: "enc").AddText("Hello from Responses.", chunkSize: 5).WithUsage(7, 9));

        using var response = await PostAsync(path, StreamBody);
        var events = RenderedEvent.Parse(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(path, Assert.Single(Emulator.Requests).Path);
        Assert.Equal("response.created", events[0].Type);
        Assert.Equal("resp_emu_1", events[0].Json.GetProperty("response").GetProperty("id").GetString());
        Assert.Equal("emu-model", events[0].Json.GetProperty("response").GetProperty("model").GetString());
        Assert.Equal(Enumerable.Range(0, events.Length), events.Select(e => e.Json.GetProperty("sequence_number").GetInt32()));
        Assert.Equal("response.completed", events[^1].Type);
        Assert.Equal(16, events[^1].Json.GetProperty("response").GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal("Hello from Responses.", string.Concat(events.Where(e => e.Type == "response.output_text.delta").Select(e => e.Json.GetProperty("delta").GetString())));
    }

    [Fact]
    public async Task Post_ResponsesWithoutStream_IsTheCompletedResponseObject()
    {
        Emulator.Enqueue(new EmulatorReply().AddText("Done.").AddToolCall(null, "f", """{"a":1}""").WithFinishReason(ChatFinishReason.Length));

        using var response = await PostAsync("/v1/responses", CompleteBody);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("response", root.GetProperty("object").GetString());
        Assert.Equal("incomplete", root.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", root.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal(["message", "function_call"], root.GetProperty("output").EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        Assert.Equal("call_emu_1", root.GetProperty("output")[1].GetProperty("call_id").GetString());
        Assert.True(root.GetProperty("store").GetBoolean());
    }

    [Fact]
    public async Task HttpError_OnResponses_HasTheOpenAiShape()
    {
        Emulator.Enqueue(EmulatorReply.HttpError(429, "Slow down.", "rate_limit_error", "rate_limit_exceeded", TimeSpan.FromSeconds(2)));

        using var response = await PostAsync("/v1/responses", StreamBody);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("2", response.Headers.GetValues("Retry-After").Single());
        JsonAssert.Equal("""{"error":{"message":"Slow down.","type":"rate_limit_error","code":"rate_limit_exceeded","param":null}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StreamError_OnANonStreamedRequest_Is500InTheOpenAiShape()
    {
        Emulator.Enqueue(EmulatorReply.Text("x").WithStreamError("Boom", "server_error", "internal"));

        using var response = await PostAsync("/v1/responses", CompleteBody);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        JsonAssert.Equal("""{"error":{"message":"Boom","type":"server_error","code":"internal","param":null}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Stream_WithGzipCrlfCommentsAndPadding_StaysAValidSequenceOfEvents()
    {
        Emulator.Enqueue(new EmulatorReply()
            .AddText("Wrapped.", chunkSize: 3)
            .AddPadding(70_000)
            .AddToolCall(null, "f", "{}")
            .WithLineEnding("\r\n")
            .WithComments()
            .WithGzip()
            .WithDelayBetweenEvents(TimeSpan.FromMilliseconds(1)));

        using var response = await PostAsync("/v1/responses", StreamBody);
        var compressed = await response.Content.ReadAsByteArrayAsync();
        using var body = new MemoryStream();
        await using (var unzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress))
        {
            await unzip.CopyToAsync(body);
        }

        var text = Encoding.UTF8.GetString(body.ToArray());
        var events = RenderedEvent.Parse(body.ToArray());

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.StartsWith(": PROCESSING\r\n\r\nevent: response.created\r\ndata: {", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n", text.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, events.Length), events.Select(e => e.Json.GetProperty("sequence_number").GetInt32()));
        Assert.Equal(70_000, Assert.Single(events, e => e.Type == "keepalive").Json.GetProperty("padding").GetString()!.Length);
        Assert.Equal("response.completed", events[^1].Type);
    }

    [Fact]
    public async Task PreviousResponseId_OfAStoredResponse_IsAccepted()
    {
        Emulator.Enqueue(EmulatorReply.Text("First."), EmulatorReply.Text("Second."));

        using var first = await PostAsync("/v1/responses", CompleteBody);
        var firstId = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        using var second = await PostAsync("/v1/responses", $$"""{"model":"emu-model","input":"more","previous_response_id":"{{firstId}}"}""");
        var secondJson = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("resp_emu_1", firstId);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("resp_emu_1", secondJson.GetProperty("previous_response_id").GetString());
        Assert.Equal("Second.", secondJson.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("resp_unknown", false)]
    [InlineData("resp_emu_1", true)]
    public async Task PreviousResponseId_UnknownOrNotStored_Is400AndTakesNoReply(string previousId, bool firstNotStored)
    {
        if (firstNotStored)
        {
            Emulator.Enqueue(EmulatorReply.Text("Not kept."));
            using var unstored = await PostAsync("/v1/responses", """{"model":"emu-model","input":"hi","store":false}""");
            Assert.Equal(HttpStatusCode.OK, unstored.StatusCode);
        }

        Emulator.Enqueue(EmulatorReply.Text("Still queued."));

        using var rejected = await PostAsync("/v1/responses", $$"""{"model":"emu-model","input":"hi","previous_response_id":"{{previousId}}"}""");
        using var next = await PostAsync("/v1/responses", CompleteBody);

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        JsonAssert.Equal(
            $$$"""{"error":{"message":"Previous response with id '{{{previousId}}}' not found.","type":"invalid_request_error","code":"previous_response_not_found","param":"previous_response_id"}}""",
            await rejected.Content.ReadAsStringAsync());
        Assert.Contains("Still queued.", await next.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    [InlineData(0)]
    public async Task BackgroundStream_DroppedThenResumedAfterTheLastSequenceNumber_YieldsExactlyTheKeptRemainder(int dropAfter)
    {
        Emulator.Enqueue(new EmulatorReply()
            .AddReasoning("Thinking it over.", chunkSize: 4, signature: "enc")
            .AddText("The answer is 42.", chunkSize: 3)
            .AddToolCall("call_9", "lookup", """{"q":"42"}""", fragments: 2)
            .WithUsage(10, 20)
            .DropConnectionAfter(dropAfter));

        var received = await ReadUntilDroppedAsync(BackgroundStreamBody);
        var responseId = "resp_emu_1";
        var lastSequence = received.Length == 0 ? -1 : received[^1].Json.GetProperty("sequence_number").GetInt32();
        var query = received.Length == 0 ? "?stream=true" : $"?stream=true&starting_after={lastSequence}";
        var rest = await GetEventsAsync($"/v1/responses/{responseId}{query}");
        var all = await GetEventsAsync($"/v1/responses/{responseId}?stream=true");

        Assert.Equal(dropAfter, received.Length);
        Assert.Equal(all.Select(e => e.Data), received.Concat(rest).Select(e => e.Data));
        Assert.Equal(Enumerable.Range(lastSequence + 1, rest.Length), rest.Select(e => e.Json.GetProperty("sequence_number").GetInt32()));
        Assert.Equal("response.completed", all[^1].Type);
        Assert.True(all[0].Json.GetProperty("response").GetProperty("background").GetBoolean());
        Assert.Equal("queued", all[0].Json.GetProperty("response").GetProperty("status").GetString());
        Assert.Equal("The answer is 42.", string.Concat(all.Where(e => e.Type == "response.output_text.delta").Select(e => e.Json.GetProperty("delta").GetString())));

        var requests = Emulator.Requests;
        Assert.Equal(["POST", "GET", "GET"], requests.Select(r => r.Method));
        Assert.Equal([$"/v1/responses/{responseId}", $"/v1/responses/{responseId}"], requests.Skip(1).Select(r => r.Path));
        Assert.Equal([string.Empty, query, "?stream=true"], requests.Select(r => r.Query));
    }

    [Fact]
    public async Task BackgroundStream_Truncated_ResumeDeliversTheTerminalEventTheFirstStreamLacked()
    {
        Emulator.Enqueue(new EmulatorReply().AddText("Once upon a time.", chunkSize: 5).WithUsage(3, 4).Truncated());

        using var first = await PostAsync("/v1/responses", BackgroundStreamBody);
        var delivered = RenderedEvent.Parse(await first.Content.ReadAsByteArrayAsync());
        var rest = await GetEventsAsync($"/v1/responses/resp_emu_1?stream=true&starting_after={delivered[^1].Json.GetProperty("sequence_number").GetInt32()}");

        Assert.Equal("response.output_item.done", delivered[^1].Type);
        var terminal = Assert.Single(rest);
        Assert.Equal("response.completed", terminal.Type);
        Assert.Equal(delivered.Length, terminal.Json.GetProperty("sequence_number").GetInt32());
    }

    [Fact]
    public async Task Background_PolledWithoutStream_IsQueuedThenInProgressThenCompleted()
    {
        Emulator.Enqueue(EmulatorReply.Text("Finished work.").WithUsage(5, 6).WithPollsBeforeCompletion(2));

        using var created = await PostAsync("/v1/responses", BackgroundBody);
        var queued = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var polls = new List<JsonElement>();
        for (var i = 0; i < 4; i++)
        {
            using var poll = await GetAsync("/v1/responses/resp_emu_1");
            Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
            polls.Add(JsonDocument.Parse(await poll.Content.ReadAsStringAsync()).RootElement);
        }

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("queued", queued.GetProperty("status").GetString());
        Assert.Equal(0, queued.GetProperty("output").GetArrayLength());
        Assert.Equal(["in_progress", "in_progress", "completed", "completed"], polls.Select(p => p.GetProperty("status").GetString()));
        Assert.Equal(0, polls[1].GetProperty("output").GetArrayLength());
        Assert.Equal("Finished work.", polls[2].GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(11, polls[3].GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal(["POST", "GET", "GET", "GET", "GET"], Emulator.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task Background_WithAStreamError_AnswersQueuedThenPollsAsFailed()
    {
        Emulator.Enqueue(EmulatorReply.Text("x").WithStreamError("Model crashed.", "server_error", "server_error"));

        using var created = await PostAsync("/v1/responses", BackgroundBody);
        using var poll = await GetAsync("/v1/responses/resp_emu_1");
        var failed = JsonDocument.Parse(await poll.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        JsonAssert.Equal("""{"code":"server_error","message":"Model crashed."}""", failed.GetProperty("error"));
    }

    [Fact]
    public async Task Get_StoredForegroundResponse_ReturnsItButCannotStreamIt()
    {
        Emulator.Enqueue(EmulatorReply.Text("Kept.").WithPollsBeforeCompletion(3));
        using var post = await PostAsync("/v1/responses", StreamBody);
        await post.Content.ReadAsByteArrayAsync();

        using var get = await GetAsync("/v1/responses/resp_emu_1");
        using var stream = await GetAsync("/v1/responses/resp_emu_1?stream=true");

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("completed", JsonDocument.Parse(await get.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, stream.StatusCode);
        Assert.Equal("stream", JsonDocument.Parse(await stream.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("/v1/responses/resp_nope")]
    [InlineData("/v1/responses/resp_nope?stream=true&starting_after=3")]
    public async Task Get_UnknownId_Is404InTheOpenAiShape(string pathAndQuery)
    {
        Emulator.Enqueue(EmulatorReply.Text("Never served."));

        using var response = await GetAsync(pathAndQuery);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        JsonAssert.Equal(
            """{"error":{"message":"Response with id 'resp_nope' not found.","type":"invalid_request_error","code":null,"param":null}}""",
            await response.Content.ReadAsStringAsync());
        Assert.Equal("GET", Assert.Single(Emulator.Requests).Method);
    }

    [Fact]
    public async Task Get_BadStartingAfter_Is400()
    {
        Emulator.Enqueue(EmulatorReply.Text("x"));
        using var post = await PostAsync("/v1/responses", BackgroundBody);

        using var response = await GetAsync("/v1/responses/resp_emu_1?stream=true&starting_after=minus-one");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("starting_after", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("1000")]
    [InlineData("9223372036854775807")]
    public async Task Get_StartingAfterTheLastEvent_IsAnEmptyStream(string startingAfter)
    {
        Emulator.Enqueue(EmulatorReply.Text("x"));
        using var post = await PostAsync("/v1/responses", BackgroundBody);

        var events = await GetEventsAsync($"/v1/responses/resp_emu_1?stream=true&starting_after={startingAfter}");

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Empty(events);
    }

    [Fact]
    public async Task Post_ToAResponseId_Is405AllowingGet()
    {
        using var response = await PostAsync("/v1/responses/resp_emu_1", CompleteBody);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET"], response.Content.Headers.Allow);
        Assert.Equal("invalid_request_error", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Get_WithoutTheExpectedKey_Is401AndWithItIsServed()
    {
        Emulator.Enqueue(EmulatorReply.Text("x"));
        using var post = await PostAsync("/v1/responses", BackgroundBody);
        Emulator.ExpectedApiKey = "sk-emu";

        using var without = await GetAsync("/v1/responses/resp_emu_1");
        using var request = new HttpRequestMessage(HttpMethod.Get, Uri("/v1/responses/resp_emu_1"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-emu");
        using var with = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal("invalid_api_key", JsonDocument.Parse(await without.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }


    private Task<HttpResponseMessage> GetAsync(string pathAndQuery) => Http.GetAsync(Uri(pathAndQuery));

    private async Task<RenderedEvent[]> GetEventsAsync(string pathAndQuery)
    {
        using var response = await GetAsync(pathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return RenderedEvent.Parse(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Posts a streamed request whose reply drops the connection, and parses what arrived before the drop.</summary>
    private async Task<RenderedEvent[]> ReadUntilDroppedAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Uri("/v1/responses")) { Content = Json(body) };
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var received = new MemoryStream();
        var buffer = new byte[4096];
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        });

        return RenderedEvent.Parse(received.ToArray());
    }
}
