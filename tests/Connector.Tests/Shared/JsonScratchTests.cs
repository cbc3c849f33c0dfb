using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Http;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Tests.Shared;

/// <summary>The per-thread scratch buffers request bodies are written with.</summary>
public sealed class JsonScratchTests
{
    [Fact]
    public void Rent_NestedRentGivenBackFirst_BothScratchesStayCached()
    {
        JsonScratch outer;
        JsonScratch inner;
        using (outer = JsonScratch.Rent())
        {
            using (inner = JsonScratch.Rent())
            {
                Assert.NotSame(outer, inner);
            }
        }

        using var first = JsonScratch.Rent();
        using var second = JsonScratch.Rent();
        Assert.Equal(
            new HashSet<JsonScratch>(ReferenceEqualityComparer.Instance) { outer, inner },
            new HashSet<JsonScratch>(ReferenceEqualityComparer.Instance) { first, second });
    }

    [Fact]
    public void Dispose_Twice_DoesNotHandTheScratchToTwoRenters()
    {
        // Holding two leaves both of the thread's places empty, whatever earlier tests left there.
        var scratch = JsonScratch.Rent();
        using var held = JsonScratch.Rent();
        scratch.Dispose();
        scratch.Dispose();

        using var first = JsonScratch.Rent();
        using var second = JsonScratch.Rent();
        Assert.NotSame(first, second);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public void Write_ToolCallHistoryTwice_SecondBodyAllocatesLittleBeyondItsArray(YuHuanProtocol protocol)
    {
        var writer = Protocols.Create(new YuHuanChatClientOptions { Protocol = protocol });
        // Writing the call's arguments rents a nested scratch; the outer one must survive it, or the next body pays a fresh 16 KB buffer.
        var request = new ChatRequest
        {
            Model = "m",
            Messages =
            [
                new ChatMessage(ChatRole.User, "Weather in Paris?"),
                new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris", ["days"] = 3 })]),
                new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_1", "sunny")]),
            ],
        };
        writer.CreateCall(request);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var body = writer.CreateCall(request).Body;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated - body.Length, 0, 4 * 1024);
    }
}
