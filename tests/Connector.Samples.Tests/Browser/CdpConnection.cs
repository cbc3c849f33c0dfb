using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace YuHuan.Connector.Samples.Tests.Browser;

/// <summary>
/// A connection to one page target over the Chrome DevTools Protocol: JSON commands with an <c>id</c> sent over a
/// WebSocket, each answered by a message with the same <c>id</c>; messages without an <c>id</c> are events.
/// </summary>
internal sealed class CdpConnection : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentQueue<string> _pageErrors = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiving;
    private int _nextId;

    private CdpConnection(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = ReceiveAsync();
    }

    /// <summary>Gets the uncaught exceptions and console errors the page reported, for failure messages.</summary>
    public IReadOnlyCollection<string> PageErrors => _pageErrors;

    public static async Task<CdpConnection> ConnectAsync(Uri webSocketUrl, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(webSocketUrl, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new CdpConnection(socket);
        await connection.SendAsync("Runtime.enable", null, cancellationToken);
        await connection.SendAsync("Page.enable", null, cancellationToken);
        return connection;
    }

    /// <summary>Sends a command and returns its <c>result</c>.</summary>
    /// <exception cref="InvalidOperationException">The browser answered with an error.</exception>
    public async Task<JsonElement> SendAsync(string method, JsonObject? parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var command = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(command);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }

        try
        {
            return await answer.Task.WaitAsync(CommandTimeout, cancellationToken);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Evaluates a JavaScript expression in the page (awaiting it when it is a promise) and returns its value.</summary>
    /// <exception cref="InvalidOperationException">The expression threw.</exception>
    public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var result = await SendAsync(
            "Runtime.evaluate",
            new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true },
            cancellationToken);
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException($"The page threw evaluating `{expression}`: {exception}");
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        try
        {
            await _receiving;
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }

        _socket.Dispose();
        _sendLock.Dispose();
        _closing.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(buffer, _closing.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }

                Dispatch(message.ToArray());
                message.SetLength(0);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The browser went away or we are closing: fail what is still waiting.
        }

        foreach (var waiting in _pending.Values)
        {
            waiting.TrySetException(new InvalidOperationException("The DevTools connection closed before the browser answered."));
        }
    }

    private void Dispatch(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("id", out var id))
        {
            if (_pending.TryGetValue(id.GetInt32(), out var waiting))
            {
                if (root.TryGetProperty("error", out var error))
                {
                    waiting.TrySetException(new InvalidOperationException($"DevTools error: {error}"));
                }
                else
                {
                    waiting.TrySetResult(root.GetProperty("result").Clone());
                }
            }

            return;
        }

        var method = root.GetProperty("method").GetString();
        if (method == "Runtime.exceptionThrown")
        {
            _pageErrors.Enqueue(root.GetProperty("params").GetProperty("exceptionDetails").ToString());
        }
        else if (method == "Runtime.consoleAPICalled" && root.GetProperty("params").GetProperty("type").GetString() == "error")
        {
            _pageErrors.Enqueue(root.GetProperty("params").GetProperty("args").ToString());
        }
    }
}
