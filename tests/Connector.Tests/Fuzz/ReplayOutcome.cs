using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>What one in-memory replay of a response body produced.</summary>
/// <param name="Updates">The updates yielded before the end or the failure.</param>
/// <param name="Error">The exception the enumeration ended with, if any.</param>
/// <param name="AllocatedBytes">Bytes allocated by the replay, or -1 when it did not complete synchronously on one thread.</param>
/// <param name="Elapsed">How long the replay took.</param>
internal sealed record ReplayOutcome(IReadOnlyList<ChatResponseUpdate> Updates, Exception? Error, long AllocatedBytes, TimeSpan Elapsed);
