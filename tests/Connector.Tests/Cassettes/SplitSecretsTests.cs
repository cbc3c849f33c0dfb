using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>Secrets a stream carried a few characters per event: found across the string values of one field, in order,
/// and reported as the contents of every value holding a part of one.</summary>
public sealed class SplitSecretsTests
{
    private const string Secret = "sk-split-secret-42";

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Find_SecretSpreadOverDeltasOfOneField_MarksEachValueHoldingAPart(string newline)
    {
        var text = string.Join(newline,
            "event: delta", "data: {\"d\":{\"text\":\"héllo sk-sp\"}}", string.Empty,
            "event: delta", "data: {\"d\":{\"text\":\"lit-secr\"}}", string.Empty,
            "event: delta", "data: {\"d\":{\"text\":\"et-42 bye\"}}", string.Empty,
            "event: delta", "data: {\"d\":{\"text\":\" done\"}}", string.Empty);

        var found = SplitSecrets.Find(text, [Secret]);

        Assert.Equal(["héllo sk-sp", "lit-secr", "et-42 bye"], found.Select(r => text[r.Start..r.End]));
    }

    [Fact]
    public void Find_PartsInDifferentFieldsOrEventTypes_AreNotJoined()
    {
        var text = "event: a\ndata: {\"x\":\"sk-split-\"}\n\nevent: b\ndata: {\"x\":\"secret-42\"}\n\n"
            + "data: {\"y\":\"sk-split-\",\"z\":\"secret-42\"}\n\n";

        Assert.Empty(SplitSecrets.Find(text, [Secret]));
    }

    [Fact]
    public void Find_ArrayItemsAndEscapes_AreFollowedByPathAndDecodedValue()
    {
        var text = "data: {\"choices\":[{\"delta\":{\"content\":\"\\u00e9 sk-split\"}}]}\n\n"
            + "data: {\"choices\":[{\"delta\":{\"content\":\"-secret\\u002d42\"}}]}\n\n"
            + "data: not json sk-split-secret-42\n\ndata: [DONE]\n\n";

        var found = SplitSecrets.Find(text, [Secret]);

        Assert.Equal(["\\u00e9 sk-split", "-secret\\u002d42"], found.Select(r => text[r.Start..r.End]));
    }

    [Fact]
    public void Find_SecretWithinOneValue_IsLeftToTheWholeTextScrub()
    {
        var text = "data: {\"t\":\"a sk-split-secret-42 b\"}\n\ndata: {\"t\":\"c\"}\n\n";

        Assert.Empty(SplitSecrets.Find(text, [Secret]));
    }
}
