using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Responses;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Responses.ResponsesSse;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>Annotations of Responses output text, streamed and complete: <see cref="CitationAnnotation"/>s on the text they belong to.</summary>
public sealed class ResponsesAnnotationTests
{
    private const string UrlCitation = """{"type":"url_citation","url":"https://weather.example/paris","title":"Paris weather","start_index":9,"end_index":20}""";

    private const string FileCitation = """{"type":"file_citation","file_id":"file_1","filename":"policy.pdf","index":4}""";

    private const string ContainerCitation = """{"type":"container_file_citation","container_id":"cntr_9","file_id":"cfile_2","filename":"plot.png","start_index":0,"end_index":5}""";

    private const string Text = "It rains (per source).";

    [Fact]
    public void OnEvent_AnnotationAdded_MergedMessageHoldsItOnItsText()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, ResponsesHostedItemTests.WebSearch.Replace("\"completed\"", "\"in_progress\"", StringComparison.Ordinal)),
            Done(0, ResponsesHostedItemTests.WebSearch),
            Added(1, MessageItem("msg_1")),
            TextDelta(1, "msg_1", "It rains "),
            TextDelta(1, "msg_1", "(per source)."),
            Annotation(1, 0, UrlCitation),
            Done(1, MessageItem("msg_1", "completed", $"[{Part(Text, UrlCitation)}]")),
            Completed());

        var message = Assert.Single(updates.ToChatResponse().Messages);
        Assert.Equal(Text, message.Text);
        var citation = Assert.IsType<CitationAnnotation>(Assert.Single(message.Contents.OfType<TextContent>().SelectMany(t => t.Annotations ?? [])));
        Assert.Equal("https://weather.example/paris", citation.Url!.AbsoluteUri);
        Assert.Equal("Paris weather", citation.Title);
        var region = Assert.IsType<TextSpanAnnotatedRegion>(Assert.Single(citation.AnnotatedRegions!));
        Assert.Equal((9, 20), (region.StartIndex, region.EndIndex));
        JsonAssert.Equal(UrlCitation, Assert.IsType<JsonElement>(citation.RawRepresentation));
        Assert.Single(message.Contents.OfType<WebSearchToolCallContent>());
    }

    [Fact]
    public void OnEvent_AnnotationsOnlyInTheDoneItem_AddedAfterTheStreamedText()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_1")),
            TextDelta(0, "msg_1", Text),
            Done(0, MessageItem("msg_1", "completed", $"[{Part(Text, FileCitation + "," + ContainerCitation)}]")),
            Completed());

        var message = Assert.Single(updates.ToChatResponse().Messages);
        Assert.Equal(Text, message.Text);
        var citations = message.Contents.OfType<TextContent>().SelectMany(t => t.Annotations ?? []).Cast<CitationAnnotation>().ToList();
        Assert.Equal(2, citations.Count);
        Assert.Equal(("file_1", "policy.pdf", "file_search"), (citations[0].FileId, citations[0].Title, citations[0].ToolName));
        Assert.Null(citations[0].AnnotatedRegions);
        Assert.Equal(("cfile_2", "plot.png"), (citations[1].FileId, citations[1].Title));
        Assert.Equal("cntr_9", citations[1].AdditionalProperties![ResponsesHostedItems.ContainerIdKey]);
        Assert.Single(citations[1].AnnotatedRegions!);
    }

    [Fact]
    public void OnEvent_AnnotationsStreamedAndInTheDoneItem_NotTwice()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_1")),
            TextDelta(0, "msg_1", Text),
            Annotation(0, 0, UrlCitation),
            Annotation(0, 1, FileCitation),
            Done(0, MessageItem("msg_1", "completed", $"[{Part(Text, UrlCitation + "," + FileCitation)}]")),
            Completed());

        var annotations = updates.ToChatResponse().Messages.SelectMany(m => m.Contents).OfType<TextContent>().SelectMany(t => t.Annotations ?? []).ToList();
        Assert.Equal(2, annotations.Count);
    }

    [Fact]
    public void ReadResponse_Annotations_OnTheTextOfTheirPart()
    {
        var updates = Read(ResponseObject(
            status: "completed",
            output: $"[{ResponsesHostedItemTests.WebSearch},{MessageItem("msg_1", "completed", $"[{Part("First.", UrlCitation)},{Part(" Second.", "")}]")}]",
            usage: Usage));

        var texts = All<TextContent>(updates);
        Assert.Equal(2, texts.Count);
        var citation = Assert.IsType<CitationAnnotation>(Assert.Single(texts[0].Annotations!));
        Assert.Equal("Paris weather", citation.Title);
        Assert.Null(texts[1].Annotations);
        Assert.Equal("First. Second.", updates.ToChatResponse().Text);
    }

    [Fact]
    public void OnEvent_UnknownAnnotationType_KeptWithItsJson()
    {
        const string odd = """{"type":"future_citation","file_id":"f_7","weight":3}""";

        var updates = Feed(NewMapper(), Created(), Added(0, MessageItem("msg_1")), TextDelta(0, "msg_1", "x"), Annotation(0, 0, odd), Completed());

        var citation = Assert.IsType<CitationAnnotation>(Assert.Single(All<TextContent>(updates).SelectMany(t => t.Annotations ?? [])));
        Assert.Equal("f_7", citation.FileId);
        Assert.Null(citation.ToolName);
        JsonAssert.Equal(odd, Assert.IsType<JsonElement>(citation.RawRepresentation));
    }

    private static string Annotation(int outputIndex, int annotationIndex, string annotation) =>
        $$"""{"type":"response.output_text.annotation.added","item_id":"msg_1","output_index":{{outputIndex}},"content_index":0,"annotation_index":{{annotationIndex}},"annotation":{{annotation}}}""";

    private static string Part(string text, string annotations) =>
        $$"""{"type":"output_text","annotations":[{{annotations}}],"logprobs":[],"text":"{{text}}"}""";
}
