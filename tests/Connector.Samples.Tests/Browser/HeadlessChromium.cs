using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace YuHuan.Connector.Samples.Tests.Browser;

/// <summary>
/// Debian's Chromium (<c>apt-get install chromium</c>) started headless with a DevTools port, and a
/// <see cref="CdpConnection"/> to its first page. Set <c>CHROMIUM_PATH</c> to use another binary.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private const string DefaultPath = "/usr/bin/chromium";
    private const string ListeningPrefix = "DevTools listening on ";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _profile;

    private HeadlessChromium(Process process, string profile, CdpConnection page)
    {
        _process = process;
        _profile = profile;
        Page = page;
    }

    /// <summary>Gets the connection to the browser's page.</summary>
    public CdpConnection Page { get; }

    /// <summary>Gets the Chromium binary the tests start: <c>CHROMIUM_PATH</c>, else Debian's.</summary>
    public static string BinaryPath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured ? configured : DefaultPath;

    /// <summary>Says why Chromium cannot be started, or <see langword="null"/> when its binary is there.</summary>
    public static string? MissingReason() =>
        File.Exists(BinaryPath)
            ? null
            : $"Chromium is not installed at {BinaryPath}: the browser test needs it. Install it with `apt-get update && apt-get install -y chromium` (.ci/run does), or set CHROMIUM_PATH.";

    /// <summary>Starts Chromium with a fresh profile and connects to its page.</summary>
    /// <exception cref="InvalidOperationException">Chromium is not installed, or did not start.</exception>
    public static async Task<HeadlessChromium> LaunchAsync(CancellationToken cancellationToken)
    {
        var path = BinaryPath;
        if (MissingReason() is { } missing)
        {
            throw new InvalidOperationException(missing);
        }

        var profile = Directory.CreateTempSubdirectory("yuhuan-chromium-").FullName;
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--no-proxy-server", "--disable-extensions", "--disable-background-networking",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1000,800",
            $"--user-data-dir={profile}", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            var at = e.Data.IndexOf(ListeningPrefix, StringComparison.Ordinal);
            if (at >= 0)
            {
                listening.TrySetResult(new Uri(e.Data[(at + ListeningPrefix.Length)..].Trim()));
            }
        };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
            }
        };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException(
            $"Chromium exited (code {process.ExitCode}) before it opened its DevTools port:{Environment.NewLine}{string.Join(Environment.NewLine, output)}"));

        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var browser = await listening.Task.WaitAsync(StartTimeout, cancellationToken);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{browser.Port}/") };
            var targets = await http.GetFromJsonAsync<JsonArray>("json/list", cancellationToken)
                ?? throw new InvalidOperationException("Chromium listed no targets.");
            var page = targets.FirstOrDefault(t => (string?)t?["type"] == "page")
                ?? throw new InvalidOperationException($"Chromium has no page target: {targets.ToJsonString()}");
            var connection = await CdpConnection.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), cancellationToken);
            return new HeadlessChromium(process, profile, connection);
        }
        catch
        {
            Stop(process, profile);
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> and waits until the document has loaded.</summary>
    public async Task NavigateAsync(Uri url, CancellationToken cancellationToken)
    {
        await Page.SendAsync("Page.navigate", new JsonObject { ["url"] = url.AbsoluteUri }, cancellationToken);
        await WaitUntilAsync(
            async () => (await Page.EvaluateAsync("document.readyState", cancellationToken)).GetString() == "complete"
                && (await Page.EvaluateAsync("location.href", cancellationToken)).GetString() == url.AbsoluteUri,
            TimeSpan.FromSeconds(30),
            $"{url} to load",
            cancellationToken);
    }

    /// <summary>Evaluates <paramref name="expression"/> until it is <see langword="true"/>, for at most <paramref name="timeout"/>.</summary>
    public Task WaitForAsync(string expression, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitUntilAsync(
            async () => (await Page.EvaluateAsync(expression, cancellationToken)).ValueKind == JsonValueKind.True,
            timeout,
            expression,
            cancellationToken);

    /// <summary>Saves a PNG of the viewport.</summary>
    public async Task ScreenshotAsync(string path, CancellationToken cancellationToken)
    {
        var shot = await Page.SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, cancellationToken);
        await File.WriteAllBytesAsync(path, shot.GetProperty("data").GetBytesFromBase64(), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Page.DisposeAsync();
        Stop(_process, _profile);
    }

    private static void Stop(Process process, string profile)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit(10_000);
        process.Dispose();
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold a file for a moment; the profile is in the temp folder.
        }
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}. Page errors: {string.Join("; ", Page.PageErrors)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }
    }
}
