using System.Net.Http.Headers;
using System.Text;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.TestSupport;

/// <summary>
/// One live emulator per test over loopback, hit with a plain <see cref="HttpClient"/> that does no automatic
/// decompression, so a test sees the bytes as sent.
/// </summary>
public abstract class LoopbackEmulatorTestBase : IAsyncLifetime
{
    /// <summary>Gets the client every request of the test goes through.</summary>
    protected HttpClient Http { get; } = new();

    /// <summary>Gets this test's emulator.</summary>
    protected YuHuanEmulator Emulator { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Emulator = await YuHuanEmulator.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }

    /// <summary>Returns a JSON request body holding <paramref name="body"/>.</summary>
    protected static StringContent Json(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    /// <summary>Returns the emulator's URI of <paramref name="pathAndQuery"/>, which starts at the root (such as <c>/v1/...</c>).</summary>
    protected Uri Uri(string pathAndQuery) => new(Emulator.Endpoint.GetLeftPart(UriPartial.Authority) + pathAndQuery);

    /// <summary>Posts <paramref name="body"/> as JSON to <paramref name="path"/>, with the headers <paramref name="headers"/> sets.</summary>
    protected Task<HttpResponseMessage> PostAsync(string path, string body, Action<HttpRequestHeaders>? headers = null) =>
        PostAsync(path, Json(body), headers);

    /// <summary>Posts <paramref name="content"/> to <paramref name="path"/>, with the headers <paramref name="headers"/> sets.</summary>
    protected async Task<HttpResponseMessage> PostAsync(string path, HttpContent content, Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Uri(path)) { Content = content };
        headers?.Invoke(request.Headers);
        return await Http.SendAsync(request);
    }
}
