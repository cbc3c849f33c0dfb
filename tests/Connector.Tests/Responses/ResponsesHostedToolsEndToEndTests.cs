#pragma warning disable MEAI001 // Hosted-tool contents and tool approvals are experimental in Microsoft.Extensions.AI.

using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.EndToEnd;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>
/// OpenAI Responses hosted tools through the real client over loopback, beyond what <see cref="HostedToolsEndToEndTests"/>
/// runs on every protocol with hosted tools: MCP approvals, image generation and file search, which only this protocol has.
/// </summary>
public sealed class ResponsesHostedToolsEndToEndTests : EmulatorTestBase
{
    public static TheoryData<bool> StreamedOrNot => [true, false];

    [Theory]
    [MemberData(nameof(StreamedOrNot))]
    public async Task GetResponseAsync_McpApprovalThenApproval_SendsTheRequestBackAndTheApprovalResponse(bool streaming)
    {
        Emulator.Enqueue(
            new EmulatorReply().AddMcpApprovalRequest("mcpr_1", "docs", "delete_page", """{"page":7}"""),
            EmulatorReply.Text("Deleted."));
        using var client = Client(YuHuanProtocol.Responses);
        var options = new ChatOptions { AdditionalProperties = new() { ["store"] = false } };
        List<ChatMessage> history = [new(ChatRole.User, "Delete page 7.")];

        var first = await GetAsync(client, streaming, history, options);

        var request = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());
        Assert.Equal("mcpr_1", request.RequestId);
        var call = Assert.IsType<McpServerToolCallContent>(request.ToolCall);
        Assert.Equal(("delete_page", "docs"), (call.Name, call.ServerName));
        Assert.Equal(7, HostedToolsData.IntOf(call.Arguments!["page"]));

        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)]));
        var second = await GetAsync(client, streaming, history, options);

        Assert.Equal("Deleted.", second.Text);
        var input = Emulator.Requests[1].Json.GetProperty("input").EnumerateArray().ToList();
        var sentRequest = Assert.Single(input, i => HostedToolsData.TypeOf(i) == "mcp_approval_request");
        Assert.Equal("mcpr_1", sentRequest.GetProperty("id").GetString());
        var approval = Assert.Single(input, i => HostedToolsData.TypeOf(i) == "mcp_approval_response");
        Assert.Equal("mcpr_1", approval.GetProperty("approval_request_id").GetString());
        Assert.True(approval.GetProperty("approve").GetBoolean());
        Assert.True(input.IndexOf(sentRequest) < input.IndexOf(approval), "the approval follows its request");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ImageGeneration_StreamsThePartialsThenTheImage()
    {
        Emulator.Enqueue(new EmulatorReply().AddImageGeneration(HostedToolsData.TinyPng, [HostedToolsData.TinyPng, HostedToolsData.TinyPng], callId: "ig_call_1"));
        using var client = Client(YuHuanProtocol.Responses);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Draw a dot."))
        {
            updates.Add(update);
        }

        var contents = updates.SelectMany(u => u.Contents).ToList();
        Assert.Equal("ig_call_1", Assert.Single(contents.OfType<ImageGenerationToolCallContent>()).CallId);
        var results = contents.OfType<ImageGenerationToolResultContent>().ToList();
        Assert.All(results, r => Assert.Equal("ig_call_1", r.CallId));
        var images = results.SelectMany(r => r.Outputs ?? []).OfType<DataContent>().ToList();
        Assert.Equal(3, images.Count);
        Assert.Equal([0, 1], images.Take(2).Select(i => Convert.ToInt32(i.AdditionalProperties?["partial_image_index"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(images, i => Assert.Equal(Convert.FromBase64String(HostedToolsData.TinyPng), i.Data.ToArray()));
        Assert.All(images, i => Assert.StartsWith("image/", i.MediaType, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(StreamedOrNot))]
    public async Task GetResponseAsync_ImageGeneration_MapsCallAndFinalImage(bool streaming)
    {
        Emulator.Enqueue(new EmulatorReply().AddImageGeneration(HostedToolsData.TinyPng, [HostedToolsData.TinyPng], callId: "ig_call_1"));
        using var client = Client(YuHuanProtocol.Responses);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "Draw a dot.")]);

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        Assert.Equal("ig_call_1", Assert.Single(contents.OfType<ImageGenerationToolCallContent>()).CallId);
        var image = Assert.IsType<DataContent>(Assert.Single(Assert.Single(contents.OfType<ImageGenerationToolResultContent>()).Outputs ?? []));
        Assert.Equal(Convert.FromBase64String(HostedToolsData.TinyPng), image.Data.ToArray());
    }

    [Theory]
    [MemberData(nameof(StreamedOrNot))]
    public async Task GetResponseAsync_FileSearch_IsKeptWithItsJson(bool streaming)
    {
        Emulator.Enqueue(new EmulatorReply().AddFileSearch(["umbrella"], [("file_1", "notes.txt", "Bring an umbrella.", 0.9)], callId: "fs_call_1").AddText("Bring one."));
        using var client = Client(YuHuanProtocol.Responses);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "Umbrella?")]);

        var kept = Assert.Single(response.Messages.SelectMany(m => m.Contents), c => c.RawRepresentation is JsonElement { ValueKind: JsonValueKind.Object } json && HostedToolsData.TypeOf(json) == "file_search_call");
        var item = (JsonElement)kept.RawRepresentation!;
        Assert.Equal("fs_call_1", item.GetProperty("id").GetString());
        Assert.Equal("Bring an umbrella.", item.GetProperty("results")[0].GetProperty("text").GetString());
        Assert.Equal("Responses", WireItems(kept));
    }

    private static async Task<ChatResponse> GetAsync(IChatClient client, bool streaming, IList<ChatMessage> messages, ChatOptions? options = null)
    {
        if (!streaming)
        {
            return await client.GetResponseAsync(messages, options);
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    private static string? WireItems(AIContent content) => content.AdditionalProperties?["yuhuan_protocol"] as string;

    private YuHuanChatClient Client(YuHuanProtocol protocol) => CreateClient(o => o.Protocol = protocol);
}
