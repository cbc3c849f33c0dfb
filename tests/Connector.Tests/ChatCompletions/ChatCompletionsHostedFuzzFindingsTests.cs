using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary>
/// The cases the fuzz suites found in Chat Completions annotations, pinned as plain replays of the emulator's rendering with
/// one field changed: each failed before its fix (with the exception named in the test) and must keep passing.
/// </summary>
public sealed class ChatCompletionsHostedFuzzFindingsTests
{
    [Fact]
    public void ChatCompletionsAnnotationWithoutAType_IsNoCitation_ItsContentIsNotASnippet()
    {
        // Was: a typeless object in "annotations" read as a citation, its "content" as the snippet.
        var reply = new EmulatorReply().AddText("Hi").AddCitation("https://example.com/", "t", "c");
        var outcome = Replay(
            reply,
            "{\"type\":\"url_citation\",\"url_citation\":{\"url\":\"https://example.com/\",\"title\":\"t\",\"start_index\":0,\"end_index\":2}}",
            "{\"content\":\"INJECTED\"},{\"type\":\"url_citation\",\"url_citation\":{\"url\":\"https://example.com/\"}}");

        Assert.Null(outcome.Error);
        Assert.Equal("Hi", string.Concat(outcome.Updates.Select(u => u.Text)));
        var citation = Assert.Single(outcome.Updates.SelectMany(u => u.Contents).OfType<TextContent>().SelectMany(t => t.Annotations ?? []).OfType<CitationAnnotation>());
        Assert.Equal("https://example.com/", citation.Url?.OriginalString);
        Assert.Null(citation.Snippet);
    }

    /// <summary>Renders <paramref name="reply"/> as the protocol's stream, changes every <paramref name="from"/> to <paramref name="to"/>, and replays it.</summary>
    private static ReplayOutcome Replay(EmulatorReply reply, string from, string to) => ReplayClient.RunReplaced(ChatCompletionsWireFormat.Instance, reply, from, to);
}
