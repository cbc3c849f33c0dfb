using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Tests.TestSupport;

/// <summary>A function declaration with a given schema and, when not <see langword="null"/>, its own <c>strict</c> property.</summary>
internal sealed class SchemaFunction(string name, JsonElement schema, bool? strict = null) : AIFunctionDeclaration
{
    public override string Name => name;

    public override JsonElement JsonSchema => schema;

    public override IReadOnlyDictionary<string, object?> AdditionalProperties { get; } =
        strict is { } value ? new Dictionary<string, object?> { ["strict"] = value } : new Dictionary<string, object?>();
}
