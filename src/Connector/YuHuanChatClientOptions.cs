using System.Text;

namespace YuHuan.Connector;

/// <summary>Settings of a <see cref="YuHuanChatClient"/>.</summary>
/// <remarks>
/// The client takes a copy of these settings when it is constructed; changing the options afterwards
/// does not affect a client that already exists. <see cref="ToString"/> never shows the API key.
/// </remarks>
public sealed class YuHuanChatClientOptions
{
    /// <summary>The gateway's default base address, <c>https://api.yuhuanstudio.com/v1</c>.</summary>
    public static readonly Uri DefaultEndpoint = new("https://api.yuhuanstudio.com/v1");

    /// <summary>The default of <see cref="DefaultMaxOutputTokens"/>.</summary>
    internal const int DefaultMaxOutputTokensValue = 4096;

    /// <summary>Gets or sets the base address of the gateway. Defaults to <see cref="DefaultEndpoint"/>; a trailing slash is optional.</summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>
    /// Gets or sets the API key sent with every request, or <see langword="null"/> to send none: only for a gateway on
    /// loopback (such as the emulator) or with an <c>Authorization</c> or <c>x-api-key</c> header in <see cref="AdditionalHeaders"/>.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the model used when <c>ChatOptions.ModelId</c> is <see langword="null"/>.</summary>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the wire protocol. Defaults to <see cref="YuHuanProtocol.ChatCompletions"/>.</summary>
    public YuHuanProtocol Protocol { get; set; } = YuHuanProtocol.ChatCompletions;

    /// <summary>
    /// Gets or sets how many times a request is retried after a 408, 429 or 5xx status or a connection failure,
    /// always before the first byte of a response body was read. Defaults to 2; 0 disables retries.
    /// </summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>
    /// Gets or sets the longest wait before one retry. A <c>Retry-After</c> longer than this is not waited for:
    /// the failure is reported at once with <see cref="YuHuanApiException.RetryAfter"/> set. Defaults to 30 seconds.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long the client waits for the response headers, and then for each next piece of a
    /// response body, before failing with a <see cref="YuHuanApiException"/> whose inner exception is a
    /// <see cref="TimeoutException"/>. Defaults to 2 minutes; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Gets or sets whether an <c>http://</c> endpoint on a host other than loopback is allowed. Defaults to
    /// <see langword="false"/>, because the API key would cross the network in clear text.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// Gets or sets whether text between <c>&lt;think&gt;</c> and <c>&lt;/think&gt;</c> in a reply is reported as reasoning
    /// (<see cref="Microsoft.Extensions.AI.TextReasoningContent"/>) rather than text, for models whose serving engine
    /// leaves their reasoning inline. Defaults to <see langword="false"/>.
    /// </summary>
    /// <remarks>Applies to <see cref="YuHuanProtocol.ChatCompletions"/>, the protocol of such serving engines. It has no
    /// effect on <see cref="YuHuanProtocol.Messages"/>, whose reasoning always arrives in its own <c>thinking</c> blocks.</remarks>
    public bool SplitThinkTags { get; set; }

    /// <summary>
    /// Gets or sets the output token limit sent when <c>ChatOptions.MaxOutputTokens</c> is not set, for protocols that
    /// require one (<see cref="YuHuanProtocol.Messages"/> requires <c>max_tokens</c> on every request). Defaults to 4096.
    /// </summary>
    public int DefaultMaxOutputTokens { get; set; } = DefaultMaxOutputTokensValue;

    /// <summary>
    /// Gets or sets whether <c>ChatOptions.Reasoning</c> maps to budgeted thinking on <see cref="YuHuanProtocol.Messages"/>,
    /// for Claude models older than 4.6: <c>thinking {"type":"enabled","budget_tokens":N}</c> with N = 1,024 (low),
    /// 4,096 (medium), 16,384 (high) or 32,768 (extra high), kept below <c>max_tokens</c>. Defaults to <see langword="false"/>:
    /// adaptive thinking with <c>output_config.effort</c>, the only mode of Opus 4.7 and later, which refuse a budget.
    /// </summary>
    /// <remarks>
    /// For one request rather than the whole client, give your own <c>thinking</c> through <c>ChatOptions.AdditionalProperties</c>:
    /// it wins over the mapping. Other protocols ignore this setting.
    /// </remarks>
    public bool UseThinkingBudget { get; set; }

