namespace YuHuan.Connector.Testing;

/// <summary>What an <see cref="EmulatorReply"/> sends back.</summary>
internal enum ReplyKind
{
    /// <summary>A scripted model answer rendered in the request's protocol.</summary>
    Scripted,

    /// <summary>A JSON error body with a non-success status code.</summary>
    HttpError,

    /// <summary>A status, content type and body sent verbatim.</summary>
    Raw,

    /// <summary>No response at all: the connection is aborted before a status line is sent.</summary>
    Reset,
}
