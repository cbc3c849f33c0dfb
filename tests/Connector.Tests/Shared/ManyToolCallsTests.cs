using System.Diagnostics;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;
using YuHuan.Connector.Shared;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Shared;

/// <summary>Responses with very many tool calls: read in linear time up to the limit, refused past it, on every protocol.</summary>
public sealed class ManyToolCallsTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task Stream_WithTheMostCallsAllowed_YieldsEveryCallOnce(YuHuanProtocol protocol)
    {
        var watch = Stopwatch.StartNew();
        var updates = await ReplayHandler.CollectAsync(TestProtocols.Kit(protocol).ManyToolCallsStream(ResponseLimits.MaxToolCalls), configure: o => o.Protocol = protocol);
        output.WriteLine($"{protocol}: {ResponseLimits.MaxToolCalls:N0} calls read in {watch.ElapsedMilliseconds} ms");

        var calls = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(ResponseLimits.MaxToolCalls, calls.Count);
        Assert.Equal(ResponseLimits.MaxToolCalls, calls.Select(c => c.CallId).Distinct().Count());
        Assert.All(calls, c => Assert.Null(c.Exception));
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task Stream_With100000Calls_IsResponseTooLarge(YuHuanProtocol protocol)
    {
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<YuHuanApiException>(() => ReplayHandler.CollectAsync(TestProtocols.Kit(protocol).ManyToolCallsStream(100_000), configure: o => o.Protocol = protocol));
        output.WriteLine($"{protocol}: 100,000 calls refused after {watch.ElapsedMilliseconds} ms");

        Assert.Equal(YuHuanErrorTypes.ResponseTooLarge, error.ErrorType);
        Assert.Contains("tool calls", error.Message, StringComparison.Ordinal);
    }
}
