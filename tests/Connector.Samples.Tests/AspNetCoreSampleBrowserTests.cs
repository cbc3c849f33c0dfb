using System.Diagnostics;
using System.Text.Json;
using YuHuan.Connector.Samples.Tests.Browser;
using YuHuan.Connector.Testing;
using YuHuan.Samples.AspNetCore;

namespace YuHuan.Connector.Samples.Tests;

/// <summary>
/// The ASP.NET Core sample's page in a real headless Chromium, driven over the DevTools protocol: what a person
/// sees when they press Send. Set <c>YUHUAN_SCREENSHOTS</c> to a folder to keep screenshots of each step.
/// Without Chromium the test reports itself skipped with the reason, unless <c>YUHUAN_REQUIRE_BROWSER=1</c> (set by
/// .ci/run once it has installed Chromium) makes the browser required: then a missing browser fails it.
/// </summary>
public sealed class AspNetCoreSampleBrowserTests
{
    private const string State = """
        ({
          answer: document.getElementById('answer').textContent,
          thinking: document.getElementById('thinking').textContent,
          error: document.getElementById('error').textContent,
          busy: document.querySelector('#ask button').disabled
        })
        """;

    private static readonly TimeSpan TurnTimeout = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task Page_Send_ShowsTheAnswerGrowingTokenByTokenThenShowsScriptedFailures()
    {
        var missing = HeadlessChromium.MissingReason();
        Skip.If(missing is not null && Environment.GetEnvironmentVariable("YUHUAN_REQUIRE_BROWSER") != "1", missing);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var cancellationToken = timeout.Token;
        await using var chat = await ChatApp.CreateAsync(
            ["--environment", "Development", "--urls", "http://127.0.0.1:0", "--YuHuan:ApiKey=", "--Emulator:DelayBetweenEvents=00:00:00.030"]);
        await chat.App.StartAsync(cancellationToken);
        var emulator = chat.Emulator ?? throw new InvalidOperationException("The sample did not start its emulator in Development.");
        await using var browser = await HeadlessChromium.LaunchAsync(cancellationToken);
        await browser.NavigateAsync(new Uri(new Uri(chat.App.Urls.First()), "/"), cancellationToken);
        await ScreenshotAsync(browser, "1-loaded", cancellationToken);

        // The canned story, 30 ms between events: the answer must be seen growing, one prefix after another.
        var (snapshots, last) = await SendAndWatchAsync(browser, null, cancellationToken);
        Assert.Equal(string.Empty, last.Error);
        Assert.Contains("lighthouse keeper", last.Answer, StringComparison.Ordinal);
        Assert.Contains("short story", last.Thinking, StringComparison.Ordinal);
        Assert.True(snapshots.Count >= 5, $"the answer grew in only {snapshots.Count} visible steps: {string.Join(" | ", snapshots)}");
        for (var i = 1; i < snapshots.Count; i++)
        {
            Assert.StartsWith(snapshots[i - 1], snapshots[i], StringComparison.Ordinal);
        }

        Assert.Equal(last.Answer, snapshots[^1]);

        // The gateway fails mid-stream: what arrived stays, and the failure is shown below the form.
        emulator.Enqueue(new EmulatorReply()
            .AddText("Rain is likely in the afternoon,")
            .WithStreamError("The upstream model is overloaded.", "overloaded_error"));
        (_, last) = await SendAndWatchAsync(browser, null, cancellationToken);
        Assert.Contains("The model service failed (overloaded_error)", last.Error, StringComparison.Ordinal);
        Assert.Equal("Rain is likely in the afternoon,", last.Answer);

        // The gateway refuses the request before streaming.
        emulator.Enqueue(EmulatorReply.HttpError(400, "This model does not exist.", "invalid_request_error"));
        (_, last) = await SendAndWatchAsync(browser, null, cancellationToken);
        Assert.Equal("The model service failed (invalid_request_error, HTTP 400). Try again in a moment.", last.Error);
        Assert.Equal(string.Empty, last.Answer);

        // An empty message: the app answers 400 with problem details, and the page shows what to fix.
        var requestsBefore = emulator.Requests.Count;
        (_, last) = await SendAndWatchAsync(browser, "   ", cancellationToken);
        Assert.Equal("Write a message.", last.Error);
        Assert.Equal(requestsBefore, emulator.Requests.Count);
        Assert.Empty(browser.Page.PageErrors);
    }

    /// <summary>Presses Send (after typing <paramref name="message"/> if given) and polls the page until the turn ends.</summary>
    /// <returns>Each distinct non-empty answer seen while the turn ran, and the page at the end.</returns>
    private static async Task<(List<string> Snapshots, PageState Last)> SendAndWatchAsync(HeadlessChromium browser, string? message, CancellationToken cancellationToken)
    {
        if (message is not null)
        {
            await browser.Page.EvaluateAsync($"document.getElementById('message').value = {JsonSerializer.Serialize(message)}", cancellationToken);
        }

        // The submit handler disables the button before its first await, so 'busy' is true once click() returns.
        var busy = await browser.Page.EvaluateAsync("document.querySelector('#ask button').click(); document.querySelector('#ask button').disabled", cancellationToken);
        Assert.Equal(JsonValueKind.True, busy.ValueKind);

        var snapshots = new List<string>();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var state = await ReadAsync(browser, cancellationToken);
            if (state.Answer.Length > 0 && (snapshots.Count == 0 || snapshots[^1] != state.Answer))
            {
                snapshots.Add(state.Answer);
                if (snapshots.Count == 8)
                {
                    await ScreenshotAsync(browser, "2-streaming", cancellationToken);
                }
            }

            if (!state.Busy)
            {
                await ScreenshotAsync(browser, $"3-ended-{(state.Error.Length > 0 ? "error" : "ok")}-{clock.ElapsedTicks}", cancellationToken);
                return (snapshots, state);
            }

            Assert.True(clock.Elapsed < TurnTimeout, $"The turn did not end within {TurnTimeout.TotalSeconds} s; the page shows {state}. Page errors: {string.Join("; ", browser.Page.PageErrors)}");
        }
    }

    private static async Task<PageState> ReadAsync(HeadlessChromium browser, CancellationToken cancellationToken)
    {
        var value = await browser.Page.EvaluateAsync(State, cancellationToken);
        return new PageState(
            value.GetProperty("answer").GetString()!,
            value.GetProperty("thinking").GetString()!,
            value.GetProperty("error").GetString()!,
            value.GetProperty("busy").GetBoolean());
    }

    private static async Task ScreenshotAsync(HeadlessChromium browser, string name, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("YUHUAN_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await browser.ScreenshotAsync(Path.Combine(folder, name + ".png"), cancellationToken);
        }
    }

    private sealed record PageState(string Answer, string Thinking, string Error, bool Busy);
}
