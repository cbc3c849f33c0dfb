namespace YuHuan.Connector.Shared;

/// <summary>The rules a strict JSON schema must meet, which differ between the protocols' servers (see <see cref="StrictSchema"/>).</summary>
internal enum StrictSchemaRules
{
    /// <summary>Every object schema says <c>"additionalProperties": false</c> (as Anthropic's structured output and strict tools require); nothing else changes.</summary>
    ClosedObjects,

    /// <summary>
    /// Closed objects, every property required, boolean schemas as objects, <c>default</c> and the keywords some models
    /// refuse moved into the description: OpenAI's strict rules, as Microsoft.Extensions.AI's OpenAI connector meets them.
    /// </summary>
    EveryPropertyRequired,
}
