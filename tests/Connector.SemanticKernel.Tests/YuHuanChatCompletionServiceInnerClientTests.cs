using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Services;
using Moq;
using YuHuan.Connector.SemanticKernel.Tests.TestSupport;
using AIFunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using AIFunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;
using AITextContent = Microsoft.Extensions.AI.TextContent;
using KernelFunctionResultContent = Microsoft.SemanticKernel.FunctionResultContent;

namespace YuHuan.Connector.SemanticKernel.Tests;

/// <summary>
/// What <see cref="YuHuanChatCompletionService"/> asks of the <see cref="IChatClient"/> under it and how it maps what
/// comes back, with the inner client a mock: the settings and the caller's cancellation reach it, and its response and
/// updates become Semantic Kernel content. The same service over the real pipeline is in <see cref="YuHuanChatCompletionServiceTests"/>.
/// </summary>
public sealed class YuHuanChatCompletionServiceInnerClientTests
{
    private const string InnerModelId = "inner-model";
    private static readonly Uri InnerEndpoint = new("https://gateway.example.com/v1/");

    private readonly Mock<IChatClient> _inner = new(MockBehavior.Strict);
    private readonly Kernel _kernel;

    public YuHuanChatCompletionServiceInnerClientTests()
    {
        _inner.Setup(client => client.GetService(typeof(ChatClientMetadata), null))
            .Returns(new ChatClientMetadata("yuhuan", InnerEndpoint, InnerModelId));
        _inner.Setup(client => client.Dispose());
        var builder = Kernel.CreateBuilder();
        builder.Plugins.AddFromObject(new WeatherPlugin(), WeatherPlugin.PluginName);
        _kernel = builder.Build();
    }

