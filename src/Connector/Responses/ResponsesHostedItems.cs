using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

/// <summary>
/// Maps a complete Responses output item that is neither a message, reasoning nor a function call onto contents, keeping
/// its JSON (see <see cref="WireItems"/>) so that the next request carries it back verbatim, in its position.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Item</term><description>Contents</description></listheader>
/// <item><term><c>web_search_call</c></term><description><see cref="WebSearchToolCallContent"/> (the action's <c>query</c> / <c>queries</c>), and a <see cref="WebSearchToolResultContent"/> of the <c>action.sources</c> (<see cref="UriContent"/>s) when it names any.</description></item>
/// <item><term><c>code_interpreter_call</c></term><description><see cref="CodeInterpreterToolCallContent"/> (the <c>code</c> as a <c>text/x-python</c> <see cref="DataContent"/>, <c>container_id</c> under <see cref="ContainerIdKey"/>) and a <see cref="CodeInterpreterToolResultContent"/> of the <c>outputs</c> (logs as <see cref="TextContent"/>, images as <see cref="UriContent"/> or <see cref="DataContent"/>).</description></item>
/// <item><term><c>image_generation_call</c></term><description><see cref="ImageGenerationToolCallContent"/> and an <see cref="ImageGenerationToolResultContent"/> of the final image (<c>result</c>, base64) as a <see cref="DataContent"/>.</description></item>
/// <item><term><c>mcp_call</c></term><description><see cref="McpServerToolCallContent"/> (name, <c>server_label</c>, the <c>arguments</c> object) and a <see cref="McpServerToolResultContent"/> of the <c>output</c> (text) or the <c>error</c> (<see cref="ErrorContent"/>).</description></item>
/// <item><term><c>mcp_approval_request</c></term><description><see cref="ToolApprovalRequestContent"/>, its id the item's, wrapping the <see cref="McpServerToolCallContent"/> to approve.</description></item>
/// <item><term>every other item (<c>file_search_call</c>, <c>mcp_list_tools</c>, <c>local_shell_call</c>, <c>shell_call</c>, <c>apply_patch_call</c>, <c>custom_tool_call</c>, <c>tool_search_call</c>, <c>compaction</c>, types that do not exist yet)</term><description>a plain <see cref="AIContent"/>.</description></item>
/// </list>
/// <para>The first content of an item carries its JSON (under <see cref="WireItems.JsonKey"/>); a result content
/// after it names the protocol but carries no JSON: its item goes back with the call (see <see cref="IsPartOfKeptItem"/>).</para>
/// </remarks>
internal static class ResponsesHostedItems
{
    /// <summary>The <see cref="AIContent.AdditionalProperties"/> key of a code interpreter call's <c>container_id</c>.</summary>
    public const string ContainerIdKey = "container_id";

    /// <summary>The <see cref="AIContent.AdditionalProperties"/> key of a partial image's <c>partial_image_index</c>.</summary>
    public const string PartialImageIndexKey = "partial_image_index";

    private const string Protocol = ResponsesProtocol.DisplayName;

    /// <summary>Adds the contents of the item <paramref name="itemJson"/> to <paramref name="contents"/>.</summary>
    /// <param name="itemJson">The complete item, as the server sent it.</param>
    /// <param name="contents">Where the contents go.</param>
    public static void Map(ReadOnlySpan<byte> itemJson, ref List<AIContent>? contents)
    {
        using var document = JsonDocument.Parse(itemJson.ToArray());
        var item = document.RootElement;
        var list = contents ??= new(2);
        var id = String(item, "id") ?? String(item, "call_id") ?? "item";
        switch (String(item, "type"))
        {
            case "web_search_call":
                MapWebSearch(item, id, list);
                break;
            case "code_interpreter_call":
                MapCodeInterpreter(item, id, list);
                break;
            case "image_generation_call":
                MapImageGeneration(item, id, list);
                break;
            // An MCP call needs an id and a name that are not blank; one without them is kept as it came, like an unknown item.
            case "mcp_call" when IsMcpCall(item, id):
                MapMcpCall(item, id, list);
                break;
            case "mcp_approval_request" when IsMcpCall(item, id):
                list.Add(WireItems.Keep(new ToolApprovalRequestContent(id, McpCall(item, id)), item, Protocol));
                break;
            default:
                list.Add(WireItems.Keep(new AIContent(), item, Protocol));
                break;
        }
    }

