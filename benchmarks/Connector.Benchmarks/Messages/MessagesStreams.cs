using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Benchmarks.Fixtures;
using YuHuan.Connector.Benchmarks.Infrastructure;

namespace YuHuan.Connector.Benchmarks.Messages;

/// <summary>
/// Builds Anthropic Messages streams shaped like the API's own: an <c>event:</c> line naming each event and a
/// <c>data:</c> line whose JSON repeats the type; <c>message_start</c> with the whole message envelope and its
/// usage (cache fields and <c>service_tier</c> included), <c>content_block_start</c> / <c>content_block_delta</c> /
/// <c>content_block_stop</c> per block, a <c>ping</c> after the first block starts and another midway,
/// <c>message_delta</c> with the stop reason and the cumulative usage, then <c>message_stop</c>. Text is raw
/// UTF-8, as the API sends it.
/// </summary>
internal static class MessagesStreams
{
    /// <summary>The id of the message.</summary>
    public const string MessageId = "msg_01BenchK7fQ2xN9mZp4Wc8Tq";

    /// <summary>The protocol's request path.</summary>
    public const string RelativePath = "messages";

    private const string ServedModel = "claude-sonnet-4-5-20250929";

    /// <summary>Case 3, fixture A: one text block of <paramref name="deltas"/> small <c>text_delta</c>s.</summary>
    public static StreamFixture Text(int deltas)
    {
        var pieces = TextPieces.Create(deltas);
        var output = new ArrayBufferWriter<byte>(deltas * 180);
        var events = 0;

        // Input as Anthropic's own client counts it: input_tokens + cache reads + cache writes.
        var usage = new ExpectedUsage(Input: 24 + 8, Output: deltas, Total: 24 + 8 + deltas, CachedInput: 8, Reasoning: 0);
        WriteMessageStart(output, ref events, inputTokens: 24, cacheRead: 8);
        WriteEvent(output, ref events, "content_block_start", static w =>
        {
            w.WriteNumber("index", 0);
            w.WriteStartObject("content_block");
            w.WriteString("type", "text");
            w.WriteString("text", string.Empty);
            w.WriteEndObject();
        });
        WritePing(output, ref events);
        for (var i = 0; i < pieces.Length; i++)
        {
            var piece = pieces[i];
            WriteEvent(output, ref events, "content_block_delta", w =>
            {
                w.WriteNumber("index", 0);
                w.WriteStartObject("delta");
                w.WriteString("type", "text_delta");
                w.WriteString("text", piece);
                w.WriteEndObject();
            });
            if (i == pieces.Length / 2)
            {
                WritePing(output, ref events);
            }
        }

        WriteBlockStop(output, ref events, 0);
        WriteMessageEnd(output, ref events, "end_turn", inputTokens: 24, cacheRead: 8, outputTokens: deltas);
        var text = string.Concat(pieces);
        return new StreamFixture
        {
            Protocol = YuHuanProtocol.Messages,
            RelativePath = RelativePath,
            Body = output.WrittenSpan.ToArray(),
            Events = events,
            DeltaProperties = ["text", "thinking", "partial_json"],
            Expected = StreamExpectation.ForText(text, usage),
        };
    }

