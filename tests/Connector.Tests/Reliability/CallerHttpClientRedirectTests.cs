using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.EndToEnd;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// The key goes only to the configured endpoint, also through an <see cref="HttpClient"/> the caller passes in that follows
/// redirects (<c>new HttpClient()</c>): a gateway redirecting to a second loopback server never hands that server the key,
/// in any header, on any protocol, whatever the redirect status.
/// </summary>
public sealed class CallerHttpClientRedirectTests : EmulatorTestBase
{
    public static TheoryData<YuHuanProtocol, int, bool> Cases
    {
        get
        {
            var data = new TheoryData<YuHuanProtocol, int, bool>();
            foreach (var protocol in TestProtocols.Protocols)
            {
                foreach (var status in new[] { 301, 302, 303, 307, 308 })
                {
                    data.Add(protocol, status, true);
                }

                data.Add(protocol, 307, false);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RedirectToAnotherOrigin_ThroughACallersHttpClient_NeverCarriesTheKey(YuHuanProtocol protocol, int status, bool streaming)
    {
        await using var elsewhere = await YuHuanEmulator.StartAsync();
        elsewhere.DefaultReply = EmulatorReply.Text("answer from elsewhere");
        Emulator.Enqueue(EmulatorReply.RawResponse(status, string.Empty, string.Empty).WithHeader("Location", new Uri(elsewhere.Endpoint, TestProtocols.Kit(protocol).RelativePath).AbsoluteUri));
        using var httpClient = new HttpClient();
        using var client = new YuHuanChatClient(
            new YuHuanChatClientOptions { Endpoint = Emulator.Endpoint, ApiKey = ApiKey, ModelId = "m", Protocol = protocol, MaxRetries = 0 },
            httpClient);

        try
        {
            if (streaming)
            {
                await foreach (var _ in client.GetStreamingResponseAsync("hi"))
                {
                }
            }
            else
            {
                await client.GetResponseAsync("hi");
            }
        }
        catch (YuHuanApiException ex)
        {
            Assert.DoesNotContain(ApiKey, ex.ToString(), StringComparison.Ordinal);
        }

        // The caller's HttpClient followed the redirect: the second server saw a request, and none of its headers held the key.
        var seen = Assert.Single(elsewhere.Requests);
        Assert.DoesNotContain(seen.Headers, h => h.Value.Contains("secret-0123456789", StringComparison.Ordinal));
        Assert.DoesNotContain("secret-0123456789", seen.Body, StringComparison.Ordinal);

        // The configured endpoint did get the key, in Authorization only.
        var configured = Assert.Single(Emulator.Requests);
        Assert.Equal("Bearer " + ApiKey, configured.Headers["Authorization"]);
        Assert.Single(configured.Headers, h => h.Value.Contains(ApiKey, StringComparison.Ordinal));
    }
}
