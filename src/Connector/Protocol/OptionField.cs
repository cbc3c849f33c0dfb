using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Protocol;

/// <summary>
/// Where a protocol's request carries one <see cref="ChatOptions"/> member: a top-level field that
/// <see cref="RequestWriter"/> writes the value in, a shape the protocol's own writer maps, or nowhere.
/// </summary>
internal readonly struct OptionField
{
    private readonly bool _sent;

    private OptionField(JsonEncodedText? name, bool sent)
    {
        Name = name;
        _sent = sent;
    }

    /// <summary>Gets the entry of a member the protocol has no field for: a value set is not sent, and <see cref="UnsentOptions"/> notes it.</summary>
    public static OptionField NotSent => default;

    /// <summary>Gets the entry of a member the protocol's writer maps itself (a field of its own shape, or one shared with other members).</summary>
    public static OptionField Mapped => new(null, sent: true);

    /// <summary>Gets the top-level field <see cref="RequestWriter"/> writes the value in as it is, or <see langword="null"/> when it writes none.</summary>
    public JsonEncodedText? Name { get; }

    /// <summary>Gets a value indicating whether the member goes out at all.</summary>
    public bool IsSent => _sent;

    /// <summary>Gets the entry of a member that goes out as it is, in the top-level field <paramref name="name"/>.</summary>
    public static implicit operator OptionField(string name) => Field(name);

    /// <inheritdoc cref="op_Implicit(string)"/>
    public static OptionField Field(string name) => new(JsonEncodedText.Encode(name), sent: true);
}