    /// <summary>
    /// Gets or sets whether every <see cref="Microsoft.Extensions.AI.ChatResponseUpdate"/> carries the wire JSON it was made
    /// from as its <see cref="Microsoft.Extensions.AI.ChatResponseUpdate.RawRepresentation"/>, a
    /// <see cref="System.Text.Json.JsonElement"/>: the event of a stream, or the response object of a complete (non-streamed)
    /// response. Defaults to <see langword="false"/>.
    /// </summary>
    /// <remarks>
    /// When on, an event the client maps to nothing (a <c>ping</c>, a header event such as <c>response.in_progress</c>, an
    /// event type it does not know) still yields an update, carrying only its raw representation and the response's ids,
    /// so fields the client does not map (<c>service_tier</c>, <c>system_fingerprint</c>, <c>logprobs</c>, a gateway's own)
    /// can be read. <see cref="YuHuanChatClient.GetResponseAsync"/> sets the <see cref="Microsoft.Extensions.AI.ChatResponse.RawRepresentation"/>
    /// too: the response object, or, from a server that streamed anyway, the list of its events. Each event is then parsed
    /// once more and copied; when off, nothing of that is done. The raw representation is never serialized: it does not
    /// survive a stored history.
    /// </remarks>
    public bool IncludeRawRepresentation { get; set; }

    /// <summary>Gets or sets the configuration section the options were bound from, so that validation names its keys.</summary>
    internal string? ConfigurationPath { get; set; }

    /// <summary>Gets extra headers sent with every request (for example a tenant or tracing header).</summary>
    public IDictionary<string, string> AdditionalHeaders { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Reads a protocol's name as configuration (<c>YuHuan:Protocol</c>) does: <c>chat-completions</c>, <c>messages</c> or
    /// <c>responses</c>, in any case, with words joined by <c>-</c>, <c>_</c> or nothing (<c>ChatCompletions</c>,
    /// <c>chat_completions</c>).
    /// </summary>
    /// <param name="name">The name, for example from a command line or an environment variable.</param>
    /// <returns>The protocol.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> names no protocol; the message lists the accepted spellings.</exception>
    public static YuHuanProtocol ParseProtocol(string? name) =>
        ProtocolNames.TryParse(name, out var protocol)
            ? protocol
            : throw new ArgumentException($"'{name}' is not a protocol: use {ProtocolNames.Accepted}.");

    /// <summary>Returns a description of the settings that never includes the API key.</summary>
    /// <returns>The endpoint, model, protocol and whether a key is set.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder("YuHuanChatClientOptions { Endpoint = ");
        builder.Append(Endpoint).Append(", ModelId = ").Append(ModelId ?? "(none)")
            .Append(", Protocol = ").Append(Protocol)
            .Append(", ApiKey = ").Append(ApiKey is null ? "(none)" : "(set)")
            .Append(" }");
        return builder.ToString();
    }

    internal YuHuanChatClientOptions Clone()
    {
        var copy = new YuHuanChatClientOptions
        {
            Endpoint = Endpoint,
            ApiKey = ApiKey,
            ModelId = ModelId,
            Protocol = Protocol,
            MaxRetries = MaxRetries,
            MaxRetryDelay = MaxRetryDelay,
            NetworkTimeout = NetworkTimeout,
            AllowInsecureHttp = AllowInsecureHttp,
            SplitThinkTags = SplitThinkTags,
            DefaultMaxOutputTokens = DefaultMaxOutputTokens,
            UseThinkingBudget = UseThinkingBudget,
            IncludeRawRepresentation = IncludeRawRepresentation,
            ConfigurationPath = ConfigurationPath,
        };
        foreach (var header in AdditionalHeaders)
        {
            copy.AdditionalHeaders[header.Key] = header.Value;
        }

        return copy;
    }
}
