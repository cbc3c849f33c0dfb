using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace YuHuan.Connector.SemanticKernel.Tests.TestSupport;

/// <summary>A kernel plugin whose function returns an object that refers to itself.</summary>
public sealed class CyclicPlugin
{
    /// <summary>The name the plugin is registered under; the model sees its function as <c>Graph_GetLoop</c>.</summary>
    public const string PluginName = "Graph";

    /// <summary>The name of the plugin's function.</summary>
    public const string FunctionName = "GetLoop";

    /// <summary>The name the model calls the function by.</summary>
    public const string ToolName = PluginName + "_" + FunctionName;

    /// <summary>Gets how many times the function ran.</summary>
    public int Calls { get; private set; }

    /// <summary>Returns a node whose <see cref="LinkedNode.Next"/> is itself.</summary>
    [KernelFunction(FunctionName)]
    [Description("Gets a loop.")]
    public LinkedNode GetLoop()
    {
        Calls++;
        var node = new LinkedNode { Name = "loop" };
        node.Next = node;
        return node;
    }
}
