// The content of a delta or message: text, reasoning (plain or reasoning_details), refusal and annotations.
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.ChatCompletions;

internal sealed partial class ChatCompletionsStreamMapper
{
    private void ReadDelta(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, bool isMessage, ref List<AIContent>? contents)
    {
        string? text = null;
        string? reasoning = null;
        List<TextReasoningContent>? details = null;
        string? refusal = null;
        string? partsReasoning = null;
        List<AIAnnotation>? annotations = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                // A string, or (some servers) an array of parts: text parts are text, thinking parts reasoning.
                reader.Read();
                text = ContentParts.Read(ref reader, ref partsReasoning);
            }
            else if (reader.ValueTextEquals("reasoning_content"u8) || reader.ValueTextEquals("reasoning"u8))
            {
                // Servers that send both fields send the same text twice: keep the first non-empty one.
                reader.Read();
                var value = ContentParts.Read(ref reader);
                reasoning ??= value;
            }
            else if (reader.ValueTextEquals("reasoning_details"u8))
            {
                reader.Read();
                details = ReadReasoningDetails(ref reader, data);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                var position = 0;
                while (JsonReading.NextObjectInArray(ref reader))
                {
                    ReadToolCall(ref reader, data, isMessage, position++);
                }
            }
            else if (reader.ValueTextEquals("function_call"u8))
            {
                // The deprecated single-call form: one call, no id.
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadFunction(ref reader, data, _toolCalls.GetOrAdd(0));
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                reader.Read();
                refusal = ContentParts.Read(ref reader);
            }
            else if (reader.ValueTextEquals("annotations"u8))
            {
                reader.Read();
                annotations = ChatCompletionsAnnotations.Read(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (details is not null)
        {
            // Each entry is a reasoning content of its own, with its own signature; a plain reasoning field beside them
            // repeats their text.
            foreach (var detail in details)
            {
                detail.Text = Response.JoinReasoning(detail.Text) ?? string.Empty;
                var entry = (string)detail.AdditionalProperties![ChatCompletionsKeys.ReasoningDetail]!;
                // Plain pieces just before merge with the entry, so the run starts at the first of them.
                _detailsRun ??= _plainPieces is { } plain ? ReasoningDetailsRun.After(plain) : new ReasoningDetailsRun(detail);
                _plainPieces = null;
                _detailsRun.Add(detail, entry);
                if (detail.ProtectedData is not null)
                {
                    // A piece with a signature ends what merging joins: the next entry starts a run of its own.
                    _detailsRun = null;
                }

                (contents ??= new(details.Count)).Add(detail);
            }
        }
        else if (Response.JoinReasoning(reasoning ?? partsReasoning) is { } joined)
        {
            var piece = new TextReasoningContent(joined);
            (contents ??= new(1)).Add(piece);
            if (!isMessage && _detailsRun is null)
            {
                (_plainPieces ??= []).Add(piece);
            }
        }

        text = Response.JoinText(text);

        if (text is not null)
        {
            if (_thinkTags is null)
            {
                (contents ??= new(1)).Add(new TextContent(text));
            }
            else
            {
                _thinkTags.Split(text, contents ??= new(1));
            }
        }

        if (annotations is not null)
        {
            Annotate(ref contents, annotations);
        }

        if (text is not null || annotations is not null || refusal is not null)
        {
            // Content between reasoning pieces keeps them apart.
            _detailsRun = null;
            _plainPieces = null;
        }

        if (refusal is not null)
        {
            if (isMessage)
            {
                (contents ??= new(1)).Add(new ErrorContent(refusal) { ErrorCode = "refusal" });
            }
            else
            {
                // Pieces of one refusal: reported once, whole, with the finish reason.
                ResponseLimits.AppendRefusal(_refusal ??= new System.Text.StringBuilder(), refusal);
            }
        }
    }

    /// <summary>
    /// Puts citations on the text they belong to: the delta's own last text, else an empty text of their own (servers send
    /// them in a delta of their own, after the text), which <c>ToChatResponse</c> leaves beside the merged text
    /// (Microsoft.Extensions.AI never merges annotated text); their indices count in the whole message, which the merged text is.
    /// </summary>
    private static void Annotate(ref List<AIContent>? contents, List<AIAnnotation> annotations)
    {
        if (contents is { Count: > 0 } && contents[^1] is TextContent text)
        {
            if (text.Annotations is null)
            {
                text.Annotations = annotations;
                return;
            }

            foreach (var annotation in annotations)
            {
                text.Annotations.Add(annotation);
            }

            return;
        }

        (contents ??= new(1)).Add(new TextContent(string.Empty) { Annotations = annotations });
    }

    /// <summary>
    /// Reads a <c>reasoning_details</c> array: one <see cref="TextReasoningContent"/> per entry, its <c>text</c> or
    /// <c>summary</c> the text (not yet joined with a held surrogate half), its <c>signature</c> or encrypted <c>data</c>
    /// the <see cref="TextReasoningContent.ProtectedData"/>, the entry's JSON kept under
    /// <see cref="ChatCompletionsKeys.ReasoningDetail"/>; <see langword="null"/> when the array holds no entry.
    /// </summary>
    private static List<TextReasoningContent>? ReadReasoningDetails(ref Utf8JsonReader reader, ReadOnlySpan<byte> data)
    {
        List<TextReasoningContent>? details = null;
        while (JsonReading.NextObjectInArray(ref reader))
        {
            var start = (int)reader.TokenStartIndex;
            string? text = null;
            string? protectedData = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("summary"u8))
                {
                    reader.Read();
                    text = ContentParts.Concat(text, ContentParts.Read(ref reader));
                }
                else if (reader.ValueTextEquals("signature"u8) || reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    protectedData = JsonReading.NonEmptyString(ref reader) ?? protectedData;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            var entry = System.Text.Encoding.UTF8.GetString(data[start..(int)reader.BytesConsumed]);
            (details ??= []).Add(new TextReasoningContent(text ?? string.Empty)
            {
                ProtectedData = protectedData,
                AdditionalProperties = new() { [ChatCompletionsKeys.ReasoningDetail] = entry },
            });
        }

        return details;
    }
}
