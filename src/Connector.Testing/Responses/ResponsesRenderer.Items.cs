// ResponsesRenderer: the JSON of output items, content parts, annotations and the response object.
using System.Text.Json;

namespace YuHuan.Connector.Testing;

internal sealed partial class ResponsesRenderer
{
    /// <summary>Writes a content part: <c>output_text</c> (with <c>annotations</c>), <c>refusal</c> or <c>reasoning_text</c>;
    /// empty, as <c>response.content_part.added</c> carries it, unless <paramref name="done"/>.</summary>
    private static void WriteContentPart(Utf8JsonWriter w, ReplyPart part, bool done)
    {
        var text = done ? part.Text : string.Empty;
        w.WriteStartObject();
        switch (part.Kind)
        {
            case ReplyPartKind.Refusal:
                w.WriteString("type", "refusal");
                w.WriteString("refusal", text);
                break;

            case ReplyPartKind.Reasoning:
                w.WriteString("type", "reasoning_text");
                w.WriteString("text", text);
                break;

            default:
                w.WriteString("type", "output_text");
                w.WriteStartArray("annotations");
                if (done)
                {
                    foreach (var citation in part.Citations)
                    {
                        WriteAnnotation(w, citation, part.Text.Length);
                    }
                }

                w.WriteEndArray();
                w.WriteString("text", text);
                break;
        }

        w.WriteEndObject();
    }

    /// <summary>Writes a <c>url_citation</c> annotation of a text part of <paramref name="length"/> characters.</summary>
    private static void WriteAnnotation(Utf8JsonWriter w, ReplyCitation citation, int length)
    {
        w.WriteStartObject();
        w.WriteString("type", "url_citation");
        w.WriteNumber("start_index", citation.Start);
        w.WriteNumber("end_index", citation.End(length));
        w.WriteString("url", citation.Url);
        w.WriteString("title", citation.Title);
        w.WriteEndObject();
    }

