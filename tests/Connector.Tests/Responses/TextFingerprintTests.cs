using System.Text;
using YuHuan.Connector.Responses;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>The fingerprint a terminal item's text is matched by: from strings and from UTF-8 bytes alike.</summary>
public sealed class TextFingerprintTests
{
    [Theory]
    [InlineData("plain ascii")]
    [InlineData("台北 Taipei, naïve café")]
    [InlineData("emoji 😀 and 🎉 across pieces")]
    [InlineData("")]
    public void TryAddUtf8Text_SameTextAsPieces_SameFingerprint(string text)
    {
        var fromPieces = new TextFingerprint();
        for (var i = 0; i < text.Length; i += 3)
        {
            fromPieces.Add(text.Substring(i, Math.Min(3, text.Length - i)));
        }

        var fromBytes = new TextFingerprint();
        Assert.True(fromBytes.TryAddUtf8Text(Encoding.UTF8.GetBytes(text)));

        Assert.Equal(fromPieces.Hash, fromBytes.Hash);
        Assert.Equal(fromPieces.Length, fromBytes.Length);
    }

    [Fact]
    public void TryAddUtf8Text_LongerThanOneChunk_SameFingerprintAsString()
    {
        var text = string.Concat(Enumerable.Repeat("片段 piece 😀 ", 200));
        var fromString = new TextFingerprint();
        fromString.Add(text);

        var fromBytes = new TextFingerprint();
        Assert.True(fromBytes.TryAddUtf8Text(Encoding.UTF8.GetBytes(text)));

        Assert.True(fromBytes.SameNonEmpty(fromString));
    }

    [Fact]
    public void TryAddUtf8Text_InvalidUtf8_FeedsNothing()
    {
        var fingerprint = new TextFingerprint();
        fingerprint.Add("kept");
        var (hash, length) = (fingerprint.Hash, fingerprint.Length);

        Assert.False(fingerprint.TryAddUtf8Text([(byte)'a', 0xFF, (byte)'b']));

        Assert.Equal(hash, fingerprint.Hash);
        Assert.Equal(length, fingerprint.Length);
    }
}
