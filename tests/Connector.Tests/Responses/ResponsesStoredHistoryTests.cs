using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.EndToEnd;
using YuHuan.Connector.Tests.Storage;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>A Responses history kept as JSON, beyond what <see cref="Storage.StoredHistoryTests"/> runs on every protocol: an approval goes back with the request item it names.</summary>
public sealed class ResponsesStoredHistoryTests : EmulatorTestBase
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetResponseAsync_ApprovalAfterJson_SendsTheRequestItemTheResponseNames(bool streaming)
    {
        Emulator.Enqueue(new EmulatorReply().AddMcpApprovalRequest("mcpr_1", "docs", "delete_page", """{"page":7}"""), EmulatorReply.Text("Deleted."), EmulatorReply.Text("Deleted."));
        using var client = CreateClient(o => o.Protocol = YuHuanProtocol.Responses);
        var options = ResponsesWireFormat.Instance.Stateless();
        List<ChatMessage> history = [new(ChatRole.User, "Delete page 7.")];
        history.AddRange((await GetAsync(client, streaming, history, options)).Messages);

        await GetAsync(client, streaming, StoredHistoryData.NextTurn(StoredHistoryData.RoundTrip(history)), options);
        await GetAsync(client, streaming, StoredHistoryData.NextTurn(history), options);

        JsonAssert.Equal(Emulator.Requests[2].Body, Emulator.Requests[1].Json);
        var input = Emulator.Requests[1].Json.GetProperty("input").EnumerateArray().ToList();
        var request = Assert.Single(input, i => HostedToolsData.TypeOf(i) == "mcp_approval_request");
        var approval = Assert.Single(input, i => HostedToolsData.TypeOf(i) == "mcp_approval_response");
        Assert.Equal("mcpr_1", request.GetProperty("id").GetString());
        Assert.Equal("mcpr_1", approval.GetProperty("approval_request_id").GetString());
        Assert.True(input.IndexOf(request) < input.IndexOf(approval), "the approval follows its request");
    }

    private static async Task<ChatResponse> GetAsync(IChatClient client, bool streaming, IList<ChatMessage> messages, ChatOptions options)
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
}
