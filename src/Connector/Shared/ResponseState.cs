using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>
/// What one response carries across its events, whatever the protocol: its ids, model and creation time (the first
/// non-empty value kept, so every update of the response repeats the same), its usage (one <see cref="UsageDetails"/>
/// that later counts merge into, never replace), the halves of surrogate pairs split across text and reasoning pieces,
/// and the one place that builds a <see cref="ChatResponseUpdate"/>.
/// </summary>
/// <param name="usageFields">The names the protocol gives the usage counts.</param>
internal sealed class ResponseState(UsageFields usageFields)
{
    private readonly UsageFields _usageFields = usageFields;
    private RepeatedString _responseId;
    private RepeatedString _modelId;
    private SplitSurrogate _text;
    private SplitSurrogate _reasoning;
    private UsageDetails? _usage;
    private string? _messageId;

    /// <summary>Gets the response id, or <see langword="null"/> before any arrived.</summary>
    public string? ResponseId => _responseId.Value;

    /// <summary>Gets or sets the id of the message being streamed; the response id when none was set.</summary>
    public string? MessageId
    {
        get => _messageId ?? _responseId.Value;
        set => _messageId = value;
    }

    /// <summary>Gets the model, or <see langword="null"/> before any arrived.</summary>
    public string? ModelId => _modelId.Value;

    /// <summary>Gets the creation time, or <see langword="null"/> before any arrived.</summary>
    public DateTimeOffset? CreatedAt { get; private set; }

    /// <summary>Gets a value indicating whether usage arrived that was not reported yet.</summary>
    public bool HasUsage => _usage is not null;

    /// <summary>Gets the usage being merged, creating it on first use.</summary>
    public UsageDetails Usage => _usage ??= new UsageDetails();

    /// <summary>Reads the response id at the reader's position; kept only if none is yet.</summary>
    public void ReadResponseId(ref Utf8JsonReader reader) => _responseId.Read(ref reader);

    /// <summary>Keeps a response id read elsewhere, if none is kept yet.</summary>
    public void KeepResponseId(string? id) => _responseId.Keep(id);

    /// <summary>Keeps a model read elsewhere, if none is kept yet.</summary>
    public void KeepModelId(string? model) => _modelId.Keep(model);

    /// <summary>Reads the model at the reader's position; kept only if none is yet.</summary>
    public void ReadModelId(ref Utf8JsonReader reader) => _modelId.Read(ref reader);

    /// <summary>Reads a creation time in Unix seconds at the reader's position; kept only if none is yet.</summary>
    public void ReadCreatedAt(ref Utf8JsonReader reader)
    {
        if (CreatedAt is null && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seconds)
            && seconds is >= 0 and <= 253402300799)
        {
            CreatedAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        else
        {
            reader.Skip();
        }
    }

    /// <summary>
    /// Reads the field the reader is at (its name) when it is the model (<c>model</c>) or the creation time
    /// (<paramref name="createdField"/>, the protocol's name for it): each is kept only if none is yet.
    /// </summary>
    /// <param name="reader">The reader, at a field's name; at the field's value afterwards when it was read.</param>
    /// <param name="createdField">The protocol's name for the creation time, in Unix seconds.</param>
    /// <returns><see langword="true"/> when the field was one of them and was read; otherwise the reader is left at the name.</returns>
    public bool ReadModelOrCreated(ref Utf8JsonReader reader, ReadOnlySpan<byte> createdField)
    {
        if (reader.ValueTextEquals("model"u8))
        {
            reader.Read();
            ReadModelId(ref reader);
            return true;
        }

        if (reader.ValueTextEquals(createdField))
        {
            reader.Read();
            ReadCreatedAt(ref reader);
            return true;
        }

        return false;
    }

    /// <summary>Merges the usage object at the reader's position: the counts it holds replace earlier ones, the others stay.</summary>
    public void MergeUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            UsageReader.Read(ref reader, Usage, _usageFields);
        }
        else
        {
            reader.Skip();
        }
    }

    /// <summary>Adds the usage, once, as a <see cref="UsageContent"/> (the total filled in when the server left it out).</summary>
    public void TakeUsage(ref List<AIContent>? contents)
    {
        if (_usage is null)
        {
            return;
        }

        UsageReader.CompleteTotal(_usage);
        (contents ??= new(1)).Add(new UsageContent(_usage));
        _usage = null;
    }

    /// <summary>Joins a piece of answer text with a surrogate half held from the previous piece; see <see cref="SplitSurrogate.Join"/>.</summary>
    public string? JoinText(string? piece) => _text.Join(piece);

    /// <summary>Joins a piece of reasoning with a surrogate half held from the previous piece; see <see cref="SplitSurrogate.Join"/>.</summary>
    public string? JoinReasoning(string? piece) => _reasoning.Join(piece);

    /// <summary>Adds the halves still held when the response ends, as U+FFFD.</summary>
    public void FlushHeld(ref List<AIContent>? contents)
    {
        if (_reasoning.Flush() is { } reasoningHalf)
        {
            (contents ??= new(1)).Add(new TextReasoningContent(reasoningHalf));
        }

        if (_text.Flush() is { } textHalf)
        {
            (contents ??= new(1)).Add(new TextContent(textHalf));
        }
    }

    /// <summary>
    /// Fills in the ids, model and creation time the updates from <paramref name="first"/> on lack: a complete response may
    /// name them after the content its first updates were made from.
    /// </summary>
    public void FillIn(IList<ChatResponseUpdate> updates, int first)
    {
        for (var i = first; i < updates.Count; i++)
        {
            var update = updates[i];
            update.ResponseId ??= _responseId.Value;
            update.MessageId ??= _responseId.Value;
            update.ModelId ??= _modelId.Value;
            update.CreatedAt ??= CreatedAt;
        }
    }

    /// <summary>Builds an update of this response.</summary>
    public ChatResponseUpdate NewUpdate(List<AIContent>? contents, ChatFinishReason? finishReason = null) =>
        new(ChatRole.Assistant, contents)
        {
            ResponseId = _responseId.Value,
            MessageId = MessageId,
            ModelId = _modelId.Value,
            CreatedAt = CreatedAt,
            FinishReason = finishReason,
        };
}
