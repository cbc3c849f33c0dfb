using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Tool calls and results for a protocol that carries a call's arguments as a JSON string and a result as plain text,
/// with no flag for a failed call (Chat Completions and Responses, for example).
/// </summary>
internal static class ToolCallStrings
{
    /// <summary>
    /// Writes the field <paramref name="name"/>: the arguments' JSON text as a string; arguments that could not be parsed go
    /// back as the model wrote them (the raw text), and a call without either as <c>{}</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An argument cannot be written as JSON; the message names the call.</exception>
    public static void WriteArguments(Utf8JsonWriter writer, ReadOnlySpan<byte> name, FunctionCallContent call)
    {
        if (call.Arguments is null)
        {
            writer.WriteString(name, FunctionArguments.RawText(call) ?? "{}");
            return;
        }

        // The arguments' JSON text becomes the string value straight from the scratch buffer, with no string between.
        using var scratch = JsonScratch.Rent();
        JsonValueWriter.Write(scratch.Writer, call.Arguments, "The arguments of tool call", call.CallId);
        writer.WriteString(name, scratch.WrittenUtf8);
    }

    /// <summary>
    /// Gets the text a result is sent as: strings as they are, anything else as JSON. A failed call with no result
    /// chosen to show the model reads <c>Error: </c> and the exception's message, as there is no error flag.
    /// </summary>
    /// <exception cref="ArgumentException">The result cannot be written as JSON; the message names the call.</exception>
    public static string ResultText(FunctionResultContent result) =>
        result.Result is null && result.Exception is not null
            ? "Error: " + result.Exception.Message
            : JsonValueWriter.ToResultText(result.Result, result.CallId);
}