    /// <summary>
    /// A partial image of an <c>image_generation_call</c> (<c>response.image_generation_call.partial_image</c>), as an
    /// <see cref="ImageGenerationToolResultContent"/> of one <see cref="DataContent"/> whose
    /// <see cref="AIContent.AdditionalProperties"/> hold <see cref="PartialImageIndexKey"/>; <see langword="null"/> when
    /// the event holds no image. It names the protocol without JSON: the complete item goes back, not its pieces.
    /// </summary>
    public static AIContent? PartialImage(ReadOnlySpan<byte> payload)
    {
        using var document = JsonDocument.Parse(payload.ToArray());
        var e = document.RootElement;
        if (String(e, "partial_image_b64") is not { Length: > 0 } image)
        {
            return null;
        }

        var data = new DataContent(Base64(image, "a partial image"), MediaTypeOf(String(e, "output_format")));
        // An index that is no 32-bit integer (a fraction, a huge number) is left out rather than failing the image.
        if (e.TryGetProperty("partial_image_index", out var index) && index.ValueKind == JsonValueKind.Number && index.TryGetInt32(out var number))
        {
            data.AdditionalProperties = new() { [PartialImageIndexKey] = number };
        }

        return Part(new ImageGenerationToolResultContent(String(e, "item_id") ?? "image_generation") { Outputs = [data] });
    }

    /// <summary>
    /// Whether <paramref name="content"/> came from a Responses item whose JSON another content of the same item carries: a
    /// hosted tool's result (whole or a partial image), which goes back with its call's item. Every other content kept from
    /// a Responses item carries the item.
    /// </summary>
    public static bool IsPartOfKeptItem(AIContent content) =>
        content is ToolResultContent && WireItems.From(content) == Protocol;

