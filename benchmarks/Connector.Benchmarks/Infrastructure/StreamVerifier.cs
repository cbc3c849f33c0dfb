using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Benchmarks.Infrastructure;

/// <summary>
/// Enumerates a client's stream once and compares what it reported with what the bytes contain, so a broken
/// client cannot post a fast number. Throws <see cref="InvalidOperationException"/> listing every difference.
/// </summary>
internal static class StreamVerifier
{
    /// <summary>Streams one response and checks text, reasoning, tool calls, usage and finish reason.</summary>
    /// <returns>The number of updates the client produced.</returns>
    public static async Task<int> VerifyAsync(string clientName, IChatClient client, IList<ChatMessage> messages, StreamExpectation expected)
    {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var calls = new List<FunctionCallContent>();
        var usages = new List<UsageDetails>();
        var errors = new List<string>();
        ChatFinishReason? finishReason = null;
        var updates = 0;
        await foreach (var update in client.GetStreamingResponseAsync(messages))
        {
            updates++;
            finishReason = update.FinishReason ?? finishReason;
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        text.Append(t.Text);
                        break;
                    case TextReasoningContent r:
                        reasoning.Append(r.Text);
                        break;
                    case FunctionCallContent call:
                        calls.Add(call);
                        break;
                    case UsageContent usage:
                        usages.Add(usage.Details);
                        break;
                    case ErrorContent error:
                        errors.Add($"an error content: {error.Message}");
                        break;
                }
            }
        }

        var problems = new List<string>(errors);
        Compare(problems, "text", expected.Text, text.ToString());
        Compare(problems, "reasoning", expected.Reasoning, reasoning.ToString());
        if (finishReason != expected.FinishReason)
        {
            problems.Add($"finish reason {Show(finishReason?.Value)} instead of {expected.FinishReason.Value}");
        }

        if (usages.Count != 1)
        {
            problems.Add($"{usages.Count} usage contents instead of exactly one");
        }
        else
        {
            var u = usages[0];
            var e = expected.Usage;
            if (u.InputTokenCount != e.Input || u.OutputTokenCount != e.Output || u.TotalTokenCount != e.Total
                || (u.CachedInputTokenCount ?? 0) != e.CachedInput || (u.ReasoningTokenCount ?? 0) != e.Reasoning)
            {
                problems.Add($"usage in/out/total/cached/reasoning {u.InputTokenCount}/{u.OutputTokenCount}/{u.TotalTokenCount}/{u.CachedInputTokenCount}/{u.ReasoningTokenCount} instead of {e.Input}/{e.Output}/{e.Total}/{e.CachedInput}/{e.Reasoning}");
            }
        }

        CompareCalls(problems, expected.ToolCalls, calls);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"{clientName} misread the stream: {string.Join("; ", problems)}.");
        }

        return updates;
    }

    /// <summary>Throws when <paramref name="actual"/> differs from <paramref name="expected"/>.</summary>
    public static void Check(string clientName, string what, string expected, string actual)
    {
        var problems = new List<string>();
        Compare(problems, what, expected, actual);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"{clientName} misread the stream: {problems[0]}.");
        }
    }

    /// <summary>Tells whether a tool-call argument value equals a JSON value, whatever CLR type the client chose.</summary>
    public static bool ArgumentEquals(object? actual, JsonElement expected)
    {
        var element = actual is JsonElement e ? e : JsonSerializer.SerializeToElement(actual, AIJsonUtilities.DefaultOptions);
        return JsonElement.DeepEquals(element, expected);
    }

    private static void CompareCalls(List<string> problems, IReadOnlyList<ExpectedToolCall> expected, List<FunctionCallContent> actual)
    {
        if (actual.Count != expected.Count)
        {
            problems.Add($"{actual.Count} tool calls instead of {expected.Count}");
            return;
        }

        for (var i = 0; i < expected.Count; i++)
        {
            var (want, got) = (expected[i], actual[i]);
            if (got.CallId != want.CallId || got.Name != want.Name)
            {
                problems.Add($"tool call {i} is {got.CallId}/{got.Name} instead of {want.CallId}/{want.Name}");
                continue;
            }

            if (got.Exception is { } ex)
            {
                problems.Add($"tool call {i} failed to parse: {ex.Message}");
                continue;
            }

            using var document = JsonDocument.Parse(want.ArgumentsJson);
            var properties = document.RootElement.EnumerateObject().ToList();
            var arguments = got.Arguments ?? new Dictionary<string, object?>();
            if (arguments.Count != properties.Count)
            {
                problems.Add($"tool call {i} has {arguments.Count} arguments instead of {properties.Count}");
                continue;
            }

            foreach (var property in properties)
            {
                if (!arguments.TryGetValue(property.Name, out var value) || !ArgumentEquals(value, property.Value))
                {
                    problems.Add($"tool call {i} argument '{property.Name}' differs");
                }
            }
        }
    }

    private static void Compare(List<string> problems, string what, string expected, string actual)
    {
        if (string.Equals(expected, actual, StringComparison.Ordinal))
        {
            return;
        }

        var at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at])
        {
            at++;
        }

        problems.Add($"{what} of {actual.Length} chars instead of {expected.Length}, first difference at {at}");
    }

    private static string Show(string? value) => value ?? "(none)";
}
