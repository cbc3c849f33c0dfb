using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.EndToEnd;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary>The <see cref="ChatOptions"/> members Chat Completions sends, and those it logs once as having no field for them.</summary>
public sealed class ChatCompletionsUnsentOptionsEndToEndTests : UnsentOptionsTestBase
{
    [Fact]
    public async Task ChatCompletions_ReasoningOutputAndConversationId_LoggedOnceEachAndTheRestSent()
    {
        var log = new LogRecorder();
        using var client = CreateLoggingClient(YuHuanProtocol.ChatCompletions, log);
        var options = EveryOption.Clone();
        options.ConversationId = "conversation-1";

        await client.GetResponseAsync("hi", options);
        await client.GetResponseAsync("hi again", options);

        JsonAssert.BodyEqual(
            """
            {
              "model": "yuhuan-test",
              "messages": [{"role": "user", "content": "hi"}],
              "stream": false,
              "temperature": 0.5,
              "top_p": 0.9,
              "top_k": 40,
              "max_tokens": 900,
              "stop": ["END"],
              "seed": 7,
              "frequency_penalty": 0.25,
              "presence_penalty": 0.5,
              "reasoning_effort": "low"
            }
            """,
            Emulator.Requests[0].Json.GetRawText());
        Assert.Equal(["ConversationId", "Reasoning.Output"], Unsent(log, "Chat Completions"));
    }
}
