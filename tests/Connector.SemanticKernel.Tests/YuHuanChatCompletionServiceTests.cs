using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using YuHuan.Connector.Tests;
using YuHuan.Connector.SemanticKernel.Tests.TestSupport;
using YuHuan.Connector.Testing;
using KernelFunctionCallContent = Microsoft.SemanticKernel.FunctionCallContent;
using KernelFunctionResultContent = Microsoft.SemanticKernel.FunctionResultContent;

namespace YuHuan.Connector.SemanticKernel.Tests;

/// <summary>The <see cref="IChatCompletionService"/> that <c>AddYuHuanChatCompletion</c> registers, in the classic kernel loop.</summary>
public sealed class YuHuanChatCompletionServiceTests : KernelTestBase
{
    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task GetStreamingChatMessageContentsAsync_ParallelToolCalls_RunsPluginThroughFiltersAndStreamsEverything(YuHuanProtocol protocol)
    {
        Emulator.Enqueue(WeatherScript.ToolCalls(), WeatherScript.FinalAnswer());
        var kernel = CreateKernel(protocol, Registration.ChatCompletionService);
        var service = kernel.GetRequiredService<IChatCompletionService>();
        var history = new ChatHistory();
        history.AddUserMessage(WeatherScript.Prompt);

        var chunks = new List<StreamingChatMessageContent>();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history, AutoInvoke, kernel, Timeout))
        {
            chunks.Add(chunk);
        }

        ScenarioAssert.PluginRanBothCalls(Plugin);
        Assert.Equal(ScenarioAssert.BothFiltersBothCalls, Log.Entries);
        ScenarioAssert.SecondRequestCarriesBothResults(Emulator, protocol);

        var reasoning = string.Concat(chunks.SelectMany(chunk => chunk.Items.OfType<StreamingReasoningContent>()).Select(item => item.Text));
        Assert.Equal(WeatherScript.CallReasoning + WeatherScript.AnswerReasoning, reasoning);
        Assert.True(chunks.Count(chunk => chunk.Items.OfType<StreamingReasoningContent>().Any()) > 2, "Reasoning should arrive in several chunks, as it streams.");
        Assert.Equal(WeatherScript.Answer, string.Concat(chunks.Where(chunk => chunk.Role != AuthorRole.Tool).Select(chunk => chunk.Content)));

        var callUpdates = chunks.SelectMany(chunk => chunk.Items.OfType<StreamingFunctionCallUpdateContent>()).ToList();
        Assert.Equal([WeatherScript.ParisCallId, WeatherScript.TokyoCallId], callUpdates.Select(update => update.CallId));
        Assert.All(callUpdates, update => Assert.Equal("Weather-GetForecast", update.Name));

        var toolChunks = chunks.Where(chunk => chunk.Role == AuthorRole.Tool).ToList();
        Assert.All(toolChunks, chunk => Assert.Null(chunk.Content));
        var streamedResults = toolChunks.Select(chunk => Assert.IsType<KernelFunctionResultContent>(chunk.InnerContent)).ToList();
        Assert.Equal(
            [(WeatherScript.ParisCallId, WeatherScript.ParisResult), (WeatherScript.TokyoCallId, WeatherScript.TokyoResult)],
            streamedResults.Select(result => (result.CallId, result.Result?.ToString())));
        Assert.All(streamedResults, result => Assert.Equal(WeatherPlugin.PluginName, result.PluginName));

        var usage = chunks.Select(chunk => chunk.Metadata?.GetValueOrDefault("Usage")).OfType<UsageDetails>().ToList();
        Assert.Equal([52L, 120L], usage.Select(details => details.InputTokenCount ?? 0));
        Assert.Equal(WeatherScript.ReportedReasoningTokens(protocol), usage.Select(details => details.ReasoningTokenCount ?? 0));

        Assert.Equal(3, history.Count);
        ScenarioAssert.HistoryHoldsCallsAndResults(history, start: 1);
        Assert.Equal(WeatherScript.CallReasoning, string.Concat(history[1].Items.OfType<ReasoningContent>().Select(item => item.Text)));
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task GetChatMessageContentsAsync_ParallelToolCalls_ReturnsAnswerWithReasoningAndUsage(YuHuanProtocol protocol)
    {
        Emulator.Enqueue(WeatherScript.ToolCalls(), WeatherScript.FinalAnswer());
        var kernel = CreateKernel(protocol, Registration.ChatCompletionService);
        var service = kernel.GetRequiredService<IChatCompletionService>();
        var history = new ChatHistory();
        history.AddUserMessage(WeatherScript.Prompt);

        var answer = await service.GetChatMessageContentAsync(history, AutoInvoke, kernel, Timeout);

        ScenarioAssert.PluginRanBothCalls(Plugin);
        Assert.Equal(ScenarioAssert.BothFiltersBothCalls, Log.Entries);
        ScenarioAssert.SecondRequestCarriesBothResults(Emulator, protocol);
        Assert.Equal(AuthorRole.Assistant, answer.Role);
        Assert.Equal(WeatherScript.Answer, answer.Content);
        Assert.Equal(WeatherScript.AnswerReasoning, Assert.Single(answer.Items.OfType<ReasoningContent>()).Text);
        var usage = Assert.IsType<UsageDetails>(answer.Metadata?["Usage"]);
        Assert.Equal(52 + 120, usage.InputTokenCount);
        Assert.Equal("stop", answer.Metadata?["FinishReason"]);

        Assert.Equal(3, history.Count);
        ScenarioAssert.HistoryHoldsCallsAndResults(history, start: 1);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task InvokePromptAsync_ParallelToolCalls_RunsPluginThroughFiltersAndReturnsReasoning(YuHuanProtocol protocol)
    {
        Emulator.Enqueue(WeatherScript.ToolCalls(), WeatherScript.FinalAnswer());
        var kernel = CreateKernel(protocol, Registration.ChatCompletionService);

        var result = await kernel.InvokePromptAsync(WeatherScript.Prompt, new KernelArguments(AutoInvoke), cancellationToken: Timeout);

        ScenarioAssert.PluginRanBothCalls(Plugin);
        Assert.Equal(ScenarioAssert.BothFiltersBothCalls, Log.Entries);
        ScenarioAssert.SecondRequestCarriesBothResults(Emulator, protocol);
        Assert.Equal(WeatherScript.Answer, result.GetValue<string>());
        var message = result.GetValue<ChatMessageContent>()!;
        Assert.Equal(WeatherScript.AnswerReasoning, Assert.Single(message.Items.OfType<ReasoningContent>()).Text);
        Assert.IsType<UsageDetails>(message.Metadata?["Usage"]);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task InvokePromptStreamingAsync_ParallelToolCalls_RunsPluginThroughFiltersAndStreamsReasoning(YuHuanProtocol protocol)
    {
        Emulator.Enqueue(WeatherScript.ToolCalls(), WeatherScript.FinalAnswer());
        var kernel = CreateKernel(protocol, Registration.ChatCompletionService);

        var chunks = new List<StreamingChatMessageContent>();
        await foreach (var chunk in kernel.InvokePromptStreamingAsync<StreamingChatMessageContent>(WeatherScript.Prompt, new KernelArguments(AutoInvoke), cancellationToken: Timeout))
        {
            chunks.Add(chunk);
        }

        ScenarioAssert.PluginRanBothCalls(Plugin);
        Assert.Equal(ScenarioAssert.BothFiltersBothCalls, Log.Entries);
        ScenarioAssert.SecondRequestCarriesBothResults(Emulator, protocol);
        Assert.Equal(
            WeatherScript.CallReasoning + WeatherScript.AnswerReasoning,
            string.Concat(chunks.SelectMany(chunk => chunk.Items.OfType<StreamingReasoningContent>()).Select(item => item.Text)));
        Assert.Equal(WeatherScript.Answer, string.Concat(chunks.Select(chunk => chunk.Content)));
        Assert.Equal(
            [WeatherScript.ParisCallId, WeatherScript.TokyoCallId],
            chunks.Where(chunk => chunk.Role == AuthorRole.Tool).Select(chunk => Assert.IsType<KernelFunctionResultContent>(chunk.InnerContent).CallId));
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task GetStreamingChatMessageContentsAsync_AutoInvokeFalse_StreamsCallsTheCallerCanRunAndContinue(YuHuanProtocol protocol)
    {
        Emulator.Enqueue(WeatherScript.ToolCalls(), WeatherScript.FinalAnswer());
        var kernel = CreateKernel(protocol, Registration.ChatCompletionService);
        var service = kernel.GetRequiredService<IChatCompletionService>();
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(autoInvoke: false) };
        var history = new ChatHistory();
        history.AddUserMessage(WeatherScript.Prompt);

        var builder = new FunctionCallContentBuilder();
        var streamedNames = new List<string?>();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history, settings, kernel, Timeout))
        {
            builder.Append(chunk);
            streamedNames.AddRange(chunk.Items.OfType<StreamingFunctionCallUpdateContent>().Select(update => update.Name));
        }

        // The model was offered, and called, Weather_GetForecast; the streamed updates carry Semantic Kernel's
        // streaming form Weather-GetForecast, which FunctionCallContentBuilder splits into plugin and function.
        Assert.Equal([WeatherScript.ToolName], TestProtocols.Kit(protocol).ToolNames(Emulator.Requests[0].Json));
        Assert.Equal("Weather_GetForecast", WeatherScript.ToolName);
        Assert.Equal(["Weather-GetForecast", "Weather-GetForecast"], streamedNames);
        Assert.Single(Emulator.Requests);
        Assert.Empty(Plugin.Calls);
        Assert.Empty(Log.Entries);
        Assert.Single(history);
        var calls = builder.Build();
        Assert.Equal([WeatherScript.ParisCallId, WeatherScript.TokyoCallId], calls.Select(call => call.Id));
        Assert.All(calls, call => Assert.Equal((WeatherPlugin.PluginName, WeatherPlugin.FunctionName), (call.PluginName, call.FunctionName)));

        // The classic manual loop: add the calls, run each through the kernel, add the results, ask again.
        history.Add(new ChatMessageContent(AuthorRole.Assistant, [.. calls]));
        foreach (var call in calls)
        {
            history.Add((await call.InvokeAsync(kernel, Timeout)).ToChatMessage());
        }

        var answer = new StringBuilder();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history, settings, kernel, Timeout))
        {
            answer.Append(chunk.Content);
        }

        Assert.Equal(WeatherScript.Answer, answer.ToString());
        ScenarioAssert.PluginRanBothCalls(Plugin);
        Assert.Equal(["function Weather.GetForecast Paris", "function Weather.GetForecast Tokyo"], Log.Entries);
        ScenarioAssert.SecondRequestCarriesBothResults(Emulator, protocol);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task GetChatMessageContentsAsync_AutoInvokeFalse_ReturnsCallsWithPluginNames(YuHuanProtocol protocol)
    {
        Emulator.Enqueue(WeatherScript.ToolCalls());
        var kernel = CreateKernel(protocol, Registration.ChatCompletionService);
        var service = kernel.GetRequiredService<IChatCompletionService>();
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(autoInvoke: false) };
        var history = new ChatHistory();
        history.AddUserMessage(WeatherScript.Prompt);

        var message = await service.GetChatMessageContentAsync(history, settings, kernel, Timeout);

        Assert.Single(Emulator.Requests);
        Assert.Empty(Plugin.Calls);
        Assert.Empty(Log.Entries);
        var calls = KernelFunctionCallContent.GetFunctionCalls(message).ToList();
        Assert.Equal([WeatherScript.ParisCallId, WeatherScript.TokyoCallId], calls.Select(call => call.Id));
        Assert.All(calls, call => Assert.Equal((WeatherPlugin.PluginName, WeatherPlugin.FunctionName), (call.PluginName, call.FunctionName)));
        Assert.Equal("fahrenheit", calls[1].Arguments!["unit"]?.ToString());
        Assert.Equal(WeatherScript.CallReasoning, Assert.Single(message.Items.OfType<ReasoningContent>()).Text);
        Assert.Equal("tool_calls", message.Metadata?["FinishReason"]);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task GetStreamingChatMessageContentsAsync_FilterTerminates_EndsTheLoopWithoutAskingTheModelAgain(YuHuanProtocol protocol)
    {
        Emulator.Enqueue(WeatherScript.ToolCalls(), WeatherScript.FinalAnswer());
        var kernel = CreateKernel(protocol, Registration.ChatCompletionService, terminateAfterCallId: WeatherScript.ParisCallId);
        var service = kernel.GetRequiredService<IChatCompletionService>();
        var history = new ChatHistory();
        history.AddUserMessage(WeatherScript.Prompt);

        var chunks = new List<StreamingChatMessageContent>();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history, AutoInvoke, kernel, Timeout))
        {
            chunks.Add(chunk);
        }

        Assert.Single(Emulator.Requests);
        Assert.Equal(["Paris/celsius"], Plugin.Calls);
        Assert.Equal([$"auto Weather.GetForecast {WeatherScript.ParisCallId}", "function Weather.GetForecast Paris"], Log.Entries);
        var result = Assert.IsType<KernelFunctionResultContent>(Assert.Single(chunks, chunk => chunk.Role == AuthorRole.Tool).InnerContent);
        Assert.Equal((WeatherScript.ParisCallId, WeatherScript.ParisResult), (result.CallId, result.Result?.ToString()));
        Assert.DoesNotContain(chunks, chunk => chunk.Content?.Length > 0);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task GetStreamingChatMessageContentsAsync_PluginThrows_SendsTheErrorToTheModelAndGoesOn(YuHuanProtocol protocol)
    {
        const string Apology = "Paris is sunny; I could not get a forecast for Atlantis.";
        Emulator.Enqueue(WeatherScript.ToolCalls(tokyoCity: "Atlantis"), WeatherScript.FinalAnswer(Apology));
        var kernel = CreateKernel(protocol, Registration.ChatCompletionService);
        var service = kernel.GetRequiredService<IChatCompletionService>();
        var history = new ChatHistory();
        history.AddUserMessage(WeatherScript.Prompt);

        var answer = new StringBuilder();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history, AutoInvoke, kernel, Timeout))
        {
            answer.Append(chunk.Content);
        }

        Assert.Equal(Apology, answer.ToString());
        Assert.Equal(["Paris/celsius", "Atlantis/fahrenheit"], Plugin.Calls);
        Assert.Equal(2, Emulator.Requests.Count);
        var results = TestProtocols.Kit(protocol).ToolResults(Emulator.Requests[1].Json);
        Assert.Equal((WeatherScript.ParisCallId, WeatherScript.ParisResult), results[0]);
        Assert.Equal(WeatherScript.TokyoCallId, results[1].CallId);
        Assert.StartsWith("Error", results[1].Result, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task GetStreamingChatMessageContentsAsync_NextTurn_SendsTheHistoryBackWithToolNamesAndReasoning(YuHuanProtocol protocol)
    {
        const string FollowUp = "Which city should I visit?";
        Emulator.Enqueue(WeatherScript.ToolCalls(), WeatherScript.FinalAnswer(), EmulatorReply.Text("Paris."));
        var kernel = CreateKernel(protocol, Registration.ChatCompletionService);
        var service = kernel.GetRequiredService<IChatCompletionService>();
        var history = new ChatHistory();
        history.AddUserMessage(WeatherScript.Prompt);
        var answer = new StringBuilder();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history, AutoInvoke, kernel, Timeout))
        {
            answer.Append(chunk.Content);
        }

        history.AddAssistantMessage(answer.ToString());
        history.AddUserMessage(FollowUp);
        var next = await service.GetChatMessageContentAsync(history, AutoInvoke, kernel, Timeout);

        Assert.Equal("Paris.", next.Content);
        var third = Emulator.Requests[2];
        var wire = TestProtocols.Kit(protocol);
        var calls = wire.ToolCalls(third.Json);
        Assert.Equal([WeatherScript.ParisCallId, WeatherScript.TokyoCallId], calls.Select(call => call.CallId));
        Assert.All(calls, call => Assert.Equal(WeatherScript.ToolName, call.Name));
        Assert.Equal(
            [(WeatherScript.ParisCallId, WeatherScript.ParisResult), (WeatherScript.TokyoCallId, WeatherScript.TokyoResult)],
            wire.ToolResults(third.Json));
        var reasoning = wire.Reasoning(third.Json);
        Assert.Equal(WeatherScript.CallReasoning, reasoning[0].Text);
        if (wire.SendsReasoningSignaturesBack)
        {
            Assert.Equal(WeatherScript.CallSignature, reasoning[0].Signature);
        }

        Assert.Contains(WeatherScript.Answer, third.Body, StringComparison.Ordinal);
        Assert.Contains(FollowUp, third.Body, StringComparison.Ordinal);
    }
}
