using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.EndToEnd;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>The <see cref="ChatOptions"/> members OpenAI Responses sends, and those it logs once as having no field for them.</summary>
public sealed class ResponsesUnsentOptionsEndToEndTests : UnsentOptionsTestBase
{
    [Fact]
    public async Task Responses_SeedStopSequencesPenaltiesAndTopK_LoggedOnceEachAndTheRestSent()
    {
        var log = new LogRecorder();
        using var client = CreateLoggingClient(YuHuanProtocol.Responses, log);

        await client.GetResponseAsync("hi", EveryOption);
        await client.GetResponseAsync("hi again", EveryOption);

        JsonAssert.BodyEqual(
            """
            {
              "model": "yuhuan-test",
              "input": [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}],
              "stream": false,
              "temperature": 0.5,
              "top_p": 0.9,
              "max_output_tokens": 900,
              "reasoning": {"effort": "low"}
            }
            """,
            Emulator.Requests[0].Json.GetRawText());
        Assert.Equal(
            ["FrequencyPenalty", "PresencePenalty", "Seed", "StopSequences", "TopK"],
            Unsent(log, "Responses"));
    }
}
