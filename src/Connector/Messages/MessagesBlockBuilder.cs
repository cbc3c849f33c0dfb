using System.Buffers;
using System.Text;
using System.Text.Json;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Messages;

/// <summary>
/// Builds a streamed content block that is kept as it came (a server tool's use or result, an MCP block, a block type the
/// library does not know) from its <c>content_block_start</c> and its deltas, into the block as complete as a
/// non-streamed response would hold it: <c>input_json_delta</c> pieces become the <c>input</c> (parsed only at block stop,
/// as for a function call, and never reported as one), and the fields of any other delta (<c>compaction_delta</c>'s
/// <c>content</c>, for one) are appended to the block's field of that name when they are strings, or replace it.
/// </summary>
internal sealed class MessagesBlockBuilder
{
    private readonly byte[] _start;
    private ArrayBufferWriter<byte>? _input;
    private Dictionary<string, object>? _fields;
    private long _size;

    /// <summary>Initializes a new instance of the <see cref="MessagesBlockBuilder"/> class.</summary>
    /// <param name="start">The block's JSON as <c>content_block_start</c> gave it.</param>
    public MessagesBlockBuilder(ReadOnlySpan<byte> start) => _start = start.ToArray();

    /// <summary>Appends a <c>partial_json</c> piece, still JSON-escaped as it was on the wire.</summary>
    /// <exception cref="YuHuanApiException">The block would reach the size limit.</exception>
    public void AppendInput(ReadOnlySpan<byte> escapedPiece)
    {
        if (escapedPiece.IsEmpty)
        {
            return;
        }

        Grow(escapedPiece.Length);
        var buffer = _input ??= new ArrayBufferWriter<byte>(Math.Max(256, escapedPiece.Length));
        escapedPiece.CopyTo(buffer.GetSpan(escapedPiece.Length));
        buffer.Advance(escapedPiece.Length);
    }

    /// <summary>Takes the fields of a delta object (its JSON) other than <c>type</c>; a <see langword="null"/> field changes nothing.</summary>
    /// <exception cref="YuHuanApiException">The block would reach the size limit.</exception>
    public void ApplyDelta(ReadOnlySpan<byte> delta)
    {
        Grow(delta.Length);
        var reader = new Utf8JsonReader(delta);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (name == "type" || reader.TokenType == JsonTokenType.Null)
            {
                reader.Skip();
                continue;
            }

            var fields = _fields ??= [];
            if (reader.TokenType == JsonTokenType.String)
            {
                var piece = reader.GetString()!;
                if (fields.TryGetValue(name, out var existing) && existing is StringBuilder builder)
                {
                    builder.Append(piece);
                }
                else
                {
                    fields[name] = new StringBuilder(StartString(name)).Append(piece);
                }
            }
            else
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                fields[name] = delta[start..(int)reader.BytesConsumed].ToArray();
            }
        }
    }

    /// <summary>Builds the complete block.</summary>
    public JsonElement Complete()
    {
        using var startDocument = JsonDocument.Parse(_start);
        var start = startDocument.RootElement;
        if (_input is null && _fields is null)
        {
            return start.Clone();
        }

        var input = ParsedInput();
        using var scratch = JsonScratch.Rent();
        var writer = scratch.Writer;
        writer.WriteStartObject();
        HashSet<string>? written = null;
        foreach (var property in start.EnumerateObject())
        {
            if (input is not null && property.NameEquals("input"u8))
            {
                writer.WritePropertyName(property.Name);
                input.RootElement.WriteTo(writer);
            }
            else if (_fields is not null && _fields.TryGetValue(property.Name, out var value))
            {
                WriteField(writer, property.Name, value);
                (written ??= []).Add(property.Name);
            }
            else
            {
                property.WriteTo(writer);
            }
        }

        if (input is not null && !start.TryGetProperty("input"u8, out _))
        {
            writer.WritePropertyName("input"u8);
            input.RootElement.WriteTo(writer);
        }

        if (_fields is not null)
        {
            foreach (var (name, value) in _fields)
            {
                if (written is null || !written.Contains(name))
                {
                    WriteField(writer, name, value);
                }
            }
        }

        writer.WriteEndObject();
        input?.Dispose();
        return JsonElement.Parse(scratch.WrittenUtf8);
    }

    private static void WriteField(Utf8JsonWriter writer, string name, object value)
    {
        writer.WritePropertyName(name);
        if (value is StringBuilder text)
        {
            writer.WriteStringValue(text.ToString());
        }
        else
        {
            writer.WriteRawValue((byte[])value, skipInputValidation: true);
        }
    }

    /// <summary>The input the pieces spell, or <see langword="null"/> when they were all empty or do not form a JSON object.</summary>
    private JsonDocument? ParsedInput()
    {
        if (_input is not { WrittenCount: > 0 } pieces)
        {
            return null;
        }

        // The pieces are the content of one JSON string: unescape them whole, so an escape split across pieces is joined.
        var quoted = new byte[pieces.WrittenCount + 2];
        quoted[0] = (byte)'"';
        pieces.WrittenSpan.CopyTo(quoted.AsSpan(1));
        quoted[^1] = (byte)'"';
        try
        {
            var reader = new Utf8JsonReader(quoted);
            reader.Read();
            var text = reader.GetString();
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Input that does not parse stays as the block started; the block is kept, never failed on.
            return null;
        }
    }

    /// <summary>The string value the block started with under <paramref name="name"/>, or empty.</summary>
    private string StartString(string name)
    {
        var reader = new Utf8JsonReader(_start);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match && reader.TokenType == JsonTokenType.String)
            {
                return reader.GetString()!;
            }

            reader.Skip();
        }

        return string.Empty;
    }

    private void Grow(int bytes)
    {
        _size += bytes;
        if (_size + _start.Length >= ResponseLimits.MaxResponseBytes)
        {
            throw ClientErrors.TooLarge("A content block of the gateway's response (bytes)", ResponseLimits.MaxResponseBytes);
        }
    }
}
