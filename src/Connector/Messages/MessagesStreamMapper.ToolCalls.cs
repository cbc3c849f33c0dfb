// tool_use blocks: the caller's function calls, from their start (id, name, perhaps the whole input), input_json_delta
// pieces and their stop, where each goes out once, complete.
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Messages;

internal sealed partial class MessagesStreamMapper
{
    private void StartToolUse(int index, MessagesOpenBlock open, ref BlockFields block)
    {
        _toolCalls.GetOrAdd(index).Receive(block.Id, block.Name, ReadOnlySpan<byte>.Empty, argumentsAreObject: false);
        if (!block.Input.IsEmpty)
        {
            open.Input = block.Input.ToArray();
        }
    }

    /// <summary>An <c>input_json_delta</c>: a piece of the arguments, kept escaped ("parse only at block stop").</summary>
    private void ToolInputDelta(int index, ref BlockDelta delta)
    {
        if (delta.HasPartialJson)
        {
            _toolCalls.GetOrAdd(index).Receive(null, null, delta.PartialJson, argumentsAreObject: false);
        }
    }

    private AIContent? StopToolUse(int index, MessagesOpenBlock block)
    {
        if (_toolCalls.Find(index) is not { } call)
        {
            return null;
        }

        // Deltas whose partial_json are all empty mean {}; an input given whole at the start counts when no delta carried any.
        if (!call.HasArguments && block.Input is { } input)
        {
            call.Receive(null, null, input, argumentsAreObject: true);
        }

        return GiveFields(block, _toolCalls.Complete(index)!);
    }
}
