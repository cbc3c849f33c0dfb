using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Shared;

/// <summary>Values a request cannot carry end in an <see cref="ArgumentException"/> naming where they came from, on every protocol.</summary>
public sealed class UnwritableValueTests
{
    public static TheoryData<YuHuanProtocol, string> Cases()
    {
        var data = new TheoryData<YuHuanProtocol, string>();
        foreach (var protocol in TestProtocols.Protocols)
        {
            foreach (var kind in new[] { "cycle", "type", "delegate", "stream", "throwing-getter", "cyclic-object" })
            {
                data.Add(protocol, kind);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AdditionalProperty_ThatCannotBeWritten_IsArgumentExceptionNamingIt(YuHuanProtocol protocol, string kind)
    {
        using var client = Client(protocol);
        var options = new ChatOptions { AdditionalProperties = new() { ["metadata"] = Unwritable(kind) } };

        var error = Assert.ThrowsAny<ArgumentException>(() => client.GetStreamingResponseAsync("hi", options));

        Assert.Contains("'metadata'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AdditionalProperties", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ToolCallArgumentsAndResults_ThatCannotBeWritten_AreArgumentExceptionsNamingTheCall(YuHuanProtocol protocol, string kind)
    {
        using var client = Client(protocol);
        List<ChatMessage> withBadArguments =
        [
            new(ChatRole.User, "weather?"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_args", "get_weather", new Dictionary<string, object?> { ["city"] = Unwritable(kind) })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_args", "sunny")]),
        ];
        List<ChatMessage> withBadResult =
        [
            new(ChatRole.User, "weather?"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_result", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_result", Unwritable(kind))]),
        ];

        var arguments = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.GetResponseAsync(withBadArguments));
        var result = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.GetResponseAsync(withBadResult));

        Assert.Contains("'call_args'", arguments.Message, StringComparison.Ordinal);
        Assert.Contains("'call_result'", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public void NullContentItem_IsArgumentExceptionNamingTheMessage(YuHuanProtocol protocol)
    {
        using var client = Client(protocol);
        var message = new ChatMessage(ChatRole.User, "hello");
        message.Contents.Add(null!);

        var error = Assert.ThrowsAny<ArgumentException>(() => client.GetStreamingResponseAsync([new ChatMessage(ChatRole.System, "be brief"), message]));

        Assert.Contains("Message 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("Contents[1]", error.Message, StringComparison.Ordinal);
    }

    private static YuHuanChatClient Client(YuHuanProtocol protocol) =>
        new ReplayHandler(string.Empty).CreateClient(o => o.Protocol = protocol);

    private static object Unwritable(string kind)
    {
        switch (kind)
        {
            case "cycle":
                var self = new Dictionary<string, object?>();
                self["self"] = self;
                return self;
            case "type":
                return typeof(string);
            case "delegate":
                return (Func<int>)(() => 1);
            case "stream":
                return new MemoryStream();
            case "throwing-getter":
                return new ExplodingGetter();
            default:
                var node = new CyclicNode();
                node.Next = node;
                return node;
        }
    }

    private sealed class ExplodingGetter
    {
        public int Value => throw new InvalidOperationException("the getter failed");
    }

    private sealed class CyclicNode
    {
        public CyclicNode? Next { get; set; }
    }
}
