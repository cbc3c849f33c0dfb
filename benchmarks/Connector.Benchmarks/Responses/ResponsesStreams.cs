using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Benchmarks.Fixtures;
using YuHuan.Connector.Benchmarks.Infrastructure;

namespace YuHuan.Connector.Benchmarks.Responses;

/// <summary>
/// Builds OpenAI Responses streams shaped like the API's own: an <c>event:</c> line naming each event and a
/// <c>data:</c> line whose JSON repeats the <c>type</c> and carries a <c>sequence_number</c>;
/// <c>response.created</c> and <c>response.in_progress</c> with the whole response object,
/// a reasoning item (a reasoning model that was not asked for a summary), <c>output_item.added</c> /
/// <c>…delta</c> / <c>…done</c> / <c>output_item.done</c> per item, then <c>response.completed</c> with the
/// whole response object again, every output item in full and the usage. Deltas carry <c>obfuscation</c>
/// padding (the API's default) and text deltas <c>logprobs: []</c>. Text is raw UTF-8, as the API sends it.
/// </summary>
internal static class ResponsesStreams
{
    /// <summary>The id of the response.</summary>
    public const string ResponseId = "resp_68b5ebab461881969ed94149372c2a530698ecbf1b9f2704";

    /// <summary>The protocol's request path.</summary>
    public const string RelativePath = "responses";

    private const long CreatedAt = 1767225600;
    private const string ServedModel = "gpt-5-mini-2025-08-07";
    private const string ReasoningId = "rs_68b5ebabc0088196afb9fa86b487732d0698ecbf1b9f2704";
    private const string MessageItemId = "msg_68b5ebae5a708196b74b94f22ca8995e0698ecbf1b9f2704";

    /// <summary>The API pads each delta event with <c>obfuscation</c> so that the delta and the padding
    /// together are about this long (<c>"The"</c> gets 13 characters, <c>" positive"</c> 7).</summary>
    private const int ObfuscatedLength = 16;

    private const string ObfuscationAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Case 4, fixture A: one message item of <paramref name="deltas"/> small <c>response.output_text.delta</c>s.</summary>
    public static StreamFixture Text(int deltas)
    {
        var pieces = TextPieces.Create(deltas);
        var text = string.Concat(pieces);
        var output = new ArrayBufferWriter<byte>(deltas * 300);
        var sequence = 0;

        // As the API counts: input includes the cached tokens, output includes the reasoning tokens.
        var usage = new ExpectedUsage(Input: 32, Output: deltas + 64, Total: 32 + deltas + 64, CachedInput: 8, Reasoning: 64);
        WriteOpening(output, ref sequence);
        WriteEvent(output, ref sequence, "response.output_item.added", static w =>
        {
            w.WriteNumber("output_index", 1);
            w.WritePropertyName("item");
            WriteMessageItem(w, "in_progress", text: null);
        });
        WriteEvent(output, ref sequence, "response.content_part.added", static w =>
        {
            WriteTextLocation(w);
            w.WritePropertyName("part");
            WriteOutputText(w, string.Empty);
        });
        for (var i = 0; i < pieces.Length; i++)
        {
            var piece = pieces[i];
            var n = i;
            WriteEvent(output, ref sequence, "response.output_text.delta", w =>
            {
                WriteTextLocation(w);
                w.WriteString("delta", piece);
                w.WriteStartArray("logprobs");
                w.WriteEndArray();
                w.WriteString("obfuscation", Obfuscation(piece, n));
            });
        }

        WriteEvent(output, ref sequence, "response.output_text.done", w =>
        {
            WriteTextLocation(w);
            w.WriteString("text", text);
            w.WriteStartArray("logprobs");
            w.WriteEndArray();
        });
        WriteEvent(output, ref sequence, "response.content_part.done", w =>
        {
            WriteTextLocation(w);
            w.WritePropertyName("part");
            WriteOutputText(w, text);
        });
        WriteEvent(output, ref sequence, "response.output_item.done", w =>
        {
            w.WriteNumber("output_index", 1);
            w.WritePropertyName("item");
            WriteMessageItem(w, "completed", text);
        });
        WriteEvent(output, ref sequence, "response.completed", w =>
        {
            w.WritePropertyName("response");
            WriteResponse(w, "completed", usage, items =>
            {
                WriteReasoningItem(items);
                WriteMessageItem(items, "completed", text);
            });
        });

        return new StreamFixture
        {
            Protocol = YuHuanProtocol.Responses,
            RelativePath = RelativePath,
            Body = output.WrittenSpan.ToArray(),
            Events = sequence,
            DeltaProperties = ["delta"],
            Expected = StreamExpectation.ForText(text, usage),
        };
    }

