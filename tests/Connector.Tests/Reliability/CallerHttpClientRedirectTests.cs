using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
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
            foreach (var protocol in LandedProtocols.Protocols)
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
        var path = protocol switch
        {
            YuHuanProtocol.ChatCompletions => "chat/completions",
            YuHuanProtocol.Messages => "messages",
            _ => "responses",
        };
        Emulator.Enqueue(EmulatorReply.RawResponse(status, string.Empty, string.Empty).WithHeader("Location", new Uri(elsewhere.Endpoint, path).AbsoluteUri));
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

    [Theory]
    [InlineData("own")]
    [InlineData("dependency-injection")]
    public async Task ClientsTheLibraryCreates_FollowNoRedirect_AndSendBothMessagesKeyHeaders(string creator)
    {
        await using var elsewhere = await YuHuanEmulator.StartAsync();
        Emulator.Enqueue(EmulatorReply.RawResponse(307, string.Empty, string.Empty).WithHeader("Location", new Uri(elsewhere.Endpoint, "messages").AbsoluteUri));
        void Configure(YuHuanChatClientOptions o) => (o.Endpoint, o.ApiKey, o.ModelId, o.Protocol, o.MaxRetries) = (Emulator.Endpoint, ApiKey, "m", YuHuanProtocol.Messages, 0);
        var services = new ServiceCollection();
        services.AddYuHuanChatClient(Configure);
        await using var provider = services.BuildServiceProvider();
        var options = new YuHuanChatClientOptions();
        Configure(options);
        using var own = new YuHuanChatClient(options);
        var client = creator == "own" ? own : provider.GetRequiredService<IChatClient>();

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(307, ex.StatusCode);
        Assert.Empty(elsewhere.Requests);
        var configured = Assert.Single(Emulator.Requests);
        Assert.Equal(ApiKey, configured.Headers["x-api-key"]);
        Assert.Equal("Bearer " + ApiKey, configured.Headers["Authorization"]);
    }
}
