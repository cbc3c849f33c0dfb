using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The secret-echo suite for the Chat Completions protocol.</summary>
public sealed class ChatCompletionsSecretEchoTests : SecretEchoSuite
{
    protected override WireFormat Wire => ChatCompletionsWireFormat.Instance;

    /// <inheritdoc />
    protected override string ErrorBody(string messageJson, string typeJson, string? codeJson) =>
        "{\"error\":{\"message\":\"" + messageJson + "\",\"type\":\"" + typeJson + "\",\"code\":" + (codeJson is null ? "null" : "\"" + codeJson + "\"") + ",\"param\":null}}";

    /// <inheritdoc />
    protected override string ErrorEventStream(string messageJson, string typeJson) =>
        "data: {\"error\":{\"message\":\"" + messageJson + "\",\"type\":\"" + typeJson + "\",\"code\":null}}\n\n";
}