    /// <summary>Case 4, fixture B: three <c>function_call</c> items, each one's arguments in
    /// <paramref name="fragmentsPerCall"/> <c>response.function_call_arguments.delta</c> pieces (the same
    /// arguments and splits as cases 2 and 3: splits fall inside escapes and between the halves of JSON tokens).</summary>
    public static StreamFixture ParallelToolCalls(int fragmentsPerCall)
    {
        ExpectedToolCall[] calls =
        [
            new("call_Xq1wPzV8bN3kT5rY7uJ2mL4c", "get_weather", ToolArguments.Json("Paris, France", fragmentsPerCall * 6, seed: 1)),
            new("call_Hd6sA9fG0jK2lQ4wE8rT1yU3", "search_flights", ToolArguments.Json("Tokyo Haneda (HND)", fragmentsPerCall * 6, seed: 2)),
            new("call_Mn5bV7cX9zL1kJ3hG5fD7sA9", "book_hotel", ToolArguments.Json("台北 Taipei", fragmentsPerCall * 6, seed: 3)),
        ];
        string[] itemIds =
        [
            "fc_68b5ebae6a7c81969f0b2c4d1e3a5b7c0698ecbf1b9f2704",
            "fc_68b5ebae6a7c81969f0b2c4d1e3a5b7d0698ecbf1b9f2704",
            "fc_68b5ebae6a7c81969f0b2c4d1e3a5b7e0698ecbf1b9f2704",
        ];

        var output = new ArrayBufferWriter<byte>(calls.Length * fragmentsPerCall * 200);
        var sequence = 0;
        var allDeltas = new StringBuilder();
        var usage = new ExpectedUsage(Input: 438, Output: 1596, Total: 438 + 1596, CachedInput: 128, Reasoning: 96);
        WriteOpening(output, ref sequence);
        for (var index = 0; index < calls.Length; index++)
        {
            var call = calls[index];
            var itemId = itemIds[index];
            var outputIndex = index + 1;
            WriteEvent(output, ref sequence, "response.output_item.added", w =>
            {
                w.WriteNumber("output_index", outputIndex);
                w.WritePropertyName("item");
                WriteFunctionCallItem(w, itemId, "in_progress", call with { ArgumentsJson = string.Empty });
            });

            var n = 0;
            foreach (var fragment in TextPieces.Split(call.ArgumentsJson, fragmentsPerCall))
            {
                allDeltas.Append(fragment);
                var padding = Obfuscation(fragment, n++);
                WriteEvent(output, ref sequence, "response.function_call_arguments.delta", w =>
                {
                    w.WriteString("item_id", itemId);
                    w.WriteNumber("output_index", outputIndex);
                    w.WriteString("delta", fragment);
                    w.WriteString("obfuscation", padding);
                });
            }

            // The API's done event has no name (PROTOCOLS.md, section 3).
            WriteEvent(output, ref sequence, "response.function_call_arguments.done", w =>
            {
                w.WriteString("item_id", itemId);
                w.WriteNumber("output_index", outputIndex);
                w.WriteString("arguments", call.ArgumentsJson);
            });
            WriteEvent(output, ref sequence, "response.output_item.done", w =>
            {
                w.WriteNumber("output_index", outputIndex);
                w.WritePropertyName("item");
                WriteFunctionCallItem(w, itemId, "completed", call);
            });
        }

        WriteEvent(output, ref sequence, "response.completed", w =>
        {
            w.WritePropertyName("response");
            WriteResponse(w, "completed", usage, items =>
            {
                WriteReasoningItem(items);
                for (var i = 0; i < calls.Length; i++)
                {
                    WriteFunctionCallItem(items, itemIds[i], "completed", calls[i]);
                }
            });
        });

        return new StreamFixture
        {
            Protocol = YuHuanProtocol.Responses,
            RelativePath = RelativePath,
            Body = output.WrittenSpan.ToArray(),
            Events = sequence,
            DeltaProperties = ["delta"],
            Expected = StreamExpectation.ForToolCalls(calls, usage, allDeltas.ToString()),
        };
    }

    /// <summary><c>response.created</c>, <c>response.in_progress</c>, and the reasoning item (output index 0)
    /// added and done: a reasoning model that was not asked for a summary sends it with an empty summary.</summary>
    private static void WriteOpening(ArrayBufferWriter<byte> output, ref int sequence)
    {
        WriteEvent(output, ref sequence, "response.created", static w =>
        {
            w.WritePropertyName("response");
            WriteResponse(w, "in_progress", usage: null, static _ => { });
        });
        WriteEvent(output, ref sequence, "response.in_progress", static w =>
        {
            w.WritePropertyName("response");
            WriteResponse(w, "in_progress", usage: null, static _ => { });
        });
        WriteEvent(output, ref sequence, "response.output_item.added", static w =>
        {
            w.WriteNumber("output_index", 0);
            w.WritePropertyName("item");
            WriteReasoningItem(w);
        });
        WriteEvent(output, ref sequence, "response.output_item.done", static w =>
        {
            w.WriteNumber("output_index", 0);
            w.WritePropertyName("item");
            WriteReasoningItem(w);
        });
    }