    [Fact]
    public void Constructor_InnerClientMetadata_BecomesTheModelIdAndEndpointAttributes()
    {
        using var service = new YuHuanChatCompletionService(_inner.Object);

        Assert.Equal(InnerModelId, service.GetModelId());
        Assert.Equal(InnerEndpoint.ToString(), service.GetEndpoint());
        _inner.Verify(client => client.GetService(typeof(ChatClientMetadata), null), Times.Once);
        _inner.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task GetChatMessageContentsAsync_PassesMappedSettingsAndTheCallersTokenAndMapsTheResponse()
    {
        using var cancellation = new CancellationTokenSource();
        List<ChatMessage>? sentMessages = null;
        ChatOptions? sentOptions = null;
        var usage = new UsageDetails { InputTokenCount = 11, OutputTokenCount = 7 };
        _inner.Setup(client => client.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), cancellation.Token))
            .Callback((IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken _) => (sentMessages, sentOptions) = ([.. messages], options))
            .ReturnsAsync(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextReasoningContent("Look it up."), new AITextContent("Sunny.")]))
            {
                ModelId = InnerModelId,
                Usage = usage,
                FinishReason = ChatFinishReason.Stop,
            });
        using var service = new YuHuanChatCompletionService(_inner.Object);
        var history = new ChatHistory("Be brief.");
        history.AddUserMessage("Weather in Paris?");
        var settings = new PromptExecutionSettings
        {
            ModelId = "settings-model",
            FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(),
            ExtensionData = new Dictionary<string, object> { ["temperature"] = 0.25 },
        };

        var answer = await service.GetChatMessageContentAsync(history, settings, _kernel, cancellation.Token);

        _inner.Verify(client => client.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), cancellation.Token), Times.Once);
        Assert.Equal([(ChatRole.System, "Be brief."), (ChatRole.User, "Weather in Paris?")], sentMessages!.Select(message => (message.Role, message.Text)));
        Assert.NotNull(sentOptions);
        Assert.Equal("settings-model", sentOptions.ModelId);
        Assert.Equal(0.25f, sentOptions.Temperature);
        Assert.IsType<AutoChatToolMode>(sentOptions.ToolMode);
        Assert.Equal([WeatherScript.ToolName], sentOptions.Tools!.Select(tool => tool.Name));

        Assert.Equal(AuthorRole.Assistant, answer.Role);
        Assert.Equal("Sunny.", answer.Content);
        Assert.Equal(InnerModelId, answer.ModelId);
        Assert.Equal("Look it up.", Assert.Single(answer.Items.OfType<ReasoningContent>()).Text);
        Assert.Same(usage, answer.Metadata?["Usage"]);
        Assert.Equal("stop", answer.Metadata?["FinishReason"]);
        Assert.Equal(2, history.Count);
    }

    [Fact]
    public async Task GetStreamingChatMessageContentsAsync_PassesTheCallersTokenAndMapsEveryKindOfUpdate()
    {
        using var cancellation = new CancellationTokenSource();
        var usage = new UsageDetails { InputTokenCount = 20, OutputTokenCount = 4 };
        _inner.Setup(client => client.GetStreamingResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), cancellation.Token))
            .Returns(UpdatesAsync(
                new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent("Ask the tool.")]),
                new ChatResponseUpdate(ChatRole.Assistant, [new AIFunctionCallContent("call_1", WeatherScript.ToolName, new Dictionary<string, object?> { ["city"] = "Paris" })]),
                new ChatResponseUpdate(ChatRole.Tool, [new AIFunctionResultContent("call_1", "Paris: sunny")]),
                new ChatResponseUpdate(ChatRole.Assistant, "Sunny "),
                new ChatResponseUpdate(ChatRole.Assistant, "in Paris."),
                new ChatResponseUpdate { Contents = [new UsageContent(usage)], FinishReason = ChatFinishReason.Stop }));
        using var service = new YuHuanChatCompletionService(_inner.Object);
        var history = new ChatHistory();
        history.AddUserMessage("Weather in Paris?");

        var chunks = new List<StreamingChatMessageContent>();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history, new PromptExecutionSettings(), _kernel, cancellation.Token))
        {
            chunks.Add(chunk);
        }

        _inner.Verify(client => client.GetStreamingResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), cancellation.Token), Times.Once);
        Assert.Equal("Ask the tool.", Assert.Single(chunks.SelectMany(chunk => chunk.Items.OfType<StreamingReasoningContent>())).Text);

        // Semantic Kernel's streaming form of the name, which FunctionCallContentBuilder splits into plugin and function.
        var call = Assert.Single(chunks.SelectMany(chunk => chunk.Items.OfType<StreamingFunctionCallUpdateContent>()));
        Assert.Equal(("call_1", "Weather-GetForecast", 0), (call.CallId, call.Name, call.FunctionCallIndex));
        using (var arguments = JsonDocument.Parse(call.Arguments!))
        {
            Assert.Equal("Paris", Assert.Single(arguments.RootElement.EnumerateObject(), property => property.Name == "city").Value.GetString());
        }


        var tool = Assert.Single(chunks, chunk => chunk.Role == AuthorRole.Tool);
        var result = Assert.IsType<KernelFunctionResultContent>(tool.InnerContent);
        Assert.Equal(("call_1", WeatherPlugin.PluginName, WeatherPlugin.FunctionName, "Paris: sunny"), (result.CallId, result.PluginName, result.FunctionName, result.Result));
        Assert.Null(tool.Content);

        Assert.Equal("Sunny in Paris.", string.Concat(chunks.Select(chunk => chunk.Content)));
        var last = chunks[^1];
        Assert.Same(usage, last.Metadata?["Usage"]);
        Assert.Equal("stop", last.Metadata?["FinishReason"]);

        // The call and its result went into the history; the answer is the caller's to add.
        Assert.Equal([AuthorRole.User, AuthorRole.Assistant, AuthorRole.Tool], history.Select(message => message.Role));
    }

    [Fact]
    public void Dispose_DisposesTheInnerClient()
    {
        var service = new YuHuanChatCompletionService(_inner.Object);
        _inner.Verify(client => client.Dispose(), Times.Never);

        service.Dispose();

        _inner.Verify(client => client.Dispose(), Times.Once);
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> UpdatesAsync(params ChatResponseUpdate[] updates)
    {
        foreach (var update in updates)
        {
            await Task.Yield();
            yield return update;
        }
    }
}
