namespace YuHuan.Connector.SemanticKernel.Tests.TestSupport;

/// <summary>A node that can point back at itself: a value no JSON serializer can write.</summary>
public sealed class LinkedNode
{
    /// <summary>Gets or sets the node's name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the next node, which may be this one.</summary>
    public LinkedNode? Next { get; set; }
}
