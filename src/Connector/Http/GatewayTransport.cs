using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Http;

/// <summary>
/// Sends requests to the gateway: headers, the network timeout, and retries of failures that happened
/// before any response body was read. It never retries once a successful response was handed out.
/// </summary>
internal sealed class GatewayTransport : IDisposable
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    private static readonly ProductInfoHeaderValue UserAgent = new(
        "YuHuan.Connector",
        typeof(GatewayTransport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0] ?? "0.0.0");

    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly YuHuanChatClientOptions _options;
    private readonly ILogger _logger;
    private readonly IChatProtocol _protocol;
    private readonly bool _keyOnlyInAuthorization;

    /// <summary>Initializes the transport.</summary>
    /// <param name="options">The client's settings.</param>
    /// <param name="protocol">The wire protocol.</param>
    /// <param name="httpClient">The caller's <see cref="HttpClient"/>, or <see langword="null"/> to create one that follows no redirects.</param>
    /// <param name="logger">Where requests, retries and failures are logged.</param>
    /// <param name="followsNoRedirects">
    /// Whether <paramref name="httpClient"/> is known to follow no redirects (the one dependency injection sets up). Any other
    /// caller's client may follow a redirect to another origin, carrying every header but <c>Authorization</c> along: the key
    /// then travels only in <c>Authorization</c>, which .NET drops on every redirect.
    /// </param>
    public GatewayTransport(YuHuanChatClientOptions options, IChatProtocol protocol, HttpClient? httpClient, ILogger? logger, bool followsNoRedirects = false)
    {
        _options = options;
        _protocol = protocol;
        _logger = logger ?? NullLogger.Instance;
        BaseAddress = options.Endpoint.AbsoluteUri.EndsWith('/') ? options.Endpoint : new Uri(options.Endpoint.AbsoluteUri + "/");
        if (httpClient is null)
        {
            _httpClient = new HttpClient(new SocketsHttpHandler
            {
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),

                // A redirect would carry extra headers (and key headers other than Authorization) to another origin.
                AllowAutoRedirect = false,
            })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
            _ownsHttpClient = true;
        }
        else
        {
            _httpClient = httpClient;
            _keyOnlyInAuthorization = !followsNoRedirects;
        }
    }

    /// <summary>Gets the base address, always ending with a slash.</summary>
    public Uri BaseAddress { get; }

    private string Authority => BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>Sends the call and returns the successful response, retrying failures before the first byte.</summary>
    /// <remarks>
    /// Whatever the HTTP pipeline throws, other than for the caller's cancellation, becomes a <see cref="YuHuanApiException"/>
    /// with the original as its inner exception: an <see cref="HttpRequestException"/> is <see cref="YuHuanErrorTypes.ConnectionError"/>
    /// and retried; anything else (a resilience handler's <c>TimeoutRejectedException</c>, a handler's own exception, a
    /// cancellation that was not the caller's) is not retried, and reported as <see cref="YuHuanErrorTypes.Timeout"/> when it
    /// says time ran out (<see cref="ClientErrors.IsTimeout"/>), otherwise as <see cref="YuHuanErrorTypes.ConnectionError"/>.
    /// </remarks>
    public async Task<GatewayResponse> SendAsync(WireRequest call, CancellationToken cancellationToken)
    {
        var uri = new Uri(BaseAddress, call.RelativeUri);
        var (model, streaming) = (call.Model, call.Stream);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            GatewayLog.RequestSent(_logger, _protocol.Name, model, streaming, uri.Authority, attempt + 1);
            var readCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            HttpResponseMessage? response = null;
            YuHuanApiException failure;
            try
            {
                using var request = CreateRequest(uri, call);
                if (_options.NetworkTimeout != Timeout.InfiniteTimeSpan)
                {
                    readCancellation.CancelAfter(_options.NetworkTimeout);
                }

                response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, readCancellation.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    var stream = await response.Content.ReadAsStreamAsync(readCancellation.Token).ConfigureAwait(false);
                    readCancellation.CancelAfter(Timeout.InfiniteTimeSpan);
                    var guarded = new GuardedReadStream(stream, readCancellation, _options.NetworkTimeout, cancellationToken);
                    return new GatewayResponse(response, guarded, readCancellation);
                }

                var errorBody = await ReadErrorBodyAsync(response, readCancellation.Token).ConfigureAwait(false);
                failure = GatewayError.FromStatus(response.StatusCode, response.ReasonPhrase, _protocol.ReadHttpError(errorBody), errorBody, GatewayError.ReadRetryAfter(response));
                if (!ShouldRetry(response))
                {
                    throw Failed(failure, attempt);
                }
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Not the caller's cancellation: our network timeout, the Timeout of an HttpClient the caller passed in
                // (which says so with a TimeoutException inside), or a handler's own cancellation.
                var timedOut = readCancellation.IsCancellationRequested
                    ? ClientErrors.TimedOut(_options.NetworkTimeout, ex)
                    : ex.InnerException is TimeoutException
                        ? ClientErrors.HttpClientTimedOut(ex)
                        : ClientErrors.PipelineFailed(ex, Authority);
                Release(response, readCancellation);
                throw Failed(timedOut, attempt);
            }
            catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
            {
                failure = ClientErrors.Unreachable(Authority, ex, attempt + 1, Stopwatch.GetElapsedTime(started));
            }
            catch (Exception ex) when (ex is not YuHuanApiException && !cancellationToken.IsCancellationRequested)
            {
                // Anything else a handler threw: a resilience handler's TimeoutRejectedException, a bug. Not retried: a
                // resilience handler has retried already, and a bug does not go away by itself.
                Release(response, readCancellation);
                throw Failed(ClientErrors.PipelineFailed(ex, Authority), attempt);
            }
            catch
            {
                Release(response, readCancellation);
                throw;
            }

            Release(response, readCancellation);
            var delay = failure.RetryAfter ?? RetryDelay(attempt);
            if (attempt >= _options.MaxRetries || delay > _options.MaxRetryDelay)
            {
                throw Failed(failure, attempt);
            }

            GatewayLog.Retrying(_logger, _protocol.Name, Describe(failure), attempt + 1, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _httpClient.Dispose();
        }
    }

    internal static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>
    /// Decides whether a failed status is retried: as the server's <c>x-should-retry</c> says (<c>true</c> or <c>false</c>,
    /// in any letter case, as the official SDKs read it), otherwise by the status (<see cref="IsRetryable"/>).
    /// </summary>
    internal static bool ShouldRetry(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("x-should-retry", out var values) && values.FirstOrDefault()?.Trim() is { } hint)
        {
            if (hint.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (hint.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return IsRetryable(response.StatusCode);
    }

    /// <summary>The wait before retry (or resumption) number <paramref name="attempt"/> + 1: the <see cref="Backoff"/>, capped at <see cref="YuHuanChatClientOptions.MaxRetryDelay"/>.</summary>
    internal TimeSpan RetryDelay(int attempt)
    {
        var backoff = Backoff(attempt);
        return backoff < _options.MaxRetryDelay ? backoff : _options.MaxRetryDelay;
    }

    /// <summary>Exponential backoff with jitter: about 0.5 s, 1 s, 2 s … capped at 8 s.</summary>
    internal static TimeSpan Backoff(int attempt)
    {
        var baseMs = 500 * Math.Pow(2, Math.Min(attempt, 4));
        return TimeSpan.FromMilliseconds(baseMs * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    private static string Describe(YuHuanApiException failure) =>
        failure.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? failure.ErrorType ?? "an error";

    private YuHuanApiException Failed(YuHuanApiException failure, int attempt)
    {
        GatewayLog.RequestFailed(_logger, _protocol.Name, BaseAddress.Authority, attempt + 1, failure, new SecretScrubber(_options.ApiKey));
        return failure;
    }

    private static void Release(HttpResponseMessage? response, CancellationTokenSource readCancellation)
    {
        response?.Dispose();
        readCancellation.Dispose();
    }

    private static async Task<byte[]> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[MaxErrorBodyBytes];
                var total = 0;
                int read;
                while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                }

                if (total == buffer.Length)
                {
                    // More than we quote: close the connection rather than drain the rest.
                    await UnreadBody.AbortAsync(stream).ConfigureAwait(false);
                }

                return buffer[..total];
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidDataException)
        {
            // The status says enough; a body lost on the way (or not decodable) adds nothing.
            return [];
        }
    }

    /// <summary>Creates the HTTP request of <paramref name="call"/> at <paramref name="uri"/>.</summary>
    /// <remarks>
    /// The protocol's default headers go first, replaced by the client's <see cref="YuHuanChatClientOptions.AdditionalHeaders"/>
    /// of the same name; its appended headers come last, added to a list the client's headers already started, so a caller's
    /// own list of features and the features a hosted tool needs go out together.
    /// </remarks>
    private HttpRequestMessage CreateRequest(Uri uri, WireRequest call)
    {
        var request = new HttpRequestMessage(call.Method, uri);
        if (call.Method != HttpMethod.Get)
        {
            request.Content = new ReadOnlyMemoryContent(call.Body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        var headers = request.Headers;
        headers.Accept.Add(new MediaTypeWithQualityHeaderValue(call.Stream ? "text/event-stream" : "application/json"));
        headers.UserAgent.Add(UserAgent);
        if (_options.ApiKey is { } apiKey)
        {
            _protocol.ApplyKey(headers, apiKey, _keyOnlyInAuthorization);
        }

        foreach (var header in call.Headers ?? [])
        {
            if (!header.Appended)
            {
                headers.TryAddWithoutValidation(header.Name, header.Value);
            }
        }

        foreach (var header in _options.AdditionalHeaders)
        {
            headers.Remove(header.Key);
            headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var header in call.Headers ?? [])
        {
            if (header.Appended)
            {
                AppendHeaderValue(headers, header.Name, header.Value);
            }
        }

        return request;
    }

    /// <summary>Appends <paramref name="value"/> to the comma-separated list of <paramref name="name"/>, unless the list holds it already.</summary>
    private static void AppendHeaderValue(HttpRequestHeaders headers, string name, string value)
    {
        if (!headers.TryGetValues(name, out var existing))
        {
            headers.TryAddWithoutValidation(name, value);
            return;
        }

        var list = string.Join(",", existing);
        foreach (var item in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.Equals(item, value, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }

        headers.Remove(name);
        headers.TryAddWithoutValidation(name, list.Length == 0 ? value : list + "," + value);
    }
}
