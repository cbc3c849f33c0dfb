using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Tests;

/// <summary>
/// One protocol as the tests see it: the client setting that selects it, how its request bodies read, and what the
/// client makes of a conversation where protocols differ. Everything a cross-protocol test needs to know that differs
/// between protocols is a member here, so those tests hold no protocol's names or strings; each protocol's kit lives in
/// its own folder, and <see cref="TestProtocols"/> lists them.
/// </summary>
/// <remarks>
/// This part is compiled into every test project (linked from tests/Shared). Connector.Tests adds a part of its own
/// (the emulator's rendering, and the expectations that need the connector's internals), which sees what only it may.
/// </remarks>
public abstract partial class WireFormat
{
    /// <summary>Gets the protocol the client is set to.</summary>
    public abstract YuHuanProtocol Protocol { get; }

    /// <summary>
    /// Gets the protocol's name as the client says it in messages and records it on kept contents under
    /// <c>yuhuan_protocol</c> (<c>IChatProtocol.Name</c>).
    /// </summary>
    public abstract string Name { get; }

    /// <summary>Gets the path of the protocol's endpoint relative to the gateway's base URL, such as <c>messages</c>.</summary>
    public abstract string RelativePath { get; }

    /// <summary>Gets the path of the protocol's endpoint as a request to the emulator records it (its base URL ends in <c>/v1/</c>).</summary>
    public string Path => "/v1/" + RelativePath;

    /// <summary>Gets a value indicating whether the protocol reports reasoning tokens apart (Messages has no such field).</summary>
    public abstract bool ReportsReasoningTokens { get; }

    /// <summary>
    /// Gets a value indicating whether a request carries the signature of signed reasoning back as it came (Messages
    /// <c>signature</c>, Responses <c>encrypted_content</c>); Chat Completions does only where the server sent
    /// <c>reasoning_details</c>.
    /// </summary>
    public abstract bool SendsReasoningSignaturesBack { get; }

    /// <summary>
    /// Gets a value indicating whether fields of a reasoning or text block the client's mapping does not use go back in
    /// that block (Chat Completions has a place only for a tool call's).
    /// </summary>
    public abstract bool KeepsUnmappedFields { get; }

    /// <summary>
    /// Gets a value indicating whether the protocol has hosted tool calls (web search, code execution, MCP) and keeps
    /// blocks it does not know; Chat Completions has neither.
    /// </summary>
    public abstract bool HostsTools { get; }

    /// <summary>
    /// Returns whether a request of the protocol can carry <paramref name="tool"/>: every protocol carries functions, and
    /// each the hosted tools it has a definition for.
    /// </summary>
    public virtual bool Carries(AITool tool) => tool is AIFunctionDeclaration;

    /// <summary>Gets the prefix of the ids of the reasoning items a request carries back, or <see langword="null"/> when reasoning has no id.</summary>
    public virtual string? ReasoningItemIdPrefix => null;

    /// <summary>Gets a value indicating whether a request carries the phase of phased text back (Responses <c>phase</c>).</summary>
    public virtual bool SendsTextPhase => false;

    /// <summary>Gets the request field of <see cref="ChatOptions.MaxOutputTokens"/>.</summary>
    public virtual string MaxOutputTokensField => "max_tokens";

    /// <summary>Gets a value indicating whether the protocol has a field for <see cref="ChatOptions.StopSequences"/>.</summary>
    public virtual bool CarriesStopSequences => true;

    /// <summary>
    /// Returns <paramref name="options"/> set so that every request carries the whole history: as given, or, for a protocol
    /// whose server keeps conversations by default, with that turned off.
    /// </summary>
    public virtual ChatOptions Stateless(ChatOptions options) => options;

    /// <summary>Returns new options of a request that carries the whole history (see <see cref="Stateless(ChatOptions)"/>).</summary>
    public ChatOptions Stateless() => Stateless(new ChatOptions());

    /// <summary>
    /// Returns the finish reason the client reads for a reply that sent <paramref name="scripted"/> (<see langword="null"/>
    /// for none): the same, unless the protocol has no field for it and says it otherwise.
    /// </summary>
    public virtual string? FinishReasonRead(string? scripted, bool hasCalls) => scripted;

    /// <summary>Reads the names of the tools a request advertised (none when it has no tools).</summary>
    public abstract IReadOnlyList<string> ToolNames(JsonElement body);

    /// <summary>Reads the tool calls a request sent back as history, in order: id, name and arguments.</summary>
    public abstract IReadOnlyList<(string CallId, string Name, JsonElement Arguments)> ToolCalls(JsonElement body);

    /// <summary>Reads the tool results a request carried, in order: the call id and the result text.</summary>
    public abstract IReadOnlyList<(string CallId, string Result)> ToolResults(JsonElement body);

    /// <summary>
    /// Reads the reasoning a request sent back in assistant turns, in order: each piece's text and, where the protocol
    /// carries one, its signature; redacted reasoning comes as empty text with its data as the signature.
    /// </summary>
    public abstract IReadOnlyList<(string Text, string? Signature)> Reasoning(JsonElement body);

    /// <summary>Reads the ids of the reasoning items a request carried back, in order (empty where reasoning has no id).</summary>
    public virtual IReadOnlyList<string> ReasoningItemIds(JsonElement body) => [];

    /// <summary>Reads the system prompt a request carried, each piece in order.</summary>
    public abstract IReadOnlyList<string> Instructions(JsonElement body);

    /// <summary>Reads the conversation turns a request carried: each turn's role and its text, tool traffic left out.</summary>
    public abstract IReadOnlyList<(string Role, string Text)> Turns(JsonElement body);

    /// <summary>Reads the stop sequences a request carried.</summary>
    public abstract IReadOnlyList<string> StopSequences(JsonElement body);

    /// <inheritdoc />
    public override string ToString() => Protocol.ToString();

    /// <summary>Parses a JSON string into an element that outlives its document.</summary>
    protected static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Joins the text of a content that is a string or an array of parts with <c>text</c>.</summary>
    protected static string TextOf(JsonElement content) =>
        content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(part => part.TryGetProperty("text", out var text) ? text.GetString() : string.Empty));
}
