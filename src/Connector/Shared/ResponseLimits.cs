using System.Text;

namespace YuHuan.Connector.Shared;

/// <summary>The limits the client puts on what one response may hold, whatever its protocol.</summary>
internal static class ResponseLimits
{
    /// <summary>The longest line or event of a stream, the largest non-streamed body, and the largest arguments of one tool call.</summary>
    public const int MaxResponseBytes = 32 * 1024 * 1024;

    /// <summary>The most tool calls one response may hold.</summary>
    public const int MaxToolCalls = 10_000;

    /// <summary>The most output items (messages, reasoning, tool calls) one response may hold.</summary>
    public const int MaxOutputItems = 100_000;

    /// <summary>Appends a piece of a refusal streamed in pieces, which is reported whole once it is complete.</summary>
    /// <exception cref="YuHuanApiException">The refusal reaches <see cref="MaxResponseBytes"/> characters (<c>response_too_large</c>).</exception>
    public static void AppendRefusal(StringBuilder refusal, string piece)
    {
        if ((long)refusal.Length + piece.Length >= MaxResponseBytes)
        {
            throw ClientErrors.TooLarge("The refusal of the gateway's response (characters)", MaxResponseBytes);
        }

        refusal.Append(piece);
    }
}
