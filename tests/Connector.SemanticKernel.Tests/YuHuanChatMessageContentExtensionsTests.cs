using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using YuHuan.Connector.Tests;
using YuHuan.Connector.SemanticKernel.Tests.TestSupport;
using AIFunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using KernelFunctionCallContent = Microsoft.SemanticKernel.FunctionCallContent;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.SemanticKernel.Tests;

/// <summary><c>ToYuHuanChatMessage</c>: a kernel loop's history handed to an agent, as <c>samples/SemanticKernelAgent</c> does.</summary>
public sealed class YuHuanChatMessageContentExtensionsTests : KernelTestBase
{
    private const string FollowUp = "And which city is warmer?";

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ToYuHuanChatMessage_KernelLoopHistoryHandedToAnAgent_SendsReasoningAndPluginQualifiedCalls(YuHuanProtocol protocol)
    {
        Emulator.Enqueue(WeatherScript.ToolCalls(), WeatherScript.FinalAnswer(), EmulatorReply.Text("Paris, most likely."));
        var kernel = CreateKernel(protocol, Registration.ChatCompletionService);
        var history = new ChatHistory();
        history.AddUserMessage(WeatherScript.Prompt);
        history.Add(await kernel.GetRequiredService<IChatCompletionService>().GetChatMessageContentAsync(history, AutoInvoke, kernel, Timeout));

        var agent = CreateAgent(protocol, "You are a weather assistant.");
        var session = await agent.CreateSessionAsync(Timeout);
        var response = await agent.RunAsync([.. history.Select(message => message.ToYuHuanChatMessage()), new ChatMessage(ChatRole.User, FollowUp)], session, cancellationToken: Timeout);

        Assert.Equal("Paris, most likely.", response.Text);
        var handedOver = Emulator.Requests[2].Json;
        var wire = TestProtocols.Kit(protocol);
        Assert.Equal(
            [(WeatherScript.ParisCallId, WeatherScript.ToolName), (WeatherScript.TokyoCallId, WeatherScript.ToolName)],
            wire.ToolCalls(handedOver).Select(call => (call.CallId, call.Name)));
        Assert.Equal(
            [(WeatherScript.ParisCallId, WeatherScript.ParisResult), (WeatherScript.TokyoCallId, WeatherScript.TokyoResult)],
            wire.ToolResults(handedOver));
        var reasoning = wire.Reasoning(handedOver);
        Assert.Equal([WeatherScript.CallReasoning, WeatherScript.AnswerReasoning], reasoning.Select(piece => piece.Text));
        if (wire.SendsReasoningSignaturesBack)
        {
            Assert.Equal([WeatherScript.CallSignature, WeatherScript.AnswerSignature], reasoning.Select(piece => piece.Signature));
        }

        if (wire.ReasoningItemIdPrefix is { } prefix)
        {
            Assert.All(wire.ReasoningItemIds(handedOver), id => Assert.StartsWith(prefix, id, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ToYuHuanChatMessage_HistoryBuiltByHand_ConvertsItemsAndJoinsPluginAndFunctionNames()
    {
        var content = new ChatMessageContent(AuthorRole.Assistant, [
            new ReasoningContent("thinking it over"),
            new Microsoft.SemanticKernel.TextContent("Checking."),
            new KernelFunctionCallContent(WeatherPlugin.FunctionName, WeatherPlugin.PluginName, "call_1", new KernelArguments { ["city"] = "Paris" }),
        ]);

        var message = content.ToYuHuanChatMessage();

        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.Equal("thinking it over", Assert.IsType<TextReasoningContent>(message.Contents[0]).Text);
        Assert.Null(((TextReasoningContent)message.Contents[0]).ProtectedData);
        Assert.Equal("Checking.", Assert.IsType<Microsoft.Extensions.AI.TextContent>(message.Contents[1]).Text);
        var call = Assert.IsType<AIFunctionCallContent>(message.Contents[2]);
        Assert.Equal(("call_1", WeatherScript.ToolName, "Paris"), (call.CallId, call.Name, call.Arguments!["city"]?.ToString()));
    }

    [Fact]
    public void ToYuHuanChatMessage_EditedReasoning_DropsTheSignatureThatNoLongerMatches()
    {
        var signed = new TextReasoningContent("original") { ProtectedData = "sig" };
        var state = JsonSerializer.SerializeToElement<AIContent>(signed, AIJsonUtilities.DefaultOptions);
        var content = new ChatMessageContent(AuthorRole.Assistant, [new ReasoningContent("edited") { Metadata = new Dictionary<string, object?> { ["yuhuan_content"] = state } }]);

        var reasoning = Assert.IsType<TextReasoningContent>(Assert.Single(content.ToYuHuanChatMessage().Contents));

        Assert.Equal("edited", reasoning.Text);
        Assert.Null(reasoning.ProtectedData);
    }

    [Theory]
    [InlineData("yuhuan_content", "not the connector's JSON")]
    [InlineData("yuhuan_preceding", "not the connector's JSON")]
    public void ToYuHuanChatMessage_ForeignValueUnderTheConnectorsKey_ThrowsArgumentExceptionNamingIt(string key, string value)
    {
        var content = new ChatMessageContent(AuthorRole.Assistant, [new ReasoningContent("r") { Metadata = new Dictionary<string, object?> { [key] = value } }]);

        var error = Assert.Throws<ArgumentException>(() => content.ToYuHuanChatMessage());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToYuHuanChatMessage_Null_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>("content", () => ((ChatMessageContent)null!).ToYuHuanChatMessage());
}
