using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Tool calls and results as the OpenAI-style protocols (Chat Completions, Responses) carry them: the call's arguments
/// as a JSON string, the result as plain text, with no flag for a failed call.
/// </summary>
internal static class ToolCallStrings
{
    /// <summary>
    /// Writes the <c>arguments</c> field: the arguments' JSON text as a string; arguments that could not be parsed go
    /// back as the model wrote them (the raw text), and a call without either as <c>{}</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An argument cannot be written as JSON; the message names the call.</exception>
    public static void WriteArguments(Utf8JsonWriter writer, FunctionCallContent call)
    {
        if (call.Arguments is null)
        {
            writer.WriteString("arguments"u8, FunctionArguments.RawText(call) ?? "{}");
            return;
        }

        // The arguments' JSON text becomes the string value straight from the scratch buffer, with no string between.
        using var scratch = JsonScratch.Rent();
        JsonValueWriter.Write(scratch.Writer, call.Arguments, "The arguments of tool call", call.CallId);
        writer.WriteString("arguments"u8, scratch.WrittenUtf8);
    }

    /// <summary>
    /// Gets the text a result is sent as: strings as they are, anything else as JSON. A failed call with no result
    /// chosen to show the model reads <c>Error: </c> and the exception's message, as these protocols have no error flag.
    /// </summary>
    /// <exception cref="ArgumentException">The result cannot be written as JSON; the message names the call.</exception>
    public static string ResultText(FunctionResultContent result) =>
        result.Result is null && result.Exception is not null
            ? "Error: " + result.Exception.Message
            : JsonValueWriter.ToResultText(result.Result, result.CallId);
}