    /// <summary>Case 3, fixture B: three <c>tool_use</c> blocks, each input in <paramref name="fragmentsPerCall"/>
    /// <c>input_json_delta</c> pieces (splits fall inside escapes and between the halves of JSON tokens).</summary>
    public static StreamFixture ParallelToolCalls(int fragmentsPerCall)
    {
        ExpectedToolCall[] calls =
        [
            new("toolu_01Xq1wPzV8bN3kT5rY7uJ2mL", "get_weather", ToolArguments.Json("Paris, France", fragmentsPerCall * 6, seed: 1)),
            new("toolu_01Hd6sA9fG0jK2lQ4wE8rT1y", "search_flights", ToolArguments.Json("Tokyo Haneda (HND)", fragmentsPerCall * 6, seed: 2)),
            new("toolu_01Mn5bV7cX9zL1kJ3hG5fD7s", "book_hotel", ToolArguments.Json("台北 Taipei", fragmentsPerCall * 6, seed: 3)),
        ];

        var output = new ArrayBufferWriter<byte>(calls.Length * fragmentsPerCall * 140);
        var events = 0;
        var allDeltas = new StringBuilder();
        var usage = new ExpectedUsage(Input: 310 + 128, Output: 1500, Total: 310 + 128 + 1500, CachedInput: 128, Reasoning: 0);
        WriteMessageStart(output, ref events, inputTokens: 310, cacheRead: 128);
        for (var index = 0; index < calls.Length; index++)
        {
            var call = calls[index];
            var i = index;
            WriteEvent(output, ref events, "content_block_start", w =>
            {
                w.WriteNumber("index", i);
                w.WriteStartObject("content_block");
                w.WriteString("type", "tool_use");
                w.WriteString("id", call.CallId);
                w.WriteString("name", call.Name);
                w.WriteStartObject("input");
                w.WriteEndObject();
                w.WriteEndObject();
            });
            if (i == 0)
            {
                WritePing(output, ref events);
            }

            // The API opens each input with an empty fragment.
            foreach (var fragment in TextPieces.Split(call.ArgumentsJson, fragmentsPerCall).Prepend(string.Empty))
            {
                allDeltas.Append(fragment);
                WriteEvent(output, ref events, "content_block_delta", w =>
                {
                    w.WriteNumber("index", i);
                    w.WriteStartObject("delta");
                    w.WriteString("type", "input_json_delta");
                    w.WriteString("partial_json", fragment);
                    w.WriteEndObject();
                });
            }

            WriteBlockStop(output, ref events, i);
        }

        WriteMessageEnd(output, ref events, "tool_use", inputTokens: 310, cacheRead: 128, outputTokens: 1500);
        return new StreamFixture
        {
            Protocol = YuHuanProtocol.Messages,
            RelativePath = RelativePath,
            Body = output.WrittenSpan.ToArray(),
            Events = events,
            DeltaProperties = ["text", "thinking", "partial_json"],
            Expected = StreamExpectation.ForToolCalls(calls, usage, allDeltas.ToString()),
        };
    }

    private static void WriteMessageStart(ArrayBufferWriter<byte> output, ref int events, int inputTokens, int cacheRead) =>
        WriteEvent(output, ref events, "message_start", w =>
        {
            w.WriteStartObject("message");
            w.WriteString("id", MessageId);
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteString("model", ServedModel);
            w.WriteStartArray("content");
            w.WriteEndArray();
            w.WriteNull("stop_reason");
            w.WriteNull("stop_sequence");
            w.WriteStartObject("usage");
            w.WriteNumber("input_tokens", inputTokens);
            w.WriteNumber("cache_creation_input_tokens", 0);
            w.WriteNumber("cache_read_input_tokens", cacheRead);
            w.WriteStartObject("cache_creation");
            w.WriteNumber("ephemeral_5m_input_tokens", 0);
            w.WriteNumber("ephemeral_1h_input_tokens", 0);
            w.WriteEndObject();
            w.WriteNumber("output_tokens", 1);
            w.WriteString("service_tier", "standard");
            w.WriteEndObject();
            w.WriteEndObject();
        });

    private static void WriteMessageEnd(ArrayBufferWriter<byte> output, ref int events, string stopReason, int inputTokens, int cacheRead, int outputTokens)
    {
        WriteEvent(output, ref events, "message_delta", w =>
        {
            w.WriteStartObject("delta");
            w.WriteString("stop_reason", stopReason);
            w.WriteNull("stop_sequence");
            w.WriteEndObject();
            w.WriteStartObject("usage");
            w.WriteNumber("input_tokens", inputTokens);
            w.WriteNumber("cache_creation_input_tokens", 0);
            w.WriteNumber("cache_read_input_tokens", cacheRead);
            w.WriteNumber("output_tokens", outputTokens);
            w.WriteEndObject();
        });
        WriteEvent(output, ref events, "message_stop", static _ => { });
    }

    private static void WriteBlockStop(ArrayBufferWriter<byte> output, ref int events, int index) =>
        WriteEvent(output, ref events, "content_block_stop", w => w.WriteNumber("index", index));

    /// <summary>A ping, written with the space the API puts after the colon.</summary>
    private static void WritePing(ArrayBufferWriter<byte> output, ref int events)
    {
        output.Write("event: ping\ndata: {\"type\": \"ping\"}\n\n"u8);
        events++;
    }

    /// <summary>Writes <c>event: type</c> and <c>data: {"type":type, …}</c>, then a blank line.</summary>
    private static void WriteEvent(ArrayBufferWriter<byte> output, ref int events, string type, Action<Utf8JsonWriter> writeFields)
    {
        SseFixtureWriter.WriteEvent(output, type, w =>
        {
            w.WriteString("type", type);
            writeFields(w);
        });
        events++;
    }
}
