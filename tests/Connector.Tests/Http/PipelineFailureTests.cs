using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Tests.Http;

/// <summary>
/// Whatever the caller's HTTP pipeline throws, other than for the caller's own cancellation, surfaces as a
/// <see cref="YuHuanApiException"/> with the original inside: a timeout as <c>timeout</c>, anything else as
/// <c>connection_error</c>, and it is not retried.
/// </summary>
public sealed class PipelineFailureTests
{
    public static TheoryData<string, bool> Thrown => new()
    {
        { nameof(TimeoutRejectedException), true },
        { nameof(TimeoutRejectedException), false },
        { nameof(TimeoutException), true },
        { nameof(TimeoutException), false },
        { nameof(OperationCanceledException), true },
        { nameof(OperationCanceledException), false },
        { nameof(InvalidOperationException), true },
        { nameof(InvalidOperationException), false },
        { nameof(NotSupportedException), true },
        { nameof(NotSupportedException), false },
    };

    [Theory]
    [MemberData(nameof(Thrown))]
    public async Task HandlerThrowsBeforeTheResponse_SurfacesAsApiException_WithTheOriginalInside(string thrown, bool streaming)
    {
        var original = Create(thrown);
        var handler = new ThrowingHandler(() => original);
        using var client = CreateClient(handler);

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => CallAsync(client, streaming, CancellationToken.None));

        Assert.Same(original, ex.InnerException);
        Assert.Equal(ExpectedType(thrown), ex.ErrorType);
        Assert.Null(ex.StatusCode);
        Assert.Contains(thrown, ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Requests);
    }

    [Theory]
    [MemberData(nameof(Thrown))]
    public async Task BodyReadThrows_SurfacesAsApiException_WithTheOriginalInside(string thrown, bool streaming)
    {
        var original = Create(thrown);
        using var client = CreateClient(new ThrowingHandler(null, () => original));

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => CallAsync(client, streaming, CancellationToken.None));

        Assert.Same(original, ex.InnerException);
        Assert.Equal(ExpectedType(thrown), ex.ErrorType);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CallersCancellation_StaysAnOperationCanceledException(bool streaming)
    {
        using var cts = new CancellationTokenSource();
        using var client = CreateClient(new ThrowingHandler(() =>
        {
            cts.Cancel();
            return new OperationCanceledException(cts.Token);
        }));

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CallAsync(client, streaming, cts.Token));

        Assert.True(ex.CancellationToken.IsCancellationRequested);
    }

    private static YuHuanChatClient CreateClient(HttpMessageHandler handler) =>
        new(new YuHuanChatClientOptions { Endpoint = new Uri("http://127.0.0.1:1/v1/"), ModelId = "m", MaxRetries = 3, MaxRetryDelay = TimeSpan.FromMilliseconds(1) }, new HttpClient(handler));

    private static async Task CallAsync(YuHuanChatClient client, bool streaming, CancellationToken cancellationToken)
    {
        if (!streaming)
        {
            await client.GetResponseAsync("hi", cancellationToken: cancellationToken);
            return;
        }

        await foreach (var _ in client.GetStreamingResponseAsync("hi", cancellationToken: cancellationToken))
        {
        }
    }

    private static Exception Create(string thrown) => thrown switch
    {
        nameof(TimeoutRejectedException) => new TimeoutRejectedException(),
        nameof(TimeoutException) => new TimeoutException("A handler timed out."),
        nameof(OperationCanceledException) => new OperationCanceledException("A handler's own token was cancelled."),
        nameof(InvalidOperationException) => new InvalidOperationException("A handler is broken."),
        _ => new NotSupportedException("A handler does not support this."),
    };

    private static string ExpectedType(string thrown) =>
        thrown is nameof(InvalidOperationException) or nameof(NotSupportedException) ? YuHuanErrorTypes.ConnectionError : YuHuanErrorTypes.Timeout;
}
