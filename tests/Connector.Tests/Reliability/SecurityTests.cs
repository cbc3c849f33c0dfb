using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// What the library promises about the key and what a server may make it say (see SECURITY.md): the key goes
/// only into its header, never into a message or <c>ToString()</c>; values that could split a header are refused;
/// plain http to a remote host needs an explicit opt-in; what a server says is quoted only up to a bounded length.
/// </summary>
public sealed class SecurityTests : ReliabilityTestBase
{
    /// <summary>The longest exception message a quoted server text may produce (1 KB of quote plus our own words).</summary>
    private const int MaxMessageLength = 1024 + 256;

    public static TheoryData<YuHuanProtocol, string> ControlCharacters => TestProtocols.Cross("\r", "\n", "\r\n", "\0", "\u0007", "\u001b", "\u007f", "\u0085");

    public static TheoryData<YuHuanProtocol, string> WithRemotePlainHttpEndpoint => TestProtocols.Cross("http://gateway.example.com/v1", "http://10.0.0.7:8080/v1", "http://192.168.1.20/v1", "http://localhost.example.com/v1", "http://127.0.0.1.nip.io/v1", "http://[fe80::1]/v1");

    public static TheoryData<YuHuanProtocol, string> WithLoopbackOrHttpsEndpoint => TestProtocols.Cross("http://127.0.0.1:8080/v1", "http://127.8.9.10/v1", "http://localhost:5000/v1", "http://[::1]:5000/v1", "https://gateway.example.com/v1");

    public static TheoryData<YuHuanProtocol, string> WithShape => TestProtocols.Cross("json", "html-title", "plain-text", "in-stream");

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public void ApiKeyWithALineBreakOrControlCharacter_IsRefusedWithoutQuotingIt(YuHuanProtocol protocol, string character)
    {
        UseProtocol(protocol);
        var key = "sk-injected-" + character + "X-Forwarded-For: evil";

        var ex = Assert.ThrowsAny<ArgumentException>(() => new YuHuanChatClient(Options(o => o.ApiKey = key)));

        Assert.Contains("ApiKey", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-injected", ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public void HeaderNameOrValueWithALineBreakOrControlCharacter_IsRefused(YuHuanProtocol protocol, string character)
    {
        UseProtocol(protocol);
        var badValue = Options();
        badValue.AdditionalHeaders["X-Tenant"] = "tenant" + character + "Injected: yes";
        var badName = Options();
        badName.AdditionalHeaders["X-Ten" + character + "ant"] = "tenant";

        var valueError = Assert.ThrowsAny<ArgumentException>(() => new YuHuanChatClient(badValue));
        Assert.ThrowsAny<ArgumentException>(() => new YuHuanChatClient(badName));

        Assert.Contains("X-Tenant", valueError.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Injected", valueError.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(WithRemotePlainHttpEndpoint))]
    public void PlainHttpToAHostThatIsNotLoopback_IsRefusedUnlessOptedIn(YuHuanProtocol protocol, string endpoint)
    {
        UseProtocol(protocol);
        var ex = Assert.ThrowsAny<ArgumentException>(() => new YuHuanChatClient(Options(o => o.Endpoint = new Uri(endpoint))));
        Assert.Contains("AllowInsecureHttp", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyPart, ex.ToString(), StringComparison.Ordinal);

        using var optedIn = new YuHuanChatClient(Options(o => (o.Endpoint, o.AllowInsecureHttp) = (new Uri(endpoint), true)));
        Assert.Equal(new Uri(endpoint).Host, optedIn.GetService<ChatClientMetadata>()!.ProviderUri!.Host);
    }

    [Theory]
    [MemberData(nameof(WithLoopbackOrHttpsEndpoint))]
    public void LoopbackOrHttps_NeedsNoOptIn(YuHuanProtocol protocol, string endpoint)
    {
        UseProtocol(protocol);
        using var client = new YuHuanChatClient(Options(o => o.Endpoint = new Uri(endpoint)));

        Assert.NotNull(client.GetService<ChatClientMetadata>());
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public void ToString_OfOptionsAndClient_ShowsNeitherTheKeyNorHeaderValues(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        var options = Options();
        options.AdditionalHeaders["X-Other-Secret"] = "tenant-secret-value-41";
        using var client = new YuHuanChatClient(options);

        foreach (var text in new[] { options.ToString(), client.ToString() })
        {
            Assert.DoesNotContain(KeyPart, text, StringComparison.Ordinal);
            Assert.DoesNotContain("tenant-secret-value-41", text, StringComparison.Ordinal);
        }

        Assert.Contains("(set)", options.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ApiKey_TravelsOnlyInTheAuthenticationHeader(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        using var client = CreateOwningClient();

        var outcome = await StreamAsync(client);

        Assert.Null(outcome.Error);
        var request = Assert.Single(Emulator.Requests);
        var keyHeaders = Wire.KeyHeaders(ApiKey);
        foreach (var (name, value) in keyHeaders)
        {
            Assert.Equal(value, request.Headers[name]);
        }

        Assert.Equal(keyHeaders.Count, request.Headers.Count(h => h.Value.Contains(KeyPart, StringComparison.Ordinal)));
        Assert.DoesNotContain(KeyPart, request.Path, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyPart, request.Body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(WithShape))]
    public async Task HugeServerMessages_AreTruncatedInTheExceptionMessage(YuHuanProtocol protocol, string shape)
    {
        UseProtocol(protocol);
        var huge = string.Concat(Enumerable.Repeat("The server goes on and on. ", 40_000));
        Emulator.Enqueue(shape switch
        {
            "json" => EmulatorReply.HttpError(400, huge, "invalid_request_error"),
            "html-title" => EmulatorReply.RawResponse(502, "text/html", $"<html><head><title>{huge[..5000]}</title></head><body>{huge}</body></html>"),
            "plain-text" => EmulatorReply.RawResponse(500, "text/plain", huge),
            _ => new EmulatorReply().AddText("partial").WithStreamError(huge),
        });
        using var client = CreateTrackedClient();

        var outcome = await StreamAsync(client.Client);

        var ex = outcome.ApiError;
        Assert.InRange(ex.Message.Length, 100, MaxMessageLength);
        Assert.Contains("The server goes on and on.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task WrongKey_FailsWith401_AndNeitherKeyShows(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        const string wrongKey = "sk-wrong-but-still-secret-5150";
        using var client = CreateTrackedClient(o => o.ApiKey = wrongKey);

        var outcome = await StreamAsync(client.Client);

        var ex = outcome.ApiError;
        Assert.Equal(401, ex.StatusCode);
        Assert.DoesNotContain("still-secret", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("still-secret", client.Client.ToString(), StringComparison.Ordinal);
        await AssertCleanAsync(outcome, client);
    }
}