    /// <summary>The whole response object, every field the API sends, as in <c>response.created</c> and
    /// <c>response.completed</c>.</summary>
    private static void WriteResponse(Utf8JsonWriter w, string status, ExpectedUsage? usage, Action<Utf8JsonWriter> writeOutput)
    {
        w.WriteStartObject();
        w.WriteString("id", ResponseId);
        w.WriteString("object", "response");
        w.WriteNumber("created_at", CreatedAt);
        w.WriteString("status", status);
        w.WriteBoolean("background", false);
        w.WriteNull("error");
        w.WriteNull("incomplete_details");
        w.WriteNull("instructions");
        w.WriteNull("max_output_tokens");
        w.WriteNull("max_tool_calls");
        w.WriteString("model", ServedModel);
        w.WriteStartArray("output");
        writeOutput(w);
        w.WriteEndArray();
        w.WriteBoolean("parallel_tool_calls", true);
        w.WriteNull("previous_response_id");
        w.WriteNull("prompt_cache_key");
        w.WriteStartObject("reasoning");
        w.WriteString("effort", "medium");
        w.WriteNull("summary");
        w.WriteEndObject();
        w.WriteNull("safety_identifier");
        w.WriteString("service_tier", usage is null ? "auto" : "default");
        w.WriteBoolean("store", true);
        w.WriteNumber("temperature", 1.0);
        w.WriteStartObject("text");
        w.WriteStartObject("format");
        w.WriteString("type", "text");
        w.WriteEndObject();
        w.WriteString("verbosity", "medium");
        w.WriteEndObject();
        w.WriteString("tool_choice", "auto");
        w.WriteStartArray("tools");
        w.WriteEndArray();
        w.WriteNumber("top_logprobs", 0);
        w.WriteNumber("top_p", 1.0);
        w.WriteString("truncation", "disabled");
        if (usage is null)
        {
            w.WriteNull("usage");
        }
        else
        {
            w.WriteStartObject("usage");
            w.WriteNumber("input_tokens", usage.Input);
            w.WriteStartObject("input_tokens_details");
            w.WriteNumber("cached_tokens", usage.CachedInput);
            w.WriteEndObject();
            w.WriteNumber("output_tokens", usage.Output);
            w.WriteStartObject("output_tokens_details");
            w.WriteNumber("reasoning_tokens", usage.Reasoning);
            w.WriteEndObject();
            w.WriteNumber("total_tokens", usage.Total);
            w.WriteEndObject();
        }

        w.WriteNull("user");
        w.WriteStartObject("metadata");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteReasoningItem(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("id", ReasoningId);
        w.WriteString("type", "reasoning");
        w.WriteStartArray("summary");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The assistant message item; <paramref name="text"/> <see langword="null"/> for the empty item
    /// of <c>output_item.added</c>.</summary>
    private static void WriteMessageItem(Utf8JsonWriter w, string status, string? text)
    {
        w.WriteStartObject();
        w.WriteString("id", MessageItemId);
        w.WriteString("type", "message");
        w.WriteString("status", status);
        w.WriteStartArray("content");
        if (text is not null)
        {
            WriteOutputText(w, text);
        }

        w.WriteEndArray();
        w.WriteString("role", "assistant");
        w.WriteEndObject();
    }

    private static void WriteOutputText(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "output_text");
        w.WriteStartArray("annotations");
        w.WriteEndArray();
        w.WriteStartArray("logprobs");
        w.WriteEndArray();
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    private static void WriteFunctionCallItem(Utf8JsonWriter w, string itemId, string status, ExpectedToolCall call)
    {
        w.WriteStartObject();
        w.WriteString("id", itemId);
        w.WriteString("type", "function_call");
        w.WriteString("status", status);
        w.WriteString("arguments", call.ArgumentsJson);
        w.WriteString("call_id", call.CallId);
        w.WriteString("name", call.Name);
        w.WriteEndObject();
    }

    /// <summary><c>item_id</c>, <c>output_index</c> and <c>content_index</c> of the one text part.</summary>
    private static void WriteTextLocation(Utf8JsonWriter w)
    {
        w.WriteString("item_id", MessageItemId);
        w.WriteNumber("output_index", 1);
        w.WriteNumber("content_index", 0);
    }

    /// <summary>Deterministic padding in the API's style: letters and digits, shorter for longer deltas.</summary>
    private static string Obfuscation(string delta, int seed)
    {
        var length = Math.Max(ObfuscatedLength - delta.Length, 2);
        return string.Create(length, seed, static (span, s) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = ObfuscationAlphabet[((s * 13) + (i * 17) + 7) % ObfuscationAlphabet.Length];
            }
        });
    }

    /// <summary>Writes <c>event: type</c> and <c>data: {"type":type,"sequence_number":n, …}</c>, then a blank line.</summary>
    private static void WriteEvent(ArrayBufferWriter<byte> output, ref int sequence, string type, Action<Utf8JsonWriter> writeFields)
    {
        var number = sequence;
        SseFixtureWriter.WriteEvent(output, type, w =>
        {
            w.WriteString("type", type);
            w.WriteNumber("sequence_number", number);
            writeFields(w);
        });
        sequence++;
    }
}
