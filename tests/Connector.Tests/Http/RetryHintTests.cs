using System.Globalization;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.EndToEnd;

namespace YuHuan.Connector.Tests.Http;

/// <summary>
/// What the server says about retrying is followed on every protocol: a <c>Retry-After</c> date is read like the same
/// wait in seconds, and <c>x-should-retry</c> overrides the status (as the official SDKs do).
/// </summary>
public sealed class RetryHintTests : EmulatorTestBase
{
    public static TheoryData<YuHuanProtocol, int> NotRetriedStatuses => TestProtocols.Cross([500, 503, 529, 429, 408]);

    public static TheoryData<YuHuanProtocol, int> RetriedStatuses => TestProtocols.Cross([400, 404, 409, 422]);

    [Theory]
    [InlineData("Fri, 31 Dec 9999 23:59:59 GMT")]
    [InlineData("999999999")]
    public async Task RetryAfterBeyondMaxRetryDelay_DateOrSeconds_OneAttempt_AndReported(string value)
    {
        Emulator.Enqueue(EmulatorReply.HttpError(429, "Come back much later.", "rate_limit_error").WithHeader("Retry-After", value), EmulatorReply.Text("not reached"));
        using var client = CreateClient(o => (o.MaxRetries, o.MaxRetryDelay) = (3, TimeSpan.FromMilliseconds(50)));

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(429, ex.StatusCode);
        Assert.NotNull(ex.RetryAfter);
        Assert.True(ex.RetryAfter > TimeSpan.FromDays(365 * 30), $"RetryAfter {ex.RetryAfter}");
        Assert.Single(Emulator.Requests);
    }

    [Fact]
    public async Task RetryAfterDateWithinMaxRetryDelay_IsWaitedFor_AndRetried()
    {
        var date = DateTimeOffset.UtcNow.AddSeconds(-5).ToString("r", CultureInfo.InvariantCulture);
        Emulator.Enqueue(EmulatorReply.HttpError(503, "Now.", "server_error").WithHeader("Retry-After", date), EmulatorReply.Text("made it"));
        using var client = CreateClient(o => (o.MaxRetries, o.MaxRetryDelay) = (1, TimeSpan.FromSeconds(5)));

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("made it", response.Text);
        Assert.Equal(2, Emulator.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(NotRetriedStatuses))]
    public async Task ShouldRetryFalse_OnAStatusOtherwiseRetried_OneAttempt(YuHuanProtocol protocol, int status)
    {
        Emulator.Enqueue(EmulatorReply.HttpError(status, "Do not come back.").WithHeader("x-should-retry", "false").WithHeader("retry-after-ms", "1"), EmulatorReply.Text("not reached"));
        using var client = CreateClient(o => (o.Protocol, o.MaxRetries, o.MaxRetryDelay) = (protocol, 3, TimeSpan.FromMilliseconds(20)));

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => client.GetStreamingResponseAsync("hi").ToListAsync().AsTask());

        Assert.Equal(status, ex.StatusCode);
        Assert.Single(Emulator.Requests);
    }

    [Theory]
    [MemberData(nameof(RetriedStatuses))]
    public async Task ShouldRetryTrue_OnAStatusOtherwiseFinal_IsRetried(YuHuanProtocol protocol, int status)
    {
        Emulator.Enqueue(EmulatorReply.HttpError(status, "Try again.", "invalid_request_error").WithHeader("X-Should-Retry", "TRUE").WithHeader("retry-after-ms", "1"), EmulatorReply.Text("made it"));
        using var client = CreateClient(o => (o.Protocol, o.MaxRetries, o.MaxRetryDelay) = (protocol, 2, TimeSpan.FromMilliseconds(20)));

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("made it", response.Text);
        Assert.Equal(2, Emulator.Requests.Count);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("")]
    [InlineData("1")]
    public async Task ShouldRetryThatIsNeitherTrueNorFalse_TheStatusDecides(string value)
    {
        Emulator.Enqueue(
            EmulatorReply.HttpError(400, "No.", "invalid_request_error").WithHeader("x-should-retry", value),
            EmulatorReply.HttpError(503, "Busy.").WithHeader("x-should-retry", value).WithHeader("retry-after-ms", "1"),
            EmulatorReply.Text("made it"));
        using var client = CreateClient(o => (o.MaxRetries, o.MaxRetryDelay) = (2, TimeSpan.FromMilliseconds(20)));

        var first = await Assert.ThrowsAsync<YuHuanApiException>(() => client.GetResponseAsync("hi"));
        var second = await client.GetResponseAsync("hi");

        Assert.Equal(400, first.StatusCode);
        Assert.Equal("made it", second.Text);
        Assert.Equal(3, Emulator.Requests.Count);
    }
}
