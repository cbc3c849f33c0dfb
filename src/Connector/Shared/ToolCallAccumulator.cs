using System.Buffers;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Http;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Collects the fragments of streamed tool calls, keyed by the protocol's index, and turns each into exactly
/// one complete <see cref="FunctionCallContent"/>. Argument fragments are kept as UTF-8 bytes, so no string is
/// made per fragment.
/// </summary>
internal sealed class ToolCallAccumulator
{
    private readonly List<PendingCall> _calls = [];

    /// <summary>Gets a value indicating whether any call is waiting to be completed.</summary>
    public bool HasPending => _calls.Count > 0;

    /// <summary>Gets the number of calls waiting to be completed.</summary>
    public int Count => _calls.Count;

    /// <summary>Finds the latest call with the given index, or starts one.</summary>
    public PendingCall GetOrAdd(int index)
    {
        for (var i = _calls.Count - 1; i >= 0; i--)
        {
            if (_calls[i].Index == index)
            {
                return _calls[i];
            }
        }

        return Add(index);
    }

    /// <summary>Starts a call with the given index, even if one with that index exists (servers that number every call 0).</summary>
    public PendingCall Add(int index)
    {
        var added = new PendingCall(index);
        _calls.Add(added);
        return added;
    }

    /// <summary>Starts a call after the highest index seen so far.</summary>
    public PendingCall AddNext()
    {
        var next = 0;
        foreach (var call in _calls)
        {
            next = Math.Max(next, call.Index + 1);
        }

        return Add(next);
    }

    /// <summary>Finds the call with the given id, if one was started.</summary>
    public PendingCall? FindById(string id)
    {
        foreach (var call in _calls)
        {
            if (call.Id == id)
            {
                return call;
            }
        }

        return null;
    }

    /// <summary>Gets the most recently started call, if any.</summary>
    public PendingCall? Last => _calls.Count == 0 ? null : _calls[^1];

    /// <summary>Completes every pending call, in index order, into <paramref name="contents"/>, and forgets them.</summary>
    public void CompleteAll(IList<AIContent> contents)
    {
        // In index order; calls that share an index keep the order they started in (a stable sort).
        foreach (var call in _calls.Count > 1 ? _calls.OrderBy(static c => c.Index) : (IEnumerable<PendingCall>)_calls)
        {
            contents.Add(call.Complete());
        }

        _calls.Clear();
    }

    /// <summary>Completes and removes the call with the given index, if it is pending.</summary>
    public FunctionCallContent? Complete(int index)
    {
        for (var i = 0; i < _calls.Count; i++)
        {
            if (_calls[i].Index == index)
            {
                var call = _calls[i];
                _calls.RemoveAt(i);
                return call.Complete();
            }
        }

        return null;
    }

    /// <summary>One call being assembled.</summary>
    internal sealed class PendingCall
    {
        private ArrayBufferWriter<byte>? _arguments;

        public PendingCall(int index) => Index = index;

        public int Index { get; }

        public string? Id { get; set; }

        public string? Name { get; set; }

        /// <summary>
        /// Gets a buffer to append <paramref name="bytes"/> more argument bytes to, still JSON-escaped as they were on the
        /// wire: a fragment may end inside a character that the next one completes (half of a surrogate pair, say),
        /// so the whole is unescaped only once the call is complete. The arguments of one
        /// call may not reach <see cref="GatewayTransport.MaxResponseBytes"/>: each fragment is small, so the size limit
        /// on lines does not catch a server that streams fragments without end.
        /// </summary>
        /// <exception cref="YuHuanApiException">The arguments would reach the limit.</exception>
        public IBufferWriter<byte> ArgumentsFor(int bytes)
        {
            if ((long)(_arguments?.WrittenCount ?? 0) + bytes >= GatewayTransport.MaxResponseBytes)
            {
                throw new YuHuanApiException(
                    $"The arguments of a tool call of the gateway's response reached {GatewayTransport.MaxResponseBytes} bytes; the response was abandoned.",
                    null,
                    "response_too_large",
                    null);
            }

            return _arguments ??= new ArrayBufferWriter<byte>(256);
        }

        /// <summary>Builds the complete call; a missing id is synthesized, malformed arguments go in <see cref="FunctionCallContent.Exception"/>.</summary>
        public FunctionCallContent Complete()
        {
            var callId = string.IsNullOrEmpty(Id) ? "call_" + Guid.NewGuid().ToString("N") : Id;
            var name = Name ?? string.Empty;
            return FunctionArguments.CreateCallFromEscaped(callId, name, _arguments is null ? ReadOnlySpan<byte>.Empty : _arguments.WrittenSpan);
        }
    }
}
