using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Messages.MessagesHostedBlocks;
using static YuHuan.Connector.Tests.Messages.MessagesSse;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>Citations of Messages text blocks, streamed as <c>citations_delta</c> and complete, as <see cref="CitationAnnotation"/>s.</summary>
public sealed class MessagesCitationTests
{
    public static TheoryData<string, int> Deliveries => MessagesSse.Deliveries;

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_CitationsDelta_AnnotatesTheWholeBlockAndLeavesOtherTextStreaming(string eol, int chunk)
    {
        var sse = Message(
            eol,
            "end_turn",
            TextStart(0),
            TextDelta(0, "According to the sources, "),
            BlockStop(0),
            TextStart(1),
            Delta(1, $$"""{"type":"citations_delta","citation":{{Citation}}}"""),
            Delta(1, $$"""{"type":"citations_delta","citation":{{CharCitation}}}"""),
            TextDelta(1, "Claude Shannon was born on "),
            TextDelta(1, "April 30, 1916, in Petoskey, Michigan"),
            BlockStop(1),
            TextStart(2),
            TextDelta(2, "."),
            BlockStop(2));

        var updates = await CollectAsync(sse, chunk);

        var texts = MessagesSse.All<TextContent>(updates);
        Assert.Equal(["According to the sources, ", CitedText, "."], texts.Select(t => t.Text));
        Assert.Null(texts[0].Annotations);
        Assert.Null(texts[2].Annotations);
        AssertCitations(texts[1]);
        Assert.True(WireItems.TryGetOwn(texts[1], "Messages", out var block));
        JsonAssert.Equal(CitedBlock, block);
        Assert.Equal("According to the sources, " + CitedText + ".", updates.ToChatResponse().Text);
    }

    [Fact]
    public async Task GetResponseAsync_TextBlockWithCitations_AnnotatesItsTextContent()
    {
        var json = $$"""
            {"id":"{{MessageId}}","type":"message","role":"assistant","model":"{{Model}}","stop_reason":"end_turn","content":[
              {"type":"text","text":"According to the sources, ","citations":null},
              {{CitedBlock}},
              {"type":"text","text":".","citations":[]}
            ]}
            """;

        var response = await GetResponseAsync(json);

        var texts = response.Messages.Single().Contents.OfType<TextContent>().ToList();
        Assert.Equal(["According to the sources, ", CitedText, "."], texts.Select(t => t.Text));
        Assert.Null(texts[0].Annotations);
        Assert.Null(texts[2].Annotations);
        Assert.Null(texts[2].RawRepresentation);
        AssertCitations(texts[1]);
        Assert.True(WireItems.TryGetOwn(texts[1], "Messages", out var block));
        JsonAssert.Equal(CitedBlock, block);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CitationAfterTextAlreadyStreamed_AnnotatesTheRestWithoutClaimingTheBlock()
    {
        var sse = Message(
            "\n",
            "end_turn",
            TextStart(0),
            TextDelta(0, "Claude Shannon "),
            Delta(0, $$"""{"type":"citations_delta","citation":{{Citation}}}"""),
            TextDelta(0, "was born in 1916."),
            BlockStop(0));

        var updates = await CollectAsync(sse, int.MaxValue);

        var texts = MessagesSse.All<TextContent>(updates);
        Assert.Equal(["Claude Shannon ", "was born in 1916."], texts.Select(t => t.Text));
        var citation = Assert.IsType<CitationAnnotation>(Assert.Single(texts[1].Annotations!));
        Assert.Equal("Claude Shannon - Wikipedia", citation.Title);

        // The content holds only part of the block's text: sending the block's JSON back would repeat the rest.
        Assert.False(WireItems.TryGetOwn(texts[1], "Messages", out _));
    }

    private static void AssertCitations(TextContent text)
    {
        Assert.Collection(
            text.Annotations!,
            a =>
            {
                var web = Assert.IsType<CitationAnnotation>(a);
                Assert.Equal("Claude Shannon - Wikipedia", web.Title);
                Assert.Equal(new Uri("https://en.wikipedia.org/wiki/Claude_Shannon"), web.Url);
                Assert.StartsWith("Claude Elwood Shannon (April 30, 1916", web.Snippet, StringComparison.Ordinal);
                Assert.Equal("web_search", web.ToolName);
                var region = Assert.IsType<TextSpanAnnotatedRegion>(Assert.Single(web.AnnotatedRegions!));
                Assert.Equal((0, CitedText.Length), (region.StartIndex, region.EndIndex));
                JsonAssert.Equal(Citation, Assert.IsType<System.Text.Json.JsonElement>(web.RawRepresentation));
            },
            a =>
            {
                var document = Assert.IsType<CitationAnnotation>(a);
                Assert.Equal("Example Document", document.Title);
                Assert.Null(document.Url);
                Assert.Equal("The grass is green.", document.Snippet);
                Assert.Equal(0L, document.AdditionalProperties?["start_char_index"]);
                Assert.Equal(20L, document.AdditionalProperties?["end_char_index"]);
                Assert.Equal(0L, document.AdditionalProperties?["document_index"]);
            });
    }
}
