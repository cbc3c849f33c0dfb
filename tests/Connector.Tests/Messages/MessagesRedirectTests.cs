using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.EndToEnd;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>
/// The clients the library creates itself follow no redirect, so Messages, whose key goes in <c>x-api-key</c> as well as
/// <c>Authorization</c>, sends both only to the configured endpoint.
/// </summary>
public sealed class MessagesRedirectTests : EmulatorTestBase
{
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
