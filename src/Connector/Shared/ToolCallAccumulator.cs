using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Collects the pieces of the tool calls of one response and turns each into exactly one complete
/// <see cref="FunctionCallContent"/>. A protocol's mapper only says what arrived, under the key its protocol
/// correlates by (an index, a content block, an output item); the rules live here:
/// <list type="bullet">
/// <item>the first id and the first name a call receives win (servers repeat or rotate them on later pieces);</item>
/// <item>argument pieces are appended still JSON-escaped, as they were on the wire, and unescaped once the call is
/// complete, so a piece may end inside an escape sequence or between the halves of a surrogate pair;</item>
/// <item>an input given as a JSON object rather than a string holding one is kept as its JSON text;</item>
/// <item>the arguments of one call may not reach <see cref="ResponseLimits.MaxResponseBytes"/>, and one response may not
/// hold more than <see cref="ResponseLimits.MaxToolCalls"/> calls;</item>
/// <item>a call completes by its key (a block stop, an item done) or all at once (a finish reason), in key order.</item>
/// </list>
/// Look-ups by key and by id take constant time, so a response with many calls is read in linear time.
/// </summary>
internal sealed class ToolCallAccumulator
{
    private readonly List<PendingCall> _calls = [];
    private readonly Dictionary<int, PendingCall> _byKey = [];
    private Dictionary<string, PendingCall>? _byId;
    private int _pending;
    private int _nextKey;
    private int _started;

    /// <summary>Gets a value indicating whether any call is waiting to be completed.</summary>
    public bool HasPending => _pending > 0;

    /// <summary>Gets the most recently started call that is still pending, if any.</summary>
    public PendingCall? Last { get; private set; }

    /// <summary>Finds the latest pending call with the given key, or starts one.</summary>
    /// <exception cref="YuHuanApiException">The response would hold more calls than the limit.</exception>
    public PendingCall GetOrAdd(int key) => _byKey.TryGetValue(key, out var call) ? call : Add(key);

    /// <summary>Starts a call with the given key, even if one with that key is pending (servers that number every call 0).</summary>
    /// <exception cref="YuHuanApiException">The response would hold more calls than the limit.</exception>
    public PendingCall Add(int key)
    {
        if (++_started > ResponseLimits.MaxToolCalls)
        {
            throw ClientErrors.TooLarge("The number of tool calls in the gateway's response", ResponseLimits.MaxToolCalls);
        }

        var call = new PendingCall(this, key);
        _calls.Add(call);
        _byKey[key] = call;
        _pending++;
        _nextKey = Math.Max(_nextKey, key + 1);
        Last = call;
        return call;
    }

    /// <summary>Starts a call after the highest key seen so far.</summary>
    /// <exception cref="YuHuanApiException">The response would hold more calls than the limit.</exception>
    public PendingCall AddNext() => Add(_nextKey);

    /// <summary>Finds the latest pending call with the given key, if there is one.</summary>
    public PendingCall? Find(int key) => _byKey.TryGetValue(key, out var call) ? call : null;

    /// <summary>Finds the pending call with the given id, if one was started.</summary>
    public PendingCall? FindById(string id) => _byId is not null && _byId.TryGetValue(id, out var call) ? call : null;

    /// <summary>Completes the latest pending call with the given key, if there is one.</summary>
    public FunctionCallContent? Complete(int key)
    {
        if (!_byKey.TryGetValue(key, out var call))
        {
            return null;
        }

        var completed = Finish(call);
        if (_pending == 0)
        {
            Reset();
        }

        return completed;
    }

    /// <summary>Completes every pending call, in key order (calls that share a key in the order they started), into <paramref name="contents"/>.</summary>
    public void CompleteAll(IList<AIContent> contents)
    {
        if (_pending == 0)
        {
            return;
        }

        var pending = _calls.Where(static c => !c.IsCompleted);
        foreach (var call in _pending > 1 ? pending.OrderBy(static c => c.Key) : pending)
        {
            contents.Add(Finish(call));
        }

        Reset();
    }

    private FunctionCallContent Finish(PendingCall call)
    {
        call.IsCompleted = true;
        _pending--;
        if (_byKey.TryGetValue(call.Key, out var latest) && latest == call)
        {
            _byKey.Remove(call.Key);
        }

        if (call.Id is { } id && _byId is not null && _byId.TryGetValue(id, out var byId) && byId == call)
        {
            _byId.Remove(id);
        }

        if (Last == call)
        {
            Last = null;
        }

        return call.Complete();
    }

