using System.Text.Json;

namespace YuHuan.Connector.Testing;

/// <summary>One content block a hosted-tool or raw part of a script becomes in the Messages wire format.</summary>
/// <param name="WriteFields">Writes the block's fields into an open object: the complete block, or, with <c>streamedStart</c>
/// set, the block as <c>content_block_start</c> carries it (a tool use block with <c>input: {}</c>).</param>
/// <param name="StreamedInput">The input JSON a stream sends in <c>input_json_delta</c>s after <c>content_block_start</c>, or
/// <see langword="null"/> for a block that arrives whole.</param>
internal sealed record MessagesHostedBlock(Action<Utf8JsonWriter, bool> WriteFields, string? StreamedInput);
