using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using YuHuan.Connector.DependencyInjection;

namespace YuHuan.Connector.Tests;

/// <summary>
/// Settings that cannot travel in an HTTP header are refused before any request, in the constructor and at host start
/// alike, with a message that names the setting and the position of the culprit and never quotes the value.
/// </summary>
public sealed class OptionsValidatorTests
{
    private const string KeyStart = "sk-pasted-";

    public static TheoryData<string, int> NonAsciiKeys => new()
    {
        { KeyStart + "en\u2013dash-0123456789", 13 },
        { KeyStart + "quote\u201D-0123456789", 16 },
        { KeyStart + "nbsp\u00A0-0123456789", 15 },
        { "\u00E9" + KeyStart + "0123456789", 1 },
        { KeyStart + "emoji-\U0001F511", 17 },
    };

    [Theory]
    [MemberData(nameof(NonAsciiKeys))]
    public void Constructor_ApiKeyWithANonAsciiCharacter_IsRefusedSayingWhereWithoutQuotingIt(string key, int position)
    {
        var options = new YuHuanChatClientOptions { ApiKey = key, ModelId = "m" };

        var ex = Assert.ThrowsAny<ArgumentException>(() => new YuHuanChatClient(options));

        Assert.Contains("YuHuanChatClientOptions.ApiKey", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not printable ASCII", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"position {position}", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyStart, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_ApiKeyWithAPastedEnDash_FailsNamingTheSetting()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("YuHuan:ApiKey", KeyStart + "en\u2013dash-0123456789"), new("YuHuan:ModelId", "m")]);
        builder.Services.AddYuHuanChatClient();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("'YuHuan:ApiKey'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("position 13", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyStart, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ApiKeyOfEveryPrintableAsciiCharacter_IsAccepted()
    {
        var key = new string([.. Enumerable.Range(0x21, 0x7E - 0x21 + 1).Select(c => (char)c)]);

        using var client = new YuHuanChatClient(new YuHuanChatClientOptions { ApiKey = key, ModelId = "m" });

        Assert.DoesNotContain(key, client.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_HeaderValueWithANonAsciiCharacter_IsRefusedNamingTheHeaderWithoutQuotingTheValue()
    {
        var options = new YuHuanChatClientOptions { ModelId = "m" };
        options.AdditionalHeaders["X-Tenant"] = "acme\u2013berlin";

        var ex = Assert.ThrowsAny<ArgumentException>(() => new YuHuanChatClient(options));

        Assert.Contains("AdditionalHeaders", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'X-Tenant'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("position 5", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("acme", ex.Message, StringComparison.Ordinal);
    }
}