    private void Reset()
    {
        _calls.Clear();
        _byKey.Clear();
        _byId?.Clear();
        _nextKey = 0;
        Last = null;
    }

    private void Register(string id, PendingCall call) => (_byId ??= new(StringComparer.Ordinal)).TryAdd(id, call);

    /// <summary>One call being assembled.</summary>
    internal sealed class PendingCall
    {
        private readonly ToolCallAccumulator _owner;
        private ArrayBufferWriter<byte>? _arguments;

        public PendingCall(ToolCallAccumulator owner, int key)
        {
            _owner = owner;
            Key = key;
        }

        /// <summary>Gets the key the protocol correlates the call's pieces by.</summary>
        public int Key { get; }

        /// <summary>Gets the call id, once one arrived.</summary>
        public string? Id { get; private set; }

        /// <summary>Gets the function name, once one arrived.</summary>
        public string? Name { get; private set; }

        /// <summary>Gets a value indicating whether any argument bytes arrived.</summary>
        public bool HasArguments => _arguments is { WrittenCount: > 0 };

        /// <summary>Gets a value indicating whether the call was completed.</summary>
        public bool IsCompleted { get; internal set; }

        /// <summary>
        /// Takes what one piece of the call carried. Empty or <see langword="null"/> values mean nothing arrived.
        /// </summary>
        /// <param name="id">The call id, if the piece had one; the first one wins.</param>
        /// <param name="name">The function name, if the piece had one; the first one wins.</param>
        /// <param name="arguments">Argument bytes: the content of a JSON string, still escaped, or (with
        /// <paramref name="argumentsAreObject"/>) the raw JSON text of an object given instead of a string.</param>
        /// <param name="argumentsAreObject">Whether <paramref name="arguments"/> is raw JSON rather than escaped string content.</param>
        /// <exception cref="YuHuanApiException">The arguments would reach the size limit.</exception>
        public void Receive(string? id, string? name, ReadOnlySpan<byte> arguments, bool argumentsAreObject)
        {
            if (Id is null && !string.IsNullOrEmpty(id))
            {
                Id = id;
                _owner.Register(id, this);
            }

            if (Name is null && !string.IsNullOrEmpty(name))
            {
                Name = name;
            }

            if (argumentsAreObject && Utf8.IsValid(arguments))
            {
                // Escaped to match the string pieces; bytes that are not UTF-8 go in as they are, so the call reports them.
                arguments = JsonEncodedText.Encode(arguments, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes;
            }

            if (arguments.IsEmpty)
            {
                return;
            }

            // Each piece is small, so the size limit on lines does not catch a server that streams pieces without end.
            if ((long)(_arguments?.WrittenCount ?? 0) + arguments.Length >= ResponseLimits.MaxResponseBytes)
            {
                throw ClientErrors.TooLarge("The arguments of a tool call of the gateway's response (bytes)", ResponseLimits.MaxResponseBytes);
            }

            var buffer = _arguments ??= new ArrayBufferWriter<byte>(Math.Max(256, arguments.Length));
            arguments.CopyTo(buffer.GetSpan(arguments.Length));
            buffer.Advance(arguments.Length);
        }

        /// <summary>
        /// Replaces the argument bytes received so far with the call's complete arguments (a protocol's final word on the
        /// call wins over its pieces, of which a resumed stream may have seen only the tail).
        /// </summary>
        /// <param name="arguments">The complete arguments, in the form <see cref="Receive"/> takes.</param>
        /// <param name="argumentsAreObject">Whether <paramref name="arguments"/> is raw JSON rather than escaped string content.</param>
        /// <exception cref="YuHuanApiException">The arguments would reach the size limit.</exception>
        public void ReplaceArguments(ReadOnlySpan<byte> arguments, bool argumentsAreObject)
        {
            _arguments?.ResetWrittenCount();
            Receive(null, null, arguments, argumentsAreObject);
        }

        /// <summary>Builds the complete call; a missing id is synthesized, malformed arguments go in <see cref="FunctionCallContent.Exception"/>.</summary>
        internal FunctionCallContent Complete()
        {
            var callId = string.IsNullOrEmpty(Id) ? "call_" + Guid.NewGuid().ToString("N") : Id;
            return FunctionArguments.CreateCallFromEscaped(callId, Name ?? string.Empty, _arguments is null ? ReadOnlySpan<byte>.Empty : _arguments.WrittenSpan);
        }
    }
}
