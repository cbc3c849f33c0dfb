using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// A server that echoes the API key in an error, in any form it can quote it (raw, JSON-escaped, URL-encoded, as HTML
/// character references, inside a longer token, in another letter case, cut by the 1 KB quote limit), in any place (an
/// HTTP error body in the protocol's shape, an HTML page, plain text, an error event inside a stream; the message,
/// the type or the code): the key shows nowhere the library repeats it, neither in the exception (message,
/// <see cref="YuHuanApiException.ErrorType"/>, <see cref="YuHuanApiException.ErrorCode"/>, <c>ToString()</c>), nor in
/// a log line, nor in the span <c>UseOpenTelemetry()</c> exports. Its place is marked <c>[redacted]</c>.
/// </summary>
public sealed class SecretEchoTests : ReliabilityTestBase
{
    private const string Redacted = "[redacted]";

    /// <summary>The length of server text quoted in a message (see SECURITY.md).</summary>
    private const int GatewayQuoteLimit = 1024;

    public static TheoryData<YuHuanProtocol, string> Echoes => TestProtocols.Cross(
    [
        "401 json message",
        "400 json type and code",
        "403 json, every character \\u-escaped",
        "400 json, some characters \\u-escaped, code escaped",
        "400 json message quoting escaped json",
        "401 html title",
        "401 html title of character references",
        "400 plain text",
        "403 plain text, url-encoded",
        "403 plain text, some characters url-encoded",
        "401 plain text, inside a longer token and upper-cased",
        "400 json, key cut by the quote limit",
        "in-stream error event",
        "in-stream error event, \\u-escaped",
        "in-stream error event, key cut by the quote limit",
    ]);

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task KeyEchoedByTheServer_ShowsNeitherInTheExceptionNorInLogsNorInTheSpan(YuHuanProtocol protocol, string echo)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(Reply(echo));
        using var logs = new LogRecorder();
        using var spans = new SpanRecorder();
        using var client = Pipeline(logs, spans);

        var outcome = await StreamAsync(client);

        var ex = outcome.ApiError;
        AssertNoKey(ex.ToString());
        AssertNoKey(ex.Message);
        AssertNoKey(ex.ErrorType);
        AssertNoKey(ex.ErrorCode);
        Assert.Contains(Redacted, ex.Message + ex.ErrorType + ex.ErrorCode, StringComparison.Ordinal);
        AssertNoKey(logs.AllText);
        if (!echo.StartsWith("in-stream", StringComparison.Ordinal))
        {
            // The failure of an HTTP error is logged: the line is there, and clean.
            Assert.Contains(logs.Lines, l => l.Level == LogLevel.Warning);
        }

