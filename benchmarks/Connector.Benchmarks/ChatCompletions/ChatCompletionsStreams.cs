using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Benchmarks.Fixtures;
using YuHuan.Connector.Benchmarks.Infrastructure;

namespace YuHuan.Connector.Benchmarks.ChatCompletions;

/// <summary>
/// Builds Chat Completions streams shaped like OpenAI's own (<c>service_tier</c>, <c>system_fingerprint</c>,
/// <c>logprobs</c> and <c>usage: null</c> on every chunk, a role chunk first, a finish chunk, a usage chunk with
/// <c>choices: []</c>, then <c>[DONE]</c>), with text written as raw UTF-8 the way the API sends it.
/// </summary>
internal static class ChatCompletionsStreams
{
    /// <summary>The id every chunk carries.</summary>
    public const string ResponseId = "chatcmpl-BenchK7fQ2xN9mZp4";

    /// <summary>The protocol's request path.</summary>
    public const string RelativePath = "chat/completions";

    private const long Created = 1767225600;
    private const string ServedModel = "gpt-4o-mini-2024-07-18";

    /// <summary>Case 1: <paramref name="deltas"/> small text deltas, then a finish chunk and a usage chunk.</summary>
    public static StreamFixture Text(int deltas)
    {
        var pieces = TextPieces.Create(deltas);
        var output = new ArrayBufferWriter<byte>(deltas * 320);
        var events = 0;
        WriteChunk(output, ref events, static w =>
        {
            w.WriteString("role", "assistant");
            w.WriteString("content", string.Empty);
            w.WriteNull("refusal");
        });
        foreach (var piece in pieces)
        {
            WriteChunk(output, ref events, w => w.WriteString("content", piece));
        }

        var usage = new ExpectedUsage(Input: 24, Output: deltas, Total: 24 + deltas, CachedInput: 8, Reasoning: 0);
        WriteEnd(output, ref events, "stop", usage);
        var text = string.Concat(pieces);
        return new StreamFixture
        {
            Protocol = YuHuanProtocol.ChatCompletions,
            RelativePath = RelativePath,
            Body = output.WrittenSpan.ToArray(),
            Events = events,
            DeltaProperties = ["content", "arguments"],
            Expected = StreamExpectation.ForText(text, usage),
        };
    }

    /// <summary>Case 2: three tool calls in one response, each call's arguments in <paramref name="fragmentsPerCall"/> pieces.</summary>
    public static StreamFixture ParallelToolCalls(int fragmentsPerCall)
    {
        ExpectedToolCall[] calls =
        [
            new("call_Xq1wPzV8bN3kT5rY7uJ2mL4c", "get_weather", ToolArguments.Json("Paris, France", fragmentsPerCall * 6, seed: 1)),
            new("call_Hd6sA9fG0jK2lQ4wE8rT1yU3", "search_flights", ToolArguments.Json("Tokyo Haneda (HND)", fragmentsPerCall * 6, seed: 2)),
            new("call_Mn5bV7cX9zL1kJ3hG5fD7sA9", "book_hotel", ToolArguments.Json("台北 Taipei", fragmentsPerCall * 6, seed: 3)),
        ];

        var output = new ArrayBufferWriter<byte>(calls.Length * fragmentsPerCall * 200);
        var events = 0;
        var allDeltas = new StringBuilder();
        for (var index = 0; index < calls.Length; index++)
        {
            var call = calls[index];
            var i = index;
            WriteChunk(output, ref events, w =>
            {
                if (i == 0)
                {
                    w.WriteString("role", "assistant");
                    w.WriteNull("content");
                }

                w.WriteStartArray("tool_calls");
                w.WriteStartObject();
                w.WriteNumber("index", i);
                w.WriteString("id", call.CallId);
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", call.Name);
                w.WriteString("arguments", string.Empty);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
                if (i == 0)
                {
                    w.WriteNull("refusal");
                }
            });

            foreach (var fragment in TextPieces.Split(call.ArgumentsJson, fragmentsPerCall))
            {
                allDeltas.Append(fragment);
                WriteChunk(output, ref events, w =>
                {
                    w.WriteStartArray("tool_calls");
                    w.WriteStartObject();
                    w.WriteNumber("index", i);
                    w.WriteStartObject("function");
                    w.WriteString("arguments", fragment);
                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteEndArray();
                });
            }
        }

        var usage = new ExpectedUsage(Input: 310, Output: 1500, Total: 1810, CachedInput: 128, Reasoning: 0);
        WriteEnd(output, ref events, "tool_calls", usage);
        return new StreamFixture
        {
            Protocol = YuHuanProtocol.ChatCompletions,
            RelativePath = RelativePath,
            Body = output.WrittenSpan.ToArray(),
            Events = events,
            DeltaProperties = ["content", "arguments"],
            Expected = StreamExpectation.ForToolCalls(calls, usage, allDeltas.ToString()),
        };
    }

    private static void WriteChunk(ArrayBufferWriter<byte> output, ref int events, Action<Utf8JsonWriter> writeDelta, string? finishReason = null)
    {
        SseFixtureWriter.WriteEvent(output, eventType: null, w =>
        {
            WriteHeader(w);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("delta");
            writeDelta(w);
            w.WriteEndObject();
            w.WriteNull("logprobs");
            if (finishReason is null)
            {
                w.WriteNull("finish_reason");
            }
            else
            {
                w.WriteString("finish_reason", finishReason);
            }

            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteNull("usage");
        });
        events++;
    }

    private static void WriteEnd(ArrayBufferWriter<byte> output, ref int events, string finishReason, ExpectedUsage usage)
    {
        WriteChunk(output, ref events, static _ => { }, finishReason);
        SseFixtureWriter.WriteEvent(output, eventType: null, w =>
        {
            WriteHeader(w);
            w.WriteStartArray("choices");
            w.WriteEndArray();
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", usage.Input);
            w.WriteNumber("completion_tokens", usage.Output);
            w.WriteNumber("total_tokens", usage.Total);
            w.WriteStartObject("prompt_tokens_details");
            w.WriteNumber("cached_tokens", usage.CachedInput);
            w.WriteNumber("audio_tokens", 0);
            w.WriteEndObject();
            w.WriteStartObject("completion_tokens_details");
            w.WriteNumber("reasoning_tokens", usage.Reasoning);
            w.WriteNumber("audio_tokens", 0);
            w.WriteNumber("accepted_prediction_tokens", 0);
            w.WriteNumber("rejected_prediction_tokens", 0);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        output.Write("data: [DONE]\n\n"u8);
        events += 2;
    }

    private static void WriteHeader(Utf8JsonWriter w)
    {
        w.WriteString("id", ResponseId);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", Created);
        w.WriteString("model", ServedModel);
        w.WriteString("service_tier", "default");
        w.WriteString("system_fingerprint", "fp_b7c5d3e1f0");
    }
}
