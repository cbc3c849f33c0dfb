using System.Globalization;
using System.Text;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Unescapes the raw content of a JSON string that <see cref="System.Text.Json.Utf8JsonReader.GetString"/> refuses
/// because it holds a lone surrogate escape: the half of a pair that a server split across two events. The result
/// keeps the lone surrogate, so that <see cref="SplitSurrogate"/> can join it with its other half.
/// </summary>
internal static class LenientJsonString
{
    public static string Decode(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length);
        while (!raw.IsEmpty)
        {
            var slash = raw.IndexOf((byte)'\\');
            if (slash < 0)
            {
                text.Append(Encoding.UTF8.GetString(raw));
                break;
            }

            text.Append(Encoding.UTF8.GetString(raw[..slash]));
            if (slash + 1 >= raw.Length)
            {
                break;
            }

            var escape = raw[slash + 1];
            var consumed = 2;
            switch (escape)
            {
                case (byte)'b':
                    text.Append('\b');
                    break;
                case (byte)'f':
                    text.Append('\f');
                    break;
                case (byte)'n':
                    text.Append('\n');
                    break;
                case (byte)'r':
                    text.Append('\r');
                    break;
                case (byte)'t':
                    text.Append('\t');
                    break;
                case (byte)'u' when slash + 6 <= raw.Length
                    && ushort.TryParse(Encoding.ASCII.GetString(raw.Slice(slash + 2, 4)), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                    text.Append((char)code);
                    consumed = 6;
                    break;
                default:
                    text.Append((char)escape);
                    break;
            }

            raw = raw[(slash + consumed)..];
        }

        return text.ToString();
    }
}
