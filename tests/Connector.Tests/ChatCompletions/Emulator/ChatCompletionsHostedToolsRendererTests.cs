using System.Text.Json;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.TestSupport;
using YuHuan.Connector.Tests.Testing;

namespace YuHuan.Connector.Tests.ChatCompletions.Emulator;

/// <summary>The emulator's Chat Completions renderer on citations, and on the hosted-tool and raw parts it has no shape for.</summary>
public sealed class ChatCompletionsHostedToolsRendererTests
{
    private static readonly WireFormat Wire = ChatCompletionsWireFormat.Instance;

    [Fact]
    public void RenderStream_CitedText_SendsUrlCitationAnnotationsOnADeltaAfterTheText()
    {
        var reply = new EmulatorReply()
            .AddText("Rain in Oslo. ", chunkSize: 100)
            .AddText("Sunny in Paris.", chunkSize: 100)
            .AddCitation("https://a.example/w", "Weather A", "Paris: sunny", startIndex: 0, endIndex: 5)
            .AddCitation("https://b.example/w", "Weather B", "24 C");

        var deltas = Deltas(reply);

        Assert.Equal(4, deltas.Count);
        Assert.Equal("Sunny in Paris.", deltas[2].GetProperty("content").GetString());
        JsonAssert.Equal(
            """
            {"annotations":[
              {"type":"url_citation","url_citation":{"url":"https://a.example/w","title":"Weather A","start_index":14,"end_index":19}},
              {"type":"url_citation","url_citation":{"url":"https://b.example/w","title":"Weather B","start_index":14,"end_index":29}}]}
            """,
            deltas[3]);
    }

    [Fact]
    public void RenderCompletion_CitedText_HoldsAnnotationsIndexedIntoTheWholeContent()
    {
        var reply = new EmulatorReply()
            .AddText("Rain in Oslo. ")
            .AddCitation("https://c.example", "C", "rain")
            .AddText("Sunny in Paris.")
            .AddCitation("https://a.example/w", "Weather A", "Paris: sunny", startIndex: 9, endIndex: 14);

        var message = JsonElement.Parse(Wire.RenderCompletion(reply)).GetProperty("choices")[0].GetProperty("message");

        var content = message.GetProperty("content").GetString()!;
        JsonAssert.Equal(
            """
            [{"type":"url_citation","url_citation":{"url":"https://c.example","title":"C","start_index":0,"end_index":14}},
             {"type":"url_citation","url_citation":{"url":"https://a.example/w","title":"Weather A","start_index":23,"end_index":28}}]
            """,
            message.GetProperty("annotations"));
        Assert.Equal("Paris", content[23..28]);
    }

    [Fact]
    public void Render_HostedToolsApprovalsImagesAndRawItems_AreLeftOut()
    {
        var reply = new EmulatorReply()
            .AddWebSearch("q", [("https://a.example", "A", "enc")])
            .AddCodeExecution("print(1)", "1")
            .AddWebFetch("https://a.example", "A", "text")
            .AddFileSearch(["q"], [("file_1", "a.pdf", "text", 0.9)])
            .AddMcpCall("s", "t", "{}", "r")
            .AddMcpApprovalRequest("mcpr_1", "s", "t", "{}")
            .AddImageGeneration("aW1n", ["cA=="])
            .AddRawItem("""{"type":"compaction"}""")
            .AddText("Done.");

        var deltas = Deltas(reply);
        var message = JsonElement.Parse(Wire.RenderCompletion(reply)).GetProperty("choices")[0];

        Assert.Equal(2, deltas.Count);
        Assert.Equal("Done.", deltas[1].GetProperty("content").GetString());
        JsonAssert.Equal("""{"index":0,"message":{"role":"assistant","content":"Done."},"finish_reason":"stop"}""", message);
    }

    /// <summary>The deltas of a streamed reply's chunks that have a choice, in order (the role chunk first).</summary>
    private static List<JsonElement> Deltas(EmulatorReply reply) =>
        [.. RenderedEvent.Parse(Wire.RenderBody(reply))
            .Where(e => e.Data != "[DONE]")
            .Select(e => e.Json.GetProperty("choices"))
            .Where(c => c.GetArrayLength() > 0 && c[0].GetProperty("finish_reason").ValueKind == JsonValueKind.Null)
            .Select(c => c[0].GetProperty("delta"))];

    [Fact]
    public void HostedParts_WebSearchCitedTextAndRawItem_AreTheTextWithItsUrlCitationOnly()
    {
        var chat = JsonElement.Parse(Wire.RenderCompletion(EmulatorReplyHostedToolsTests.HostedParts()));

        JsonAssert.Equal(
            """[{"type":"url_citation","url_citation":{"url":"https://a.example","title":"A","start_index":0,"end_index":6}}]""",
            chat.GetProperty("choices")[0].GetProperty("message").GetProperty("annotations"));
    }
}
