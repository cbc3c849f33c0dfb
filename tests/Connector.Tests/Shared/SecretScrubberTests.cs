using YuHuan.Connector.Http;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Tests.Shared;

public sealed class SecretScrubberTests
{
    private const string Key = "sk-proj-Ab12/Cd34+9e2c";

    private static readonly SecretScrubber Scrubber = new(Key);

    [Theory]
    [InlineData("key sk-proj-Ab12/Cd34+9e2c rejected", "key [redacted] rejected")]
    [InlineData("SK-PROJ-AB12/CD34+9E2C", "[redacted]")]
    [InlineData("Bearersk-proj-Ab12/Cd34+9e2cXYZ", "Bearer[redacted]XYZ")]
    [InlineData("a sk-proj-Ab12/Cd34+9e2c b sk-proj-Ab12/Cd34+9e2c", "a [redacted] b [redacted]")]
    [InlineData("sk-proj-Ab12/Cd34+9e2csk-proj-Ab12/Cd34+9e2c", "[redacted][redacted]")]
    [InlineData("sk-proj-\\u0041b12\\/Cd34+9e2c", "[redacted]")]
    [InlineData("\\u0073\\u006B\\u002D\\u0070\\u0072\\u006f\\u006a\\u002d\\u0041\\u0062\\u0031\\u0032\\u002f\\u0043\\u0064\\u0033\\u0034\\u002b\\u0039\\u0065\\u0032\\u0063", "[redacted]")]
    [InlineData("?key=sk-proj-Ab12%2FCd34%2b9e2c&x=1", "?key=[redacted]&x=1")]
    [InlineData("%73%6B%2D%70%72%6F%6A%2D%41%62%31%32%2F%43%64%33%34%2B%39%65%32%63", "[redacted]")]
    [InlineData("<title>&#115;k-proj-&#x41;b12&#47;Cd34+9e2c</title>", "<title>[redacted]</title>")]
    public void Scrub_KeyInAnyQuotedForm_IsReplacedByTheMarker(string text, string expected)
    {
        Assert.True(Scrubber.Finds(text));
        Assert.Equal(expected, Scrubber.Scrub(text));
    }

    [Theory]
    [InlineData("Incorrect API key provided: sk-pro...9e2c.")]
    [InlineData("sk-proj-Ab12/Cd34+9e2")]
    [InlineData("sk-proj-Ab12/Cd34 9e2c")]
    [InlineData("100% sure & \\u-escaped \\\" and &#;")]
    [InlineData("")]
    public void Scrub_TextWithoutTheWholeKey_IsReturnedUnchanged(string text)
    {
        Assert.False(Scrubber.Finds(text));
        Assert.Same(text, Scrubber.Scrub(text));
    }

    [Fact]
    public void Scrub_KeyThatHoldsEscapeCharacters_IsFoundRawAndEncoded()
    {
        var scrubber = new SecretScrubber("k%41\\u0042&#67;z");

        Assert.Equal("[redacted]", scrubber.Scrub("k%41\\u0042&#67;z"));
        Assert.Equal("[redacted]", scrubber.Scrub("k%2541%5Cu0042%26%2367%3Bz"));
    }

    [Theory]
    [InlineData(20)]
    [InlineData(4)]
    public void Scrub_KeyCutByTheQuoteLimit_ThePartBeforeTheCutIsScrubbed(int keyCharactersBeforeTheCut)
    {
        var quoted = QuotedText.Truncate(new string('x', QuotedText.MaxQuotedLength - keyCharactersBeforeTheCut) + Key + " tail");

        var scrubbed = Scrubber.Scrub(quoted)!;

        Assert.EndsWith("x[redacted]" + QuotedText.TruncationMark, scrubbed, StringComparison.Ordinal);
        Assert.DoesNotContain(Key[..4], scrubbed, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_KeyCutInsideAnEscapeSequence_IsScrubbedUpToTheCut()
    {
        var quoted = QuotedText.Truncate(new string('x', QuotedText.MaxQuotedLength - 14) + "sk-proj-Ab12%2FCd34" + " tail");

        Assert.EndsWith("x[redacted]" + QuotedText.TruncationMark, Scrubber.Scrub(quoted), StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_FewerThanFourKeyCharactersBeforeACut_AreLeft()
    {
        var quoted = QuotedText.Truncate(new string('x', QuotedText.MaxQuotedLength - 3) + Key);

        Assert.Same(quoted, Scrubber.Scrub(quoted));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Scrub_NoKeyConfigured_ChangesNothing(string? key)
    {
        var scrubber = new SecretScrubber(key);

        Assert.False(scrubber.Finds(Key));
        Assert.Same(Key, scrubber.Scrub(Key));
    }

    [Fact]
    public void Scrub_Exception_KeepsEverythingButTheKey()
    {
        var inner = new InvalidOperationException("inner");
        var original = Thrown(new YuHuanApiException("The gateway answered 401: bad key " + Key, 401, "type_" + Key, Key, TimeSpan.FromSeconds(3), inner));

        var scrubbed = Scrubber.Scrub(original);

        Assert.NotSame(original, scrubbed);
        Assert.Equal("The gateway answered 401: bad key [redacted]", scrubbed.Message);
        Assert.Equal("type_[redacted]", scrubbed.ErrorType);
        Assert.Equal("[redacted]", scrubbed.ErrorCode);
        Assert.Equal(401, scrubbed.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), scrubbed.RetryAfter);
        Assert.Same(inner, scrubbed.InnerException);
        Assert.Contains(nameof(Thrown), scrubbed.StackTrace, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, scrubbed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_ExceptionWithoutTheKey_IsTheSameInstance()
    {
        var original = new YuHuanApiException("The gateway answered 401: bad key sk-pro...9e2c", 401, "authentication_error", null);

        Assert.Same(original, Scrubber.Scrub(original));
    }

    private static YuHuanApiException Thrown(YuHuanApiException exception)
    {
        try
        {
            throw exception;
        }
        catch (YuHuanApiException ex)
        {
            return ex;
        }
    }
}
