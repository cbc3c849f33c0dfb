using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>The Chat Completions wire format, rendered by the emulator's own renderer.</summary>
public sealed class ChatCompletionsWireFormat : WireFormat
{
    /// <summary>The one instance.</summary>
    public static readonly ChatCompletionsWireFormat Instance = new();

    /// <inheritdoc />
    public override YuHuanProtocol Protocol => YuHuanProtocol.ChatCompletions;

    /// <inheritdoc />
    internal override IEnumerable<SseEvent> RenderStream(EmulatorReply reply) =>
        Renderer(reply).RenderStream();

    /// <inheritdoc />
    internal override byte[] RenderCompletion(EmulatorReply reply) => Renderer(reply).RenderCompletion();

    private static ChatCompletionsRenderer Renderer(EmulatorReply reply) =>
        new(reply, reply.Id ?? "chatcmpl-fuzz", reply.Model ?? "fuzz-model", 1_700_000_000);
}
