using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace YuHuan.Connector.Protocol;

/// <summary>
/// One request as every protocol's writer receives it: the history and options as the caller gave them, with what
/// the client resolved once (the model, the raw base body, the client's defaults).
/// </summary>
internal sealed class ChatRequest
{
    /// <summary>Gets the conversation, in order.</summary>
    public required IEnumerable<ChatMessage> Messages { get; init; }

    /// <summary>Gets the caller's options, if any.</summary>
    public ChatOptions? Options { get; init; }

    /// <summary>Gets the model: <see cref="ChatOptions.ModelId"/>, else the client's default; <see langword="null"/> when neither is set.</summary>
    public string? Model { get; init; }

    /// <summary>Gets a value indicating whether the response is to be streamed.</summary>
    public bool Stream { get; init; }

    /// <summary>Gets what <see cref="ChatOptions.RawRepresentationFactory"/> returned (called once per request), if anything.</summary>
    public object? RawRepresentation { get; init; }

    /// <summary>Gets the output token limit used by protocols that require one when <see cref="ChatOptions.MaxOutputTokens"/> is unset.</summary>
    public int DefaultMaxOutputTokens { get; init; } = YuHuanChatClientOptions.DefaultMaxOutputTokensValue;

    /// <summary>
    /// Gets a value indicating whether the mapper puts on every update the wire JSON it came from, and yields an update for
    /// an event it maps to nothing (<see cref="YuHuanChatClientOptions.IncludeRawRepresentation"/>).
    /// </summary>
    public bool IncludeRawRepresentation { get; init; }

    /// <summary>Gets where a writer notes, once per client, a <see cref="ChatOptions"/> member its protocol has no field for.</summary>
    public UnsentOptions UnsentOptions { get; init; } = new(NullLogger.Instance);

    /// <summary>
    /// Gets the names of the client's protocols that carry a tool, for the error about a tool this protocol cannot carry
    /// ("Messages and Responses"); <see langword="null"/> when none does. The client sets it from its registration list.
    /// </summary>
    public Func<AITool, string?> ToolCarriers { get; init; } = static _ => null;

    /// <summary>Gets where a writer notes what it left out of the request (content another protocol produced that this one cannot carry).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}
