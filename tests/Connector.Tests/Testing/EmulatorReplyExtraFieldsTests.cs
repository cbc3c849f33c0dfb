using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Testing;

/// <summary>
/// <see cref="EmulatorReply.WithExtraFields"/>: fields a client may not know, written into a part's block or item. Where
/// each protocol writes them is checked by its renderer's tests (<c>WithExtraFields_*</c> in each protocol's Emulator folder).
/// </summary>
public sealed class EmulatorReplyExtraFieldsTests
{
    private const string Caller = """{"caller":{"type":"direct"}}""";

    [Fact]
    public void WithExtraFields_WithoutAReasoningTextOrToolCallPartBefore_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new EmulatorReply().WithExtraFields(Caller));
        Assert.Throws<InvalidOperationException>(() => new EmulatorReply().AddRedactedReasoning("d").WithExtraFields(Caller));
        Assert.Throws<ArgumentException>(() => new EmulatorReply().AddText("x").WithExtraFields("[1]"));
    }
}
