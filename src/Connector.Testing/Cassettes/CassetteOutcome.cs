namespace YuHuan.Connector.Testing;

/// <summary>How a recorded exchange ended, which a replay reproduces.</summary>
public enum CassetteOutcome
{
    /// <summary>The response body was read to its end.</summary>
    Complete,

    /// <summary>The connection broke while the body was read (a stream cut by the server); the replay sends the bytes
    /// that arrived, then closes the connection the same way.</summary>
    Cut,

    /// <summary>The reader stopped before it saw the end of the body: a client that stops at its protocol's last event (as
    /// YuHuan.Connector does on a stream, whose chunked body has no declared length), cancellation, or a <c>break</c> out of
    /// a stream. The replay sends the bytes that were read, then closes the connection.</summary>
    Abandoned,

    /// <summary>No response arrived (the connection was refused or reset before the headers); the replay resets the
    /// connection.</summary>
    Failed,
}
