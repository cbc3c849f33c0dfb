// Blocks kept as they came (server tools, MCP, compaction, unknown types): built from their start and deltas, mapped at
// their stop (MessagesServerBlocks), never a function call.
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Messages;

internal sealed partial class MessagesStreamMapper
{
    /// <summary>A kept block's start: its JSON as the start gave it, which its deltas complete.</summary>
    private static void StartKept(MessagesOpenBlock open, ref BlockFields block) => open.Builder = new MessagesBlockBuilder(block.Json);

    /// <summary>A delta of a kept block: <c>partial_json</c> pieces become its <c>input</c>; any other delta's fields go into the block.</summary>
    private static void KeptBlockDelta(MessagesBlockBuilder builder, ref BlockDelta delta)
    {
        if (delta.HasPartialJson)
        {
            builder.AppendInput(delta.PartialJson);
        }
        else
        {
            builder.ApplyDelta(delta.Json);
        }
    }

    /// <summary>A kept block's stop: the content that describes it, with its complete JSON.</summary>
    private static AIContent? StopKept(MessagesOpenBlock block) => block.Builder is { } builder ? MessagesServerBlocks.Map(builder.Complete()) : null;
}