    private static void MapWebSearch(JsonElement item, string id, List<AIContent> list)
    {
        var call = new WebSearchToolCallContent(id);
        List<AIContent>? sources = null;
        if (item.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.Object)
        {
            List<string>? queries = null;
            if (String(action, "query") is { Length: > 0 } query)
            {
                (queries ??= []).Add(query);
            }

            if (action.TryGetProperty("queries", out var many) && many.ValueKind == JsonValueKind.Array)
            {
                foreach (var q in many.EnumerateArray())
                {
                    if (q.ValueKind == JsonValueKind.String && q.GetString() is { Length: > 0 } text && queries?.Contains(text) != true)
                    {
                        (queries ??= []).Add(text);
                    }
                }
            }

            call.Queries = queries;
            if (action.TryGetProperty("sources", out var found) && found.ValueKind == JsonValueKind.Array)
            {
                sources = [];
                foreach (var source in found.EnumerateArray())
                {
                    if (source.ValueKind == JsonValueKind.Object && String(source, "url") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
                    {
                        sources.Add(new UriContent(uri, "text/html"));
                    }
                }
            }
        }

        list.Add(WireItems.Keep(call, item, Protocol));
        if (sources is not null)
        {
            list.Add(Part(new WebSearchToolResultContent(id) { Outputs = sources }));
        }
    }

    private static void MapCodeInterpreter(JsonElement item, string id, List<AIContent> list)
    {
        var call = new CodeInterpreterToolCallContent(id);
        if (String(item, "code") is { Length: > 0 } code)
        {
            call.Inputs = [new DataContent(System.Text.Encoding.UTF8.GetBytes(code), "text/x-python")];
        }

        if (String(item, "container_id") is { } container)
        {
            call.AdditionalProperties = new() { [ContainerIdKey] = container };
        }

        list.Add(WireItems.Keep(call, item, Protocol));
        if (!item.TryGetProperty("outputs", out var outputs) || outputs.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        List<AIContent> results = [];
        foreach (var output in outputs.EnumerateArray())
        {
            if (output.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            switch (String(output, "type"))
            {
                case "logs" when String(output, "logs") is { } logs:
                    results.Add(new TextContent(logs));
                    break;
                case "image" when String(output, "url") is { } url:
                    if (url.StartsWith("data:", StringComparison.Ordinal))
                    {
                        results.Add(DataUri(url, "a code interpreter image"));
                    }
                    else if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
                    {
                        results.Add(new UriContent(uri, "image/*"));
                    }

                    break;
            }
        }

        list.Add(Part(new CodeInterpreterToolResultContent(id) { Outputs = results }));
    }

    private static void MapImageGeneration(JsonElement item, string id, List<AIContent> list)
    {
        list.Add(WireItems.Keep(new ImageGenerationToolCallContent(id), item, Protocol));
        if (String(item, "result") is { Length: > 0 } image)
        {
            var data = new DataContent(Base64(image, "the generated image"), MediaTypeOf(String(item, "output_format")));
            list.Add(Part(new ImageGenerationToolResultContent(id) { Outputs = [data] }));
        }
    }

    private static void MapMcpCall(JsonElement item, string id, List<AIContent> list)
    {
        list.Add(WireItems.Keep(McpCall(item, id), item, Protocol));
        var result = new McpServerToolResultContent(id);
        if (item.TryGetProperty("error", out var error) && error.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        {
            var message = error.ValueKind == JsonValueKind.String ? error.GetString()
                : error.ValueKind == JsonValueKind.Object && String(error, "message") is { } inner ? inner
                : error.GetRawText();
            result.Outputs = [new ErrorContent(message)];
        }
        else if (String(item, "output") is { } output)
        {
            result.Outputs = [new TextContent(output)];
        }
        else
        {
            return;
        }

        list.Add(Part(result));
    }

    private static bool IsMcpCall(JsonElement item, string id) =>
        !string.IsNullOrWhiteSpace(id) && !string.IsNullOrWhiteSpace(String(item, "name"));

    private static McpServerToolCallContent McpCall(JsonElement item, string id)
    {
        var call = new McpServerToolCallContent(id, String(item, "name") ?? string.Empty, String(item, "server_label"));
        if (item.TryGetProperty("arguments", out var arguments))
        {
            if (arguments.ValueKind == JsonValueKind.String && arguments.GetString() is { Length: > 0 } text)
            {
                try
                {
                    using var parsed = JsonDocument.Parse(text);
                    call.Arguments = Arguments(parsed.RootElement);
                }
                catch (JsonException)
                {
                    // Arguments that are not JSON stay in the kept item, which goes back as it came.
                }
            }
            else if (arguments.ValueKind == JsonValueKind.Object)
            {
                call.Arguments = Arguments(arguments);
            }
        }

        return call;
    }

    private static Dictionary<string, object?>? Arguments(JsonElement arguments)
    {
        if (arguments.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in arguments.EnumerateObject())
        {
            map[property.Name] = property.Value.Clone();
        }

        return map;
    }

    /// <summary>Marks a content that belongs to an item another content carries (see <see cref="IsPartOfKeptItem"/>).</summary>
    private static T Part<T>(T content)
        where T : AIContent
    {
        (content.AdditionalProperties ??= [])[WireItems.ProtocolKey] = Protocol;
        return content;
    }

    private static DataContent DataUri(string uri, string what)
    {
        try
        {
            return new DataContent(uri);
        }
        catch (UriFormatException ex)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{what} is not a valid data URI"), ex);
        }
    }

    private static byte[] Base64(string text, string what)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{what} is not base64"), ex);
        }
    }

    private static string MediaTypeOf(string? format) => format switch
    {
        "jpeg" or "jpg" => "image/jpeg",
        "webp" => "image/webp",
        _ => "image/png",
    };

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
