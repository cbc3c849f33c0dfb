using System.Globalization;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Http;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.EndToEnd;

namespace YuHuan.Connector.Tests.Http;

/// <summary>
/// Retry hints out of range (a value no <see cref="TimeSpan"/> holds, infinite, NaN, negative, or beyond what the
/// <c>Retry-After</c> parser accepts) are ignored like garbage: the request is retried with the usual backoff, and only
/// when retries are exhausted does the caller get the typed error, never an <see cref="OverflowException"/>.
/// </summary>
public sealed class RetryAfterTests : EmulatorTestBase
{
    public static TheoryData<string, string> OutOfRange => new()
    {
        { "retry-after-ms", "1e300" },
        { "retry-after-ms", "Infinity" },
        { "retry-after-ms", "-Infinity" },
        { "retry-after-ms", "NaN" },
        { "retry-after-ms", "-5" },
        { "retry-after-ms", "1e15" },
        { "retry-after-ms", "1.7976931348623157E+308" },
        { "Retry-After", "99999999999999999999" },
        { "Retry-After", "-1" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task GetResponseAsync_OutOfRangeRetryHint_IsIgnored_AndTheRequestRetried(string header, string value)
    {
        Emulator.Enqueue(EmulatorReply.HttpError(429, "Slow down.", "rate_limit_error").WithHeader(header, value), EmulatorReply.Text("made it"));
        using var client = CreateClient(o => (o.MaxRetries, o.MaxRetryDelay) = (1, TimeSpan.FromMilliseconds(20)));

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("made it", response.Text);
        Assert.Equal(2, Emulator.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task GetStreamingResponseAsync_OutOfRangeRetryHint_RetriesExhausted_ThrowsTheTypedError(string header, string value)
    {
        Emulator.Enqueue(EmulatorReply.HttpError(429, "Slow down.", "rate_limit_error").WithHeader(header, value));
        using var client = CreateClient(o => o.MaxRetries = 0);

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("hi"))
            {
            }
        });

        Assert.Equal(429, ex.StatusCode);
        Assert.Equal("rate_limit_error", ex.ErrorType);
        Assert.Null(ex.RetryAfter);
    }

    [Theory]
    [InlineData("retry-after-ms", "1e300")]
    [InlineData("retry-after-ms", "Infinity")]
    [InlineData("retry-after-ms", "NaN")]
    [InlineData("retry-after-ms", "-1")]
    [InlineData("retry-after-ms", "2147483647001")]
    [InlineData("Retry-After", "2147483648")]
    [InlineData("Retry-After", "-30")]
    public void ReadRetryAfter_OutOfRange_IsNull(string header, string value)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation(header, value);

        Assert.Null(GatewayError.ReadRetryAfter(response));
    }

    [Theory]
    [InlineData("retry-after-ms", "1500", 1_500)]
    [InlineData("retry-after-ms", "0", 0)]
    [InlineData("retry-after-ms", "2147483647000", 2_147_483_647_000)]
    [InlineData("Retry-After", "2", 2_000)]
    [InlineData("Retry-After", "2147483647", 2_147_483_647_000)]
    public void ReadRetryAfter_InRange_IsRead(string header, string value, long expectedMilliseconds)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation(header, value);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), GatewayError.ReadRetryAfter(response));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(7000)]
    public void ReadRetryAfter_DateFarAhead_IsReadAsTheWaitUntilThen(int years)
    {
        using var response = new HttpResponseMessage();
        var date = DateTimeOffset.UtcNow.AddYears(years);
        response.Headers.TryAddWithoutValidation("Retry-After", date.ToString("r", CultureInfo.InvariantCulture));

        var wait = GatewayError.ReadRetryAfter(response);

        Assert.NotNull(wait);
        Assert.InRange(wait.Value, date - DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1), date - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
    }
}
