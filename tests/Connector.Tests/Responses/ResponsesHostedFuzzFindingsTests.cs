using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>
/// The cases the fuzz suites found in Responses items, pinned as plain replays of the emulator's rendering with
/// one field changed: each failed before its fix (with the exception named in the test) and must keep passing.
/// </summary>
#pragma warning disable MEAI001 // The hosted tool contents are experimental in Microsoft.Extensions.AI.
public sealed class ResponsesHostedFuzzFindingsTests
{
    private const string Tool = "TOOL-NAME-MARKER";

    private const string CallId = "CALL-ID-MARKER";

    [Theory]
    [InlineData("{}")]
    [InlineData("\" \"")]
    [InlineData("\"\"")]
    public void ResponsesMcpApprovalRequestWithoutAName_IsKeptAsItCame_NotAnArgumentException(string name)
    {
        // Was: ArgumentException "Argument is whitespace" from McpServerToolCallContent's constructor, out of the stream.
        var reply = new EmulatorReply().AddText("Hi").AddMcpApprovalRequest("mcpr_1", "srv", Tool, "{}");
        var outcome = Replay(reply, $"\"name\":\"{Tool}\"", $"\"name\":{name}");

        Assert.Null(outcome.Error);
        Assert.Equal("Hi", string.Concat(outcome.Updates.Select(u => u.Text)));
        var contents = outcome.Updates.SelectMany(u => u.Contents).ToList();
        Assert.Empty(contents.OfType<ToolApprovalRequestContent>());
        Assert.Equal("mcp_approval_request", KeptType(Assert.Single(contents, c => c.GetType() == typeof(AIContent))));
    }

    [Theory]
    [InlineData("\" \"")]
    [InlineData("\"\"")]
    public void ResponsesMcpCallWithABlankId_IsKeptAsItCame_NotAnArgumentException(string id)
    {
        // Was: ArgumentException from McpServerToolCallContent's constructor (an item id of whitespace).
        var reply = new EmulatorReply().AddMcpCall("srv", Tool, "{}", "done", callId: CallId).AddText("Hi");
        var outcome = Replay(reply, $"\"id\":\"{CallId}\"", $"\"id\":{id}");

        Assert.Null(outcome.Error);
        Assert.Equal("Hi", string.Concat(outcome.Updates.Select(u => u.Text)));
        var contents = outcome.Updates.SelectMany(u => u.Contents).ToList();
        Assert.Empty(contents.OfType<McpServerToolCallContent>());
        Assert.Equal("mcp_call", KeptType(Assert.Single(contents, c => c.GetType() == typeof(AIContent))));
    }

    [Theory]
    [InlineData("data:bad")]
    [InlineData("data:image/png;base64,@@not base64@@")]
    public void ResponsesCodeInterpreterImageThatIsNotADataUri_IsAYuHuanApiException_NotAUriFormatException(string url)
    {
        // Was: UriFormatException "Invalid data URI format" out of DataContent's constructor, out of the stream.
        const string Marker = "https://example.com/IMAGE-MARKER.png";
        var reply = new EmulatorReply().AddCodeExecution("print(1)", "1", imageUrls: [Marker]).AddText("Hi");
        var outcome = Replay(reply, $"\"{Marker}\"", JsonSerializer.Serialize(url));

        var error = Assert.IsType<YuHuanApiException>(outcome.Error);
        Assert.Equal(YuHuanErrorTypes.InvalidResponse, error.ErrorType);
        Assert.Contains("data URI", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99999999999999999999")]
    [InlineData("1.5")]
    public void ResponsesPartialImageIndexThatIsNoInt32_IsLeftOut_NotAFormatException(string index)
    {
        // Was: FormatException out of JsonElement.GetInt32, out of the stream.
        var reply = new EmulatorReply().AddImageGeneration("AAAA", ["AQID"]).AddText("Hi");
        var outcome = Replay(reply, "\"partial_image_index\":0", $"\"partial_image_index\":{index}");

        Assert.Null(outcome.Error);
        var partial = Assert.IsType<DataContent>(Assert.Single(outcome.Updates.SelectMany(u => u.Contents).OfType<ImageGenerationToolResultContent>().First().Outputs!));
        Assert.Equal([1, 2, 3], partial.Data.ToArray());
        Assert.Null(partial.AdditionalProperties);
    }

    private static string? KeptType(AIContent content) =>
        Assert.IsType<JsonElement>(content.RawRepresentation).GetProperty("type").GetString();

    /// <summary>Renders <paramref name="reply"/> as the protocol's stream, changes every <paramref name="from"/> to <paramref name="to"/>, and replays it.</summary>
    private static ReplayOutcome Replay(EmulatorReply reply, string from, string to) => ReplayClient.RunReplaced(ResponsesWireFormat.Instance, reply, from, to);
}
