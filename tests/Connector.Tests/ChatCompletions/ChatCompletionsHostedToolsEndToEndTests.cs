using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.EndToEnd;

namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary>Chat Completions hosted tools through the real client over loopback: the protocol carries a web search only.</summary>
public sealed class ChatCompletionsHostedToolsEndToEndTests : EmulatorTestBase
{
    [Fact]
    public async Task GetResponseAsync_HostedCodeInterpreterOnChatCompletions_IsAnArgumentExceptionNamingTheProtocolsThatCarryIt()
    {
        using var client = Client(YuHuanProtocol.ChatCompletions);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("Run it.", new ChatOptions { Tools = [new HostedCodeInterpreterTool()] }));

        Assert.Contains("it is carried by " + TestProtocols.Carrying(new HostedCodeInterpreterTool()), error.Message, StringComparison.Ordinal);
        Assert.Empty(Emulator.Requests);
    }

    private YuHuanChatClient Client(YuHuanProtocol protocol) => CreateClient(o => o.Protocol = protocol);
}
