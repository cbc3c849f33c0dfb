using System.Text.Json;

namespace YuHuan.Connector.Testing;

/// <summary>What a renderer needs besides the script to render one response.</summary>
/// <param name="ResponseId">The response id every event carries.</param>
/// <param name="Model">The model name the response reports.</param>
/// <param name="Created">The creation time in Unix seconds, for protocols that send one.</param>
/// <param name="Ids">The source of any further ids the protocol needs, such as made-up tool call ids.</param>
internal sealed record RenderContext(string ResponseId, string Model, long Created, IdCounter Ids)
{
    /// <summary>Gets the parsed body of the request being answered, for protocols whose responses echo request fields
    /// (such as Responses' <c>store</c> and <c>background</c>); <see langword="default"/> when rendered without one,
    /// which such protocols read as a request that set none of them.</summary>
    public JsonElement Request { get; init; }

    /// <summary>Creates the context of one response: the reply's own id, or the next id of the renderer's prefix.</summary>
    public static RenderContext For(IProtocolRenderer renderer, EmulatorReply reply, string model, long created, IdCounter ids) =>
        new(reply.Id ?? ids.Next(renderer.ResponseIdPrefix), model, created, ids);
}
