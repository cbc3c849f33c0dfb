using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>
/// What every protocol's writer shares about Microsoft.Extensions.AI's hosted tools: the error for a tool a protocol
/// cannot carry, and the tool's own <see cref="AITool.AdditionalProperties"/>, which become fields of the tool's definition.
/// </summary>
/// <remarks>
/// A tool's additional properties are written after the fields the writer maps, and an entry replaces a mapped field
/// of the same name; so a caller reaches any option of a provider's tool definition (a search's <c>user_location</c>,
/// <c>max_uses</c>, a newer tool <c>type</c>) without the library knowing it.
/// </remarks>
internal static class HostedTools
{
    /// <summary>Whether <paramref name="tool"/> is a <see cref="HostedImageGenerationTool"/> (an experimental type, tested in one place).</summary>
    public static bool IsImageGeneration(AITool tool) =>
#pragma warning disable MEAI001 // Image generation is experimental in Microsoft.Extensions.AI.
        tool is HostedImageGenerationTool;
#pragma warning restore MEAI001

    /// <summary>Creates the error for a tool <paramref name="protocol"/> cannot carry, naming its type and the protocols that can (<paramref name="carriers"/>, <see langword="null"/> for none).</summary>
    public static ArgumentException Unsupported(AITool tool, string protocol, string? carriers)
    {
        var where = carriers is null
            ? "no protocol of this client carries it; describe it through ChatOptions.AdditionalProperties[\"tools\"] instead"
            : $"it is carried by {carriers}";
        return new ArgumentException(
            $"The tool '{tool.Name}' ({tool.GetType().Name}) cannot be carried by the {protocol} protocol: {where}.",
            "options");
    }

    /// <summary>Creates the error for a hosted tool whose settings <paramref name="protocol"/> cannot express, saying why.</summary>
    public static ArgumentException Unexpressible(AITool tool, string protocol, string why) =>
        new($"The tool '{tool.Name}' ({tool.GetType().Name}) cannot be sent over the {protocol} protocol as configured: {why}", "options");

    /// <summary>Whether the tool's additional properties supply <paramref name="name"/>, which the writer then leaves to them.</summary>
    public static bool Supplies(AITool tool, string name) => tool.AdditionalProperties.ContainsKey(name);

    /// <summary>Whether the writer writes its own <paramref name="name"/>: the tool's additional properties do not supply it.</summary>
    public static bool Maps(AITool tool, string name) => !tool.AdditionalProperties.ContainsKey(name);

    /// <summary>Writes the tool's additional properties as fields of the open definition object.</summary>
    /// <exception cref="ArgumentException">A value cannot be written as JSON.</exception>
    public static void WriteExtras(Utf8JsonWriter writer, AITool tool)
    {
        foreach (var pair in tool.AdditionalProperties)
        {
            writer.WritePropertyName(pair.Key);
            JsonValueWriter.Write(writer, pair.Value, $"The additional property of tool '{tool.Name}'", pair.Key);
        }
    }

    /// <summary>Checks that the tool's additional properties can be written, before a byte of the body is.</summary>
    /// <exception cref="ArgumentException">A value cannot be written as JSON.</exception>
    public static void CheckExtras(AITool tool)
    {
        if (tool.AdditionalProperties.Count == 0)
        {
            return;
        }

        using var scratch = JsonScratch.Rent();
        scratch.Writer.WriteStartObject();
        WriteExtras(scratch.Writer, tool);
        scratch.Writer.WriteEndObject();
    }

    /// <summary>
    /// Gets the token of an <c>Authorization: Bearer</c> header among an MCP server's headers (names compared without
    /// case), or <see langword="null"/>; <paramref name="others"/> counts the headers besides it.
    /// </summary>
    public static string? BearerToken(IDictionary<string, string>? headers, out int others)
    {
        others = 0;
        string? token = null;
        if (headers is null)
        {
            return null;
        }

        foreach (var pair in headers)
        {
            if (string.Equals(pair.Key, "Authorization", StringComparison.OrdinalIgnoreCase) && pair.Value is { } value
                && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                token = value["Bearer ".Length..].Trim();
            }
            else
            {
                others++;
            }
        }

        return token;
    }

    /// <summary>Whether an MCP server's address is an absolute http(s) URL (else it names a server the provider hosts).</summary>
    public static bool IsUrl(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
