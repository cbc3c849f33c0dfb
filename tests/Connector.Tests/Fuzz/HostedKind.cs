namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>The kinds of hosted-tool and unknown parts a generated script mixes in, one per emulator script call.</summary>
internal enum HostedKind
{
    /// <summary><see cref="Testing.EmulatorReply.AddWebSearch"/>.</summary>
    WebSearch,

    /// <summary><see cref="Testing.EmulatorReply.AddWebFetch"/>.</summary>
    WebFetch,

    /// <summary><see cref="Testing.EmulatorReply.AddFileSearch"/>.</summary>
    FileSearch,

    /// <summary><see cref="Testing.EmulatorReply.AddCodeExecution"/>, Python code.</summary>
    CodeExecution,

    /// <summary><see cref="Testing.EmulatorReply.AddCodeExecution"/> with <c>bash: true</c>.</summary>
    BashExecution,

    /// <summary><see cref="Testing.EmulatorReply.AddMcpCall"/> with a result (an output or an error).</summary>
    McpCall,

    /// <summary><see cref="Testing.EmulatorReply.AddMcpCall"/> without a result.</summary>
    McpCallWithoutResult,

    /// <summary><see cref="Testing.EmulatorReply.AddMcpApprovalRequest"/>.</summary>
    McpApproval,

    /// <summary><see cref="Testing.EmulatorReply.AddImageGeneration"/>.</summary>
    ImageGeneration,

    /// <summary><see cref="Testing.EmulatorReply.AddRawItem"/>: a block or item of a type no client knows.</summary>
    Raw,
}
