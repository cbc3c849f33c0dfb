using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The secret-echo suite for the Anthropic Messages protocol.</summary>
public sealed class MessagesSecretEchoTests : SecretEchoSuite
{
    protected override WireFormat Wire => MessagesWireFormat.Instance;

    /// <inheritdoc />
    /// <remarks>Messages errors have no code; a proxy in front may add one, which the client reads all the same.</remarks>
    protected override string ErrorBody(string messageJson, string typeJson, string? codeJson) =>
        "{\"type\":\"error\",\"error\":{\"type\":\"" + typeJson + "\",\"message\":\"" + messageJson + "\"" + (codeJson is null ? string.Empty : ",\"code\":\"" + codeJson + "\"") + "},\"request_id\":\"req_1\"}";

    /// <inheritdoc />
    protected override string ErrorEventStream(string messageJson, string typeJson) =>
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"" + typeJson + "\",\"message\":\"" + messageJson + "\"}}\n\n";
}