        var span = Assert.Single(spans.Stopped);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(ex.Message, span.StatusDescription);
        AssertNoKey(SpanRecorder.ExportedText(span));
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task KeyEchoedInAnErrorBody_NonStreamingCall_IsRedactedToo(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(Reply("401 json message"));
        using var logs = new LogRecorder();
        using var spans = new SpanRecorder();
        using var client = Pipeline(logs, spans);

        var outcome = await RespondAsync(client);

        var ex = outcome.ApiError;
        Assert.Equal(401, ex.StatusCode);
        Assert.Contains("Incorrect API key provided: " + Redacted, ex.Message, StringComparison.Ordinal);
        AssertNoKey(ex.ToString());
        AssertNoKey(logs.AllText);
        AssertNoKey(SpanRecorder.ExportedText(Assert.Single(spans.Stopped)));
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task MaskedEcho_IsNotTheKey_AndStays(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(EmulatorReply.HttpError(401, "Incorrect API key provided: sk-emu...6789. Check your key.", "authentication_error", "invalid_api_key"));
        using var client = CreateTrackedClient();

        var outcome = await StreamAsync(client.Client);

        var ex = outcome.ApiError;
        Assert.Contains("Incorrect API key provided: sk-emu...6789. Check your key.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Redacted, ex.Message, StringComparison.Ordinal);
        Assert.Equal("authentication_error", ex.ErrorType);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task FailureLogLine_SaysWhatFailedWhereAndHowOften_WithoutServerTextOrPlaceholders(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(EmulatorReply.HttpError(401, "Incorrect API key provided: sk-emu...6789.", "authentication_error"));
        using var logs = new LogRecorder();
        using var client = new YuHuanChatClient(Options(), loggerFactory: logs);

        var outcome = await StreamAsync(client);

        Assert.Equal(401, outcome.ApiError.StatusCode);
        var line = Assert.Single(logs.Lines, l => l.Level >= LogLevel.Warning).Text;
        var text = line[..line.IndexOf(" | ", StringComparison.Ordinal)];
        Assert.Contains(Emulator.Endpoint.Authority, text, StringComparison.Ordinal);
        Assert.Contains("401", text, StringComparison.Ordinal);
        Assert.Contains("authentication_error", text, StringComparison.Ordinal);
        Assert.Contains("1 attempt", text, StringComparison.Ordinal);
        Assert.DoesNotContain("(null)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Incorrect API key", line, StringComparison.Ordinal);
    }

    private static string EscapeAll(string text, string format = "x4") =>
        string.Concat(text.Select(c => "\\u" + ((int)c).ToString(format, CultureInfo.InvariantCulture)));

    private static string EscapeSome(string text) =>
        string.Concat(text.Select((c, i) => i % 3 == 1 ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString()));

    private static string UrlEncodeAll(string text) =>
        string.Concat(text.Select(c => "%" + ((int)c).ToString("X2", CultureInfo.InvariantCulture)));

    private static string UrlEncodeSome(string text) =>
        string.Concat(text.Select(c => char.IsLetterOrDigit(c) ? c.ToString() : "%" + ((int)c).ToString("x2", CultureInfo.InvariantCulture)));

    private static string CharacterReferences(string text) =>
        string.Concat(text.Select((c, i) => i % 2 == 0 ? $"&#{(int)c};" : $"&#x{(int)c:X};"));

    /// <summary>Fails when the key shows in <paramref name="text"/> in any letter case, raw or in an encoded form, or a dozen characters of it.</summary>
    private static void AssertNoKey(string? text)
    {
        if (text is null)
        {
            return;
        }

        foreach (var form in new[] { ApiKey, ApiKey[..12], KeyPart, EscapeAll(ApiKey), UrlEncodeAll(ApiKey), CharacterReferences(ApiKey) })
        {
            Assert.DoesNotContain(form, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private IChatClient Pipeline(LogRecorder logs, SpanRecorder spans) =>
        new YuHuanChatClient(Options(), loggerFactory: logs)
            .AsBuilder()
            .UseOpenTelemetry(sourceName: spans.SourceName)
            .Build();

    private EmulatorReply Reply(string echo)
    {
        var padding = new string('x', GatewayQuoteLimit - 20);
        return echo switch
        {
            "401 json message" => EmulatorReply.HttpError(401, $"Incorrect API key provided: {ApiKey}. You can find your API key in the console.", "authentication_error", "invalid_api_key"),
            "400 json type and code" => EmulatorReply.HttpError(400, "The request was refused.", "invalid_request_error_" + ApiKey, "key:" + ApiKey),
            "403 json, every character \\u-escaped" => RawJson(403, Wire.ErrorBody($"Key {EscapeAll(ApiKey)} may not use this model.", "permission_error", null)),
            "400 json, some characters \\u-escaped, code escaped" => RawJson(400, Wire.ErrorBody($"Key '{EscapeSome(ApiKey)}' is malformed.", "invalid_request_error", EscapeAll(ApiKey, "X4"))),
            "400 json message quoting escaped json" => RawJson(400, Wire.ErrorBody("Upstream said: {\\\"key\\\":\\\"" + EscapeAll(ApiKey).Replace("\\", "\\\\", StringComparison.Ordinal) + "\\\"}", "invalid_request_error", null)),
            "401 html title" => EmulatorReply.RawResponse(401, "text/html", $"<html><head><title>401 Unauthorized: key {ApiKey} is not valid</title></head><body>Go away.</body></html>"),
            "401 html title of character references" => EmulatorReply.RawResponse(401, "text/html", $"<html><head><title>Bad key {CharacterReferences(ApiKey)}</title></head><body></body></html>"),
            "400 plain text" => EmulatorReply.RawResponse(400, "text/plain", $"invalid api key: {ApiKey}"),
            "403 plain text, url-encoded" => EmulatorReply.RawResponse(403, "text/plain", $"Forbidden: /v1/chat?api_key={UrlEncodeAll(ApiKey)}&x=1"),
            "403 plain text, some characters url-encoded" => EmulatorReply.RawResponse(403, "text/plain", $"Forbidden: /v1/chat?api_key={UrlEncodeSome(ApiKey)}"),
            "401 plain text, inside a longer token and upper-cased" => EmulatorReply.RawResponse(401, "text/plain", $"rejected Bearer{ApiKey}XYZ (normalized: {ApiKey.ToUpperInvariant()})"),
            "400 json, key cut by the quote limit" => EmulatorReply.HttpError(400, padding + ApiKey + " and more text after it", "invalid_request_error"),
            "in-stream error event" => new EmulatorReply().AddText("partial").WithStreamError($"Key {ApiKey} was revoked mid-stream.", "revoked_" + ApiKey, ApiKey),
            "in-stream error event, \\u-escaped" => EmulatorReply.RawResponse(200, "text/event-stream", Wire.ErrorEventStream($"Key {EscapeAll(ApiKey)} was revoked.", "server_error")),
            "in-stream error event, key cut by the quote limit" => new EmulatorReply().AddText("partial").WithStreamError(padding + ApiKey + " and more text after it"),
            _ => throw new ArgumentOutOfRangeException(nameof(echo), echo, "No such echo."),
        };
    }

    private static EmulatorReply RawJson(int status, string body) => EmulatorReply.RawResponse(status, "application/json", body);
}
