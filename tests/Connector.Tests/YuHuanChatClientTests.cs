using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Tests;

/// <summary>Construction, validation, metadata and the promise that the key is never shown.</summary>
public sealed class YuHuanChatClientTests
{
    private const string Secret = "sk-live-SECRET-value-42";

    [Fact]
    public void Constructor_ValidOptions_ExposesMetadataAndItself()
    {
        using var client = new YuHuanChatClient(new YuHuanChatClientOptions { ApiKey = Secret, ModelId = "qwen-max" });

        var metadata = Assert.IsType<ChatClientMetadata>(client.GetService(typeof(ChatClientMetadata)));
        Assert.Equal("yuhuan", metadata.ProviderName);
        Assert.Equal(new Uri("https://api.yuhuanstudio.com/v1/"), metadata.ProviderUri);
        Assert.Equal("qwen-max", metadata.DefaultModelId);
        Assert.Same(client, client.GetService(typeof(YuHuanChatClient)));
        Assert.Same(client, client.GetService(typeof(IChatClient)));
        Assert.Null(client.GetService(typeof(string)));
        Assert.Null(client.GetService(typeof(ChatClientMetadata), "some-key"));
    }

    [Fact]
    public void ToString_OfClientAndOptions_NeverShowsTheKey()
    {
        var options = new YuHuanChatClientOptions { ApiKey = Secret, ModelId = "m" };
        using var client = new YuHuanChatClient(options);

        Assert.DoesNotContain(Secret, options.ToString());
        Assert.DoesNotContain("SECRET", client.ToString());
        Assert.Contains("(set)", options.ToString());
        Assert.Contains("api.yuhuanstudio.com", client.ToString());
    }

    [Fact]
    public void Constructor_TakesACopy_LaterChangesDoNotApply()
    {
        var options = new YuHuanChatClientOptions { ModelId = "first", ApiKey = "k" };
        using var client = new YuHuanChatClient(options);

        options.ModelId = "second";

        Assert.Equal("first", client.GetService<ChatClientMetadata>()!.DefaultModelId);
    }

    [Theory]
    [InlineData("sk-abc\r\nX-Injected: 1")]
    [InlineData("sk-abc\n")]
    [InlineData("")]
    public void Constructor_KeyWithLineBreaksOrEmpty_ThrowsWithoutQuotingIt(string key)
    {
        var ex = Assert.Throws<ArgumentException>(() => new YuHuanChatClient(new YuHuanChatClientOptions { ApiKey = key }));

        Assert.Contains("ApiKey", ex.Message);
        if (key.Length > 0)
        {
            Assert.DoesNotContain("sk-abc", ex.Message);
        }
    }

    [Fact]
    public void Constructor_HeaderWithLineBreak_Throws()
    {
        var options = new YuHuanChatClientOptions();
        options.AdditionalHeaders["X-Tenant"] = "a\r\nb";

        var ex = Assert.Throws<ArgumentException>(() => new YuHuanChatClient(options));
        Assert.Contains("X-Tenant", ex.Message);
    }

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("X Tenant")]
    [InlineData("")]
    public void Constructor_HeaderNameTheHttpStackRefuses_ThrowsArgumentException(string name)
    {
        var options = new YuHuanChatClientOptions();
        options.AdditionalHeaders[name] = "value";

        var ex = Assert.Throws<ArgumentException>(() => new YuHuanChatClient(options));
        Assert.Contains("AdditionalHeaders", ex.Message);
    }

    [Fact]
    public async Task GetResponseAsync_CallersHttpClientTimeout_IsATimeoutNotACancellation()
    {
        using var handler = new StallingHandler();
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMilliseconds(100) };
        using var client = new YuHuanChatClient(new YuHuanChatClientOptions { Endpoint = new Uri("http://127.0.0.1:1/v1"), ModelId = "m", MaxRetries = 0 }, http);

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => client.GetResponseAsync("hi"));

        Assert.Equal("timeout", ex.ErrorType);
        Assert.IsType<TimeoutException>(ex.InnerException);
    }

    [Fact]
    public void Constructor_NetworkTimeoutBeyondWhatTimersTake_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new YuHuanChatClient(new YuHuanChatClientOptions { NetworkTimeout = TimeSpan.FromDays(60) }));
    }

    [Theory]
    [InlineData("http://gateway.example.com/v1", false)]
    [InlineData("http://127.0.0.1:8080/v1", true)]
    [InlineData("http://localhost:8080/v1", true)]
    [InlineData("https://gateway.example.com/v1", true)]
    public void Constructor_PlainHttpToRemoteHost_RefusedUnlessOptedIn(string endpoint, bool allowed)
    {
        var options = new YuHuanChatClientOptions { Endpoint = new Uri(endpoint), ApiKey = "k" };

        var ex = Record.Exception(() => new YuHuanChatClient(options).Dispose());

        if (allowed)
        {
            Assert.Null(ex);
        }
        else
        {
            Assert.Contains("AllowInsecureHttp", Assert.IsType<ArgumentException>(ex).Message);
            options.AllowInsecureHttp = true;
            new YuHuanChatClient(options).Dispose();
        }
    }

    [Fact]
    public void Constructor_InvalidSettings_ThrowArgumentExceptions()
    {
        Assert.Throws<ArgumentNullException>(() => new YuHuanChatClient(null!));
        Assert.Throws<ArgumentException>(() => new YuHuanChatClient(new YuHuanChatClientOptions { Endpoint = new Uri("/relative", UriKind.Relative) }));
        Assert.Throws<ArgumentException>(() => new YuHuanChatClient(new YuHuanChatClientOptions { Endpoint = new Uri("ftp://example.com/") }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new YuHuanChatClient(new YuHuanChatClientOptions { MaxRetries = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new YuHuanChatClient(new YuHuanChatClientOptions { NetworkTimeout = TimeSpan.Zero }));
    }

    [Fact]
    public void Constructor_ProtocolNotServed_FailsValidationNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => new YuHuanChatClient(new YuHuanChatClientOptions { Protocol = (YuHuanProtocol)42 }));
        Assert.Contains("YuHuanChatClientOptions.Protocol", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new YuHuanChatClient(new YuHuanChatClientOptions { DefaultMaxOutputTokens = 0 }));
    }

    private sealed class StallingHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
