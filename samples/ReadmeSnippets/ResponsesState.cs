// README.md, "OpenAI Responses": stateless tool loops and background responses.
using Microsoft.Extensions.AI;
using YuHuan.Connector;

namespace ReadmeSnippets;

internal static class ResponsesState
{
    public static async Task RunAsync()
    {
        // <snippet:responses-stateless>
        using IChatClient responses = new ChatClientBuilder(new YuHuanChatClient(new YuHuanChatClientOptions
        {
            Protocol = YuHuanProtocol.Responses,
            ModelId = "gpt-5-mini",
            ApiKey = Environment.GetEnvironmentVariable("YUHUAN_API_KEY"),
        })).UseFunctionInvocation().Build();

        var weather = AIFunctionFactory.Create((string city) => $"Sunny in {city}", "get_weather");
        var stateless = new ChatOptions
        {
            Tools = [weather],
            AdditionalProperties = new() { ["store"] = false },   // leave it out to let the server keep the conversation
        };
        Console.WriteLine(await responses.GetResponseAsync("Weather in Paris?", stateless));
        // </snippet:responses-stateless>

        // <snippet:responses-background>
        #pragma warning disable MEAI001 // background responses are experimental in Microsoft.Extensions.AI

        var background = new ChatOptions { AllowBackgroundResponses = true };
        var answer = await responses.GetResponseAsync("Write a long report.", background);
        while (answer.ContinuationToken is { } token)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            answer = await responses.GetResponseAsync([], new ChatOptions { ContinuationToken = token });
        }

        Console.WriteLine(answer.Text);
        // </snippet:responses-background>
    }
}