    private static void WriteSummaryPart(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "summary_text");
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    /// <summary>Writes an output item as <c>response.output_item.added</c> (<paramref name="done"/> false: no content yet)
    /// or <c>response.output_item.done</c> and the response's <c>output</c> (complete) carry it.</summary>
    private static void WriteItem(Utf8JsonWriter w, ResponsesOutputItem item, bool done)
    {
        if (item.Kind == ResponsesItemKind.Raw)
        {
            // Sent as scripted (compacted onto one line, as an event's data must be).
            using var document = JsonDocument.Parse(item.Part.Text);
            document.RootElement.WriteTo(w);
            return;
        }

        w.WriteStartObject();
        w.WriteString("id", item.Id);
        switch (item.Kind)
        {
            case ResponsesItemKind.Message:
                w.WriteString("type", "message");
                w.WriteString("status", done ? "completed" : "in_progress");
                w.WriteString("role", "assistant");
                if (item.Phase is { } phase)
                {
                    w.WriteString("phase", phase);
                }

                w.WriteStartArray("content");
                if (done)
                {
                    foreach (var part in item.Parts)
                    {
                        WriteContentPart(w, part, done: true);
                    }
                }

                w.WriteEndArray();
                break;

            case ResponsesItemKind.Reasoning:
                var part0 = item.Part;
                var readable = part0.Kind == ReplyPartKind.Reasoning && part0.Text.Length > 0;
                w.WriteString("type", "reasoning");
                w.WriteStartArray("summary");
                if (done && readable && !part0.IsRaw)
                {
                    WriteSummaryPart(w, part0.Text);
                }

                w.WriteEndArray();
                if (part0.IsRaw)
                {
                    w.WriteStartArray("content");
                    if (done && readable)
                    {
                        WriteContentPart(w, part0, done: true);
                    }

                    w.WriteEndArray();
                }

                var encrypted = part0.Kind == ReplyPartKind.RedactedReasoning ? part0.Text : part0.Signature;
                if (done && encrypted is not null)
                {
                    w.WriteString("encrypted_content", encrypted);
                }

                break;

            case ResponsesItemKind.WebSearchCall:
                w.WriteString("type", "web_search_call");
                w.WriteString("status", done ? "completed" : "in_progress");
                if (done && item.Part.WebFetch is { } page)
                {
                    w.WritePropertyName("action");
                    w.WriteStartObject();
                    w.WriteString("type", "open_page");
                    w.WriteString("url", page.Url);
                    w.WriteEndObject();
                }
                else if (done)
                {
                    var search = item.Part.WebSearch!;
                    w.WritePropertyName("action");
                    w.WriteStartObject();
                    w.WriteString("type", "search");
                    w.WriteString("query", search.Query);
                    w.WriteStartArray("sources");
                    foreach (var result in search.Results)
                    {
                        w.WriteStartObject();
                        w.WriteString("type", "url");
                        w.WriteString("url", result.Url);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                break;

            case ResponsesItemKind.FileSearchCall:
                var files = item.Part.FileSearch!;
                w.WriteString("type", "file_search_call");
                w.WriteString("status", done ? "completed" : "in_progress");
                w.WriteStartArray("queries");
                foreach (var query in files.Queries)
                {
                    w.WriteStringValue(query);
                }

                w.WriteEndArray();
                if (done && files.Results.Count > 0)
                {
                    w.WriteStartArray("results");
                    foreach (var result in files.Results)
                    {
                        w.WriteStartObject();
                        w.WriteString("file_id", result.FileId);
                        w.WriteString("filename", result.Filename);
                        w.WriteNumber("score", result.Score);
                        w.WriteString("text", result.Text);
                        w.WritePropertyName("attributes");
                        w.WriteStartObject();
                        w.WriteEndObject();
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }
                else
                {
                    w.WriteNull("results");
                }

                break;

            case ResponsesItemKind.CodeInterpreterCall:
                var run = item.Part.CodeExecution!;
                w.WriteString("type", "code_interpreter_call");
                w.WriteString("status", done ? "completed" : "in_progress");
                w.WriteString("code", done ? run.Code : string.Empty);
                w.WriteString("container_id", item.CallId);
                if (done)
                {
                    w.WriteStartArray("outputs");
                    if (run.Stdout.Length + run.Stderr.Length > 0)
                    {
                        w.WriteStartObject();
                        w.WriteString("type", "logs");
                        w.WriteString("logs", run.Stdout + run.Stderr);
                        w.WriteEndObject();
                    }

                    foreach (var url in run.ImageUrls)
                    {
                        w.WriteStartObject();
                        w.WriteString("type", "image");
                        w.WriteString("url", url);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }
                else
                {
                    w.WriteNull("outputs");
                }

                break;

            case ResponsesItemKind.ImageGenerationCall:
                var image = item.Part.Image!;
                w.WriteString("type", "image_generation_call");
                w.WriteString("status", done ? "completed" : "in_progress");
                if (done)
                {
                    w.WriteString("output_format", "png");
                    w.WriteString("result", image.ResultBase64);
                    if (image.RevisedPrompt is { } revised)
                    {
                        w.WriteString("revised_prompt", revised);
                    }
                }
                else
                {
                    w.WriteNull("result");
                }

                break;

            case ResponsesItemKind.McpCall:
                var call = item.Part.Mcp!;
                w.WriteString("type", "mcp_call");
                w.WriteString("status", !done ? "in_progress" : call.IsError ? "failed" : "completed");
                w.WriteString("server_label", call.Server);
                w.WriteString("name", call.Tool);
                w.WriteString("arguments", done ? call.ArgumentsJson : string.Empty);
                EmulatorJson.WriteStringOrNull(w, "output", done && !call.IsError ? call.ResultText : null);
                EmulatorJson.WriteStringOrNull(w, "error", done && call.IsError ? call.ResultText : null);
                break;

            case ResponsesItemKind.McpApprovalRequest:
                var request = item.Part.Mcp!;
                w.WriteString("type", "mcp_approval_request");
                w.WriteString("server_label", request.Server);
                w.WriteString("name", request.Tool);
                w.WriteString("arguments", request.ArgumentsJson);
                break;

            case ResponsesItemKind.FunctionCall:
                w.WriteString("type", "function_call");
                w.WriteString("status", done ? "completed" : "in_progress");
                w.WriteString("arguments", done ? item.Part.Text : string.Empty);
                w.WriteString("call_id", item.CallId);
                w.WriteString("name", item.Part.Name);
                break;
        }

        foreach (var part in item.Parts)
        {
            part.WriteExtraFields(w);
        }

        w.WriteEndObject();
    }

    private static void WriteResponseProperty(Utf8JsonWriter w, RenderContext context, ResponsesRequestFields request, ResponsesStatus state, IReadOnlyList<ResponsesOutputItem>? outputs, ReplyUsage? usage)
    {
        w.WritePropertyName("response");
        WriteResponse(w, context, request, state, outputs, usage);
    }

    /// <summary>Writes the response object; <paramref name="outputs"/> <see langword="null"/> writes <c>output: []</c>.</summary>
    private static void WriteResponse(Utf8JsonWriter w, RenderContext context, ResponsesRequestFields request, ResponsesStatus state, IReadOnlyList<ResponsesOutputItem>? outputs, ReplyUsage? usage)
    {
        w.WriteStartObject();
        w.WriteString("id", context.ResponseId);
        w.WriteString("object", "response");
        w.WriteNumber("created_at", context.Created);
        w.WriteString("status", state.Status);
        w.WriteBoolean("background", request.Background);
        if (state.Error is { } error)
        {
            w.WritePropertyName("error");
            w.WriteStartObject();
            w.WriteString("code", error.Code ?? error.Type);
            w.WriteString("message", error.Message);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("error");
        }

        if (state.IncompleteReason is { } reason)
        {
            w.WritePropertyName("incomplete_details");
            w.WriteStartObject();
            w.WriteString("reason", reason);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("incomplete_details");
        }

        w.WriteString("model", context.Model);
        w.WriteStartArray("output");
        foreach (var item in outputs ?? [])
        {
            WriteItem(w, item, done: true);
        }

        w.WriteEndArray();
        EmulatorJson.WriteStringOrNull(w, "previous_response_id", request.PreviousResponseId);
        w.WriteBoolean("store", request.Store);
        if (usage is null)
        {
            w.WriteNull("usage");
        }
        else
        {
            w.WritePropertyName("usage");
            w.WriteStartObject();
            w.WriteNumber("input_tokens", usage.InputTokens);
            w.WritePropertyName("input_tokens_details");
            w.WriteStartObject();
            w.WriteNumber("cached_tokens", usage.CachedInputTokens);
            w.WriteEndObject();
            w.WriteNumber("output_tokens", usage.OutputTokens);
            w.WritePropertyName("output_tokens_details");
            w.WriteStartObject();
            w.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
            w.WriteEndObject();
            w.WriteNumber("total_tokens", usage.TotalTokens);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }
}
