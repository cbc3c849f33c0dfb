using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;
using YuHuan.Connector.Shared;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Shared;

/// <summary>Responses with very many tool calls: read in linear time up to the limit, refused past it, on both protocols.</summary>
public sealed class ManyToolCallsTests(ITestOutputHelper output)
{
    public static TheoryData<YuHuanProtocol> Protocols => new() { YuHuanProtocol.ChatCompletions, YuHuanProtocol.Messages };

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Stream_WithTheMostCallsAllowed_YieldsEveryCallOnce(YuHuanProtocol protocol)
    {
        var watch = Stopwatch.StartNew();
        var updates = await ReplayHandler.CollectAsync(Stream(protocol, ResponseLimits.MaxToolCalls), configure: o => o.Protocol = protocol);
        output.WriteLine($"{protocol}: {ResponseLimits.MaxToolCalls:N0} calls read in {watch.ElapsedMilliseconds} ms");

        var calls = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(ResponseLimits.MaxToolCalls, calls.Count);
        Assert.Equal(ResponseLimits.MaxToolCalls, calls.Select(c => c.CallId).Distinct().Count());
        Assert.All(calls, c => Assert.Null(c.Exception));
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Stream_With100000Calls_IsResponseTooLarge(YuHuanProtocol protocol)
    {
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<YuHuanApiException>(() => ReplayHandler.CollectAsync(Stream(protocol, 100_000), configure: o => o.Protocol = protocol));
        output.WriteLine($"{protocol}: 100,000 calls refused after {watch.ElapsedMilliseconds} ms");

        Assert.Equal(YuHuanErrorTypes.ResponseTooLarge, error.ErrorType);
        Assert.Contains("tool calls", error.Message, StringComparison.Ordinal);
    }

    private static string Stream(YuHuanProtocol protocol, int calls)
    {
        var sse = new StringBuilder();
        if (protocol == YuHuanProtocol.ChatCompletions)
        {
            for (var i = 0; i < calls; i++)
            {
                sse.Append("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":").Append(i)
                    .Append(",\"id\":\"call_").Append(i).Append("\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}\n\n");
            }

            sse.Append("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\ndata: [DONE]\n\n");
            return sse.ToString();
        }

        sse.Append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"m\",\"usage\":{\"input_tokens\":1}}}\n\n");
        for (var i = 0; i < calls; i++)
        {
            sse.Append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":").Append(i)
                .Append(",\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_").Append(i).Append("\",\"name\":\"f\",\"input\":{}}}\n\n")
                .Append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":").Append(i).Append("}\n\n");
        }

        sse.Append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":1}}\n\n")
            .Append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return sse.ToString();
    }
}
