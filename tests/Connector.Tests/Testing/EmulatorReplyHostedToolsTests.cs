using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Testing;

/// <summary>Scripting hosted tools, citations and raw items: argument checks, and the live emulator serving them.</summary>
public sealed class EmulatorReplyHostedToolsTests
{
    [Fact]
    public void AddCitation_WithoutATextPartBefore_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new EmulatorReply().AddCitation("https://a.example", "A", "x"));
        Assert.Throws<InvalidOperationException>(() => new EmulatorReply().AddText("x").AddWebSearch("q", []).AddCitation("https://a.example", "A", "x"));
    }

    [Theory]
    [InlineData(-1, null)]
    [InlineData(null, 7)]
    [InlineData(4, 3)]
    public void AddCitation_IndexesOutsideTheTextPart_Throw(int? start, int? end)
    {
        var reply = new EmulatorReply().AddText("Sunny.");

        Assert.Throws<ArgumentOutOfRangeException>(() => reply.AddCitation("https://a.example", "A", "x", start, end));
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("\"text\"")]
    [InlineData("{not json")]
    [InlineData("")]
    public void AddRawItemAndMcpArguments_NotAJsonObject_ThrowArgumentException(string json)
    {
        var reply = new EmulatorReply();

        Assert.Throws<ArgumentException>(() => reply.AddRawItem(json));
        Assert.Throws<ArgumentException>(() => reply.AddMcpCall("s", "t", json, "r"));
        Assert.Throws<ArgumentException>(() => reply.AddMcpApprovalRequest("mcpr_1", "s", "t", json));
    }

    [Fact]
    public void AddHostedParts_OnAnErrorReply_Throw()
    {
        var reply = EmulatorReply.HttpError(500, "boom");

        Assert.Throws<InvalidOperationException>(() => reply.AddWebSearch("q", []));
        Assert.Throws<InvalidOperationException>(() => reply.AddCodeExecution("c", "o"));
        Assert.Throws<InvalidOperationException>(() => reply.AddImageGeneration("aW1n"));
        Assert.Throws<InvalidOperationException>(() => reply.AddRawItem("{}"));
    }

    [Fact]
    public void AddWebSearch_NullResultUrl_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new EmulatorReply().AddWebSearch("q", [(null!, "A", null)]));
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task Emulator_ServesHostedPartsAsTheProtocolRendersThem(YuHuanProtocol protocol)
    {
        var wire = TestProtocols.Kit(protocol);
        await using var emulator = await YuHuanEmulator.StartAsync();
        emulator.DefaultReply = HostedParts();
        using var http = new HttpClient();

        using var response = await http.PostAsync(new Uri(emulator.Endpoint, wire.RelativePath), LiveExchange.Request(wire, stream: false));
        response.EnsureSuccessStatusCode();

        // What each protocol makes of these parts is checked offline, by its renderer's tests (HostedParts_*).
        Assert.Equal(LiveExchange.Normalize(wire.RenderCompletion(HostedParts())), LiveExchange.Normalize(await response.Content.ReadAsByteArrayAsync()));
    }

    /// <summary>A web search, text citing it, and a raw item: the reply every protocol's renderer is checked on.</summary>
    internal static EmulatorReply HostedParts() => new EmulatorReply()
        .AddWebSearch("weather", [("https://a.example", "A", "enc-a")])
        .AddText("Sunny.")
        .AddCitation("https://a.example", "A", "sunny")
        .AddRawItem("""{"type":"compaction","encrypted_content":"opaque=="}""");
}
