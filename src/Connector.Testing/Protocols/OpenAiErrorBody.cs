namespace YuHuan.Connector.Testing;

/// <summary>
/// The error body the OpenAI-style protocols (Chat Completions and Responses) share:
/// <c>{"error":{"message","type","code","param"}}</c>.
/// </summary>
internal static class OpenAiErrorBody
{
    /// <summary>Renders <paramref name="error"/> as <c>{"error":{"message","type","code","param"}}</c>; a missing code or param is <c>null</c>.</summary>
    public static byte[] Render(ReplyError error) => EmulatorJson.Render(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("error");
        w.WriteStartObject();
        w.WriteString("message", error.Message);
        w.WriteString("type", error.Type);
        EmulatorJson.WriteStringOrNull(w, "code", error.Code);
        EmulatorJson.WriteStringOrNull(w, "param", error.Param);
        w.WriteEndObject();
        w.WriteEndObject();
    });
}
