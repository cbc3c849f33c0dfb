using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.TestSupport;

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

    [Fact]
    public async Task Emulator_ServesHostedPartsInEachProtocol()
    {
        await using var emulator = await YuHuanEmulator.StartAsync();
        var reply = new EmulatorReply()
            .AddWebSearch("weather", [("https://a.example", "A", "enc-a")])
            .AddText("Sunny.")
            .AddCitation("https://a.example", "A", "sunny")
            .AddRawItem("""{"type":"compaction","encrypted_content":"opaque=="}""");
        emulator.DefaultReply = reply;
        using var http = new HttpClient();

        async Task<JsonElement> PostAsync(string path, string body)
        {
            using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            using var response = await http.PostAsync(new Uri(emulator.Endpoint, path), content);
            response.EnsureSuccessStatusCode();
            return JsonElement.Parse(await response.Content.ReadAsStringAsync());
        }

        var messages = await PostAsync("messages", """{"model":"m","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""");
        var responses = await PostAsync("responses", """{"model":"m","input":"hi"}""");
        var chat = await PostAsync("chat/completions", """{"model":"m","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(["server_tool_use", "web_search_tool_result", "text", "compaction"], messages.GetProperty("content").EnumerateArray().Select(b => b.GetProperty("type").GetString()));
        Assert.Equal(["web_search_call", "message", "compaction"], responses.GetProperty("output").EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        JsonAssert.Equal(
            """[{"type":"url_citation","url_citation":{"url":"https://a.example","title":"A","start_index":0,"end_index":6}}]""",
            chat.GetProperty("choices")[0].GetProperty("message").GetProperty("annotations"));
    }
}
