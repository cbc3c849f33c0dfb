using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.Reliability;

namespace YuHuan.Connector.Tests.Http;

/// <summary>A gateway nobody answers for: the error says how many attempts were made over how long.</summary>
public sealed partial class UnreachableGatewayTests
{
    [Theory]
    [InlineData(0, "1 attempt")]
    [InlineData(2, "3 attempts")]
    public async Task GetResponseAsync_NothingListens_MessageSaysAttemptsAndTime(int maxRetries, string attempts)
    {
        var port = ClosedPort.Find();
        using var client = new YuHuanChatClient(new YuHuanChatClientOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}/v1/"),
            ModelId = "m",
            MaxRetries = maxRetries,
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        });

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(YuHuanErrorTypes.ConnectionError, ex.ErrorType);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.StartsWith($"Could not reach the gateway at http://127.0.0.1:{port} after {attempts} over ", ex.Message, StringComparison.Ordinal);
        var seconds = double.Parse(SecondsPattern().Match(ex.Message).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, maxRetries * 0.04, 30);
    }

    [GeneratedRegex(" over ([0-9]+(?:\\.[0-9]+)?) s: ")]
    private static partial Regex SecondsPattern();
}
