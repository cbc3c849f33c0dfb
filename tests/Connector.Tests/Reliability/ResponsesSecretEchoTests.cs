using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The secret-echo suite for the OpenAI Responses protocol.</summary>
public sealed class ResponsesSecretEchoTests : SecretEchoSuite
{
    protected override WireFormat Wire => ResponsesWireFormat.Instance;

    /// <inheritdoc />
    protected override string ErrorBody(string messageJson, string typeJson, string? codeJson) =>
        "{\"error\":{\"message\":\"" + messageJson + "\",\"type\":\"" + typeJson + "\",\"param\":null,\"code\":" + (codeJson is null ? "null" : "\"" + codeJson + "\"") + "}}";

    /// <inheritdoc />
    /// <remarks>The nested shape of an <c>error</c> event, then the <c>response.failed</c> that real servers send after it.</remarks>
    protected override string ErrorEventStream(string messageJson, string typeJson) =>
        "event: error\ndata: {\"type\":\"error\",\"sequence_number\":0,\"error\":{\"type\":\"" + typeJson + "\",\"code\":null,\"message\":\"" + messageJson + "\"}}\n\n"
        + "event: response.failed\ndata: {\"type\":\"response.failed\",\"sequence_number\":1,\"response\":{\"id\":\"resp_1\",\"status\":\"failed\",\"error\":{\"code\":\"" + typeJson + "\",\"message\":\"" + messageJson + "\"}}}\n\n";
}
