namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>What a generated script holds, as the fuzz suites count it to check the generators really produce it.</summary>
internal enum Produced
{
    /// <summary>Any case (the count of cases run).</summary>
    Case,

    /// <summary>Answer text.</summary>
    Text,

    /// <summary>Reasoning text.</summary>
    Reasoning,

    /// <summary>A signature or redacted reasoning.</summary>
    ProtectedReasoning,

    /// <summary>A tool call.</summary>
    Call,

    /// <summary>More than one tool call.</summary>
    SeveralCalls,

    /// <summary>Usage counts.</summary>
    Usage,

    /// <summary>A hosted-tool or unknown part the protocol renders.</summary>
    Hosted,

    /// <summary>A citation.</summary>
    Citation,
}
