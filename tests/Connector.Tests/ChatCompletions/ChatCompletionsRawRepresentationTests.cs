using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.ChatCompletions;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary><see cref="YuHuanChatClientOptions.IncludeRawRepresentation"/> on the Chat Completions protocol, streamed and complete.</summary>
public sealed class ChatCompletionsRawRepresentationTests
{
    private const string Envelope = "\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m-1\",\"system_fingerprint\":\"fp_44709d6fcb\",\"service_tier\":\"default\"";

    private static readonly string[] Stream =
    [
        "{" + Envelope + ""","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""",
        "{" + Envelope + ""","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":{"content":[{"token":"Hello","logprob":-0.25}]},"finish_reason":null}]}""",
        "{" + Envelope + ""","choices":[{"index":0,"delta":{"content":" world"},"logprobs":null,"finish_reason":null}]}""",
        "{" + Envelope + ""","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}""",
        "{" + Envelope + ""","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":\"Paris\"}"}}]},"finish_reason":null}]}""",
        "{" + Envelope + ""","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""",
        "{" + Envelope + ""","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19},"cost":0.0004}""",
        "[DONE]",
    ];

    [Fact]
    public void Stream_RawRepresentationOn_EveryUpdateCarriesItsChunk_AndOffYieldsTheSameUpdates()
    {
        var (on, off, unmapped) = RawRepresentations.Lockstep(
            new ChatCompletionsStreamMapper(includeRawRepresentation: true),
            new ChatCompletionsStreamMapper(),
            [.. Stream.Select(e => (string.Empty, e))]);

        Assert.Equal(Stream.Length, on.Count);
        Assert.True(unmapped >= 2, $"only {unmapped} chunks were unmapped");
        RawRepresentations.AssertSameResponse(on, off);
        Assert.Equal("Hello world", on.ToChatResponse().Text);
        Assert.Single(on.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
    }

    [Fact]
    public void Stream_RawRepresentationOn_FieldsTheClientDoesNotMapAreReachable()
    {
        var (on, _, _) = RawRepresentations.Lockstep(
            new ChatCompletionsStreamMapper(includeRawRepresentation: true),
            new ChatCompletionsStreamMapper(),
            [.. Stream.Select(e => (string.Empty, e))]);

        var raws = on.Select(u => (JsonElement)u.RawRepresentation!).ToList();
        Assert.Equal("fp_44709d6fcb", raws[0].GetProperty("system_fingerprint").GetString());
        Assert.Equal(-0.25, raws[1].GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content")[0].GetProperty("logprob").GetDouble());

        // The usage chunk maps to nothing until [DONE]: it still surfaces, with the response's ids and the gateway's own field.
        Assert.Empty(on[6].Contents);
        Assert.Equal("chatcmpl-1", on[6].ResponseId);
        Assert.Equal(0.0004, raws[6].GetProperty("cost").GetDouble());
        Assert.Equal("[DONE]", raws[7].GetString());
        Assert.Single(on[7].Contents.OfType<UsageContent>());
    }

    [Fact]
    public void CompleteResponse_RawRepresentationOn_EveryUpdateCarriesTheResponseObject()
    {
        const string Json = """{"id":"chatcmpl-2","object":"chat.completion","created":1700000000,"model":"m-1","system_fingerprint":"fp_1","choices":[{"index":0,"message":{"role":"assistant","content":"Hello world","reasoning_content":"Think"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""";

        var updates = RawRepresentations.Complete(new ChatCompletionsStreamMapper(includeRawRepresentation: true), new ChatCompletionsStreamMapper(), Json);

        Assert.Equal(2, updates.Count);
        Assert.Equal("Hello world", updates.ToChatResponse().Text);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_OptionOn_UpdatesCarryTheirChunks_OffCarryNone()
    {
        var sse = Sse.Stream("\n", [": PROCESSING", .. Stream]);

        var on = await ReplayHandler.CollectAsync(sse, configure: o => o.IncludeRawRepresentation = true);
        var off = await ReplayHandler.CollectAsync(sse);

        Assert.Equal(Stream.Length, on.Count);
        for (var i = 0; i < Stream.Length; i++)
        {
            RawRepresentations.AssertCarries(Stream[i], on[i]);
        }

        Assert.All(off, u => Assert.Null(u.RawRepresentation));
        RawRepresentations.AssertSameResponse(on, off);
    }
}
