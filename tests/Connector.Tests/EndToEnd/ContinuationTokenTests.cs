using System.Text;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Tests.EndToEnd;

#pragma warning disable MEAI001 // Background responses are experimental in Microsoft.Extensions.AI.

/// <summary>A continuation token on a protocol without background responses is refused before any request, naming the protocols that have them.</summary>
public sealed class ContinuationTokenTests : EmulatorTestBase
{
    /// <summary>Gets the protocols without background responses.</summary>
    public static TheoryData<YuHuanProtocol> WithoutBackgroundResponses => TestProtocols.Where(kit => !kit.HasBackgroundResponses);

    [Theory]
    [MemberData(nameof(WithoutBackgroundResponses))]
    public async Task GetResponseAsync_ContinuationTokenOnAProtocolWithoutBackgroundResponses_IsAnArgumentException(YuHuanProtocol protocol)
    {
        using var client = CreateClient(o => o.Protocol = protocol);
        var token = ResponseContinuationToken.FromBytes(Encoding.UTF8.GetBytes($$"""{"response_id":"{{TestProtocols.Kits.First(kit => kit.HasBackgroundResponses).ResponseId("1")}}"}"""));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([], new ChatOptions { ContinuationToken = token }));

        Assert.All(TestProtocols.Kits.Where(kit => kit.HasBackgroundResponses), kit => Assert.Contains(kit.Name, error.Message, StringComparison.Ordinal));
        Assert.Empty(Emulator.Requests);
    }
}
