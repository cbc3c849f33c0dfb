namespace YuHuan.Connector.Testing;

/// <summary>
/// A cassette being recorded to a file: the exchanges finished so far, in the order their requests were sent, written to
/// the file whole after each one finishes. Shared by every <see cref="CassetteRecorder"/> of a session. Thread-safe.
/// </summary>
internal sealed class CassetteRecording
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<int, CassetteExchange> _finished = [];
    private int _sent;
    private Exception? _saveFailure;

    /// <summary>Starts a recording, replacing the file with an empty cassette.</summary>
    public CassetteRecording(string path, CassetteOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        Path = path;
        Options = options;
        SecretFields = FieldPattern.ParseAll(options.SecretFields, nameof(options));
        Snapshot().Save(path);
    }

    /// <summary>Gets the file written.</summary>
    public string Path { get; }

    /// <summary>Gets the options: secrets and the headers to record.</summary>
    public CassetteOptions Options { get; }

    /// <summary>Gets the secret fields, read once.</summary>
    public FieldPattern[] SecretFields { get; }

    /// <summary>Numbers a request about to be sent.</summary>
    public int Begin() => Interlocked.Increment(ref _sent);

    /// <summary>Keeps a finished exchange and rewrites the file.</summary>
    /// <remarks>Called as a body ends, from the reader's read or dispose: a file that cannot be written does not fail that
    /// read; the failure is kept and thrown by <see cref="ThrowIfSaveFailed"/> (the next request, the session's end).</remarks>
    public void Finish(int number, CassetteExchange exchange)
    {
        lock (_gate)
        {
            _finished[number] = exchange;
            try
            {
                Snapshot().Save(Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _saveFailure ??= ex;
            }
        }
    }

    /// <summary>Throws when an exchange could not be written to the file.</summary>
    /// <exception cref="IOException">The file could not be written; the inner exception says why.</exception>
    public void ThrowIfSaveFailed()
    {
        if (Volatile.Read(ref _saveFailure) is { } failure)
        {
            throw new IOException($"The cassette '{Path}' could not be written: {failure.Message}", failure);
        }
    }

    /// <summary>Gets the exchanges finished so far.</summary>
    public Cassette Snapshot()
    {
        lock (_gate)
        {
            return new Cassette([.. _finished.Values]);
        }
    }
}
