// src/Connector.Testing/README.md.
// <snippet:emulator-in-a-test>
using Microsoft.Extensions.AI;
using Xunit;
using YuHuan.Connector;
using YuHuan.Connector.Testing;

// </snippet:emulator-in-a-test>
namespace ReadmeSnippets;

// <snippet:emulator-in-a-test>
public class WeatherAnswerTests
{
    [Fact]
    public async Task GetResponseAsync_ScriptedReply_ReturnsItsText()
    {
        await using var emulator = await YuHuanEmulator.StartAsync();
        emulator.Enqueue(EmulatorReply.Text("It is sunny in Paris."));

        using IChatClient client = new YuHuanChatClient(new YuHuanChatClientOptions
        {
            Endpoint = emulator.Endpoint,   // http://127.0.0.1:{port}/v1/, no API key needed on loopback
            ModelId = "test-model",
        });

        var response = await client.GetResponseAsync("Weather in Paris?");

        Assert.Equal("It is sunny in Paris.", response.Text);
        Assert.Equal("test-model", emulator.Requests[0].Json.GetProperty("model").GetString());
    }
}
// </snippet:emulator-in-a-test>
