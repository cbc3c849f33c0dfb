using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>
/// The cases the fuzz suites found in Messages blocks, pinned as plain replays of the emulator's rendering with
/// one field changed: each failed before its fix (with the exception named in the test) and must keep passing.
/// </summary>
#pragma warning disable MEAI001 // The hosted tool contents are experimental in Microsoft.Extensions.AI.
public sealed class MessagesHostedFuzzFindingsTests
{
    private const string Tool = "TOOL-NAME-MARKER";

    private const string CallId = "CALL-ID-MARKER";

    [Fact]
    public void MessagesMcpToolUseWithABlankName_IsKeptAsItCame_NotAnArgumentException()
    {
        // Was: ArgumentException from McpServerToolCallContent's constructor (a name of whitespace).
        var reply = new EmulatorReply().AddMcpCall("srv", Tool, "{}", "done", callId: CallId).AddText("Hi");
        var outcome = Replay(reply, $"\"name\":\"{Tool}\"", "\"name\":\" \"");

        Assert.Null(outcome.Error);
        Assert.Equal("Hi", string.Concat(outcome.Updates.Select(u => u.Text)));
        var contents = outcome.Updates.SelectMany(u => u.Contents).ToList();
        Assert.Empty(contents.OfType<McpServerToolCallContent>());
        Assert.Equal("mcp_tool_use", KeptType(Assert.Single(contents, c => c.GetType() == typeof(AIContent))));
        Assert.Single(contents.OfType<McpServerToolResultContent>());
    }

    [Fact]
    public void MessagesMcpToolResultWithABlankToolUseId_IsKeptAsItCame_NotAnArgumentException()
    {
        // Was: ArgumentException from McpServerToolResultContent's constructor (a tool_use_id of whitespace).
        var reply = new EmulatorReply().AddMcpCall("srv", Tool, "{}", "done", callId: CallId).AddText("Hi");
        var outcome = Replay(reply, $"\"tool_use_id\":\"{CallId}\"", "\"tool_use_id\":\"\\t\"");

        Assert.Null(outcome.Error);
        var contents = outcome.Updates.SelectMany(u => u.Contents).ToList();
        Assert.Single(contents.OfType<McpServerToolCallContent>());
        Assert.Empty(contents.OfType<McpServerToolResultContent>());
        Assert.Equal("mcp_tool_result", KeptType(Assert.Single(contents, c => c.GetType() == typeof(AIContent))));
    }

    private static string? KeptType(AIContent content) =>
        Assert.IsType<JsonElement>(content.RawRepresentation).GetProperty("type").GetString();

    /// <summary>Renders <paramref name="reply"/> as the protocol's stream, changes every <paramref name="from"/> to <paramref name="to"/>, and replays it.</summary>
    private static ReplayOutcome Replay(EmulatorReply reply, string from, string to) => ReplayClient.RunReplaced(MessagesWireFormat.Instance, reply, from, to);
}
