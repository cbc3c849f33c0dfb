using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Threading.Channels;

namespace YuHuan.Connector.Samples.Tests;

/// <summary>
/// A built program of this repository (a sample, or a test host) run as a separate process with <c>dotnet</c>, its
/// output read as it comes, so a test can wait for some text, send a signal with <c>kill</c> and wait for the
/// exit as a person at a terminal would see it.
/// </summary>
internal sealed class SampleProcess : IDisposable
{
    /// <summary>How long a program may take to start, print, or exit after a signal: generous, never a sleep.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private readonly Process _process;
    private readonly Channel<bool> _changes = Channel.CreateUnbounded<bool>();
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Task _reading;

    private SampleProcess(Process process)
    {
        _process = process;
        _reading = Task.WhenAll(ReadAsync(process.StandardOutput, _output, _changes), ReadAsync(process.StandardError, _error, null));
    }

    /// <summary>Gets the process id.</summary>
    public int Id => _process.Id;

    /// <summary>Starts <c>{project}/bin/{configuration}/net10.0/{project}.dll</c> of the folder <paramref name="directory"/>.</summary>
    /// <param name="directory">The project's folder from the repository root, such as <c>samples/Quickstart</c>.</param>
    /// <param name="environment">Variables to set (a <see langword="null"/> value removes one).</param>
    /// <param name="arguments">The program's arguments.</param>
    public static SampleProcess Start(string directory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var configuration = typeof(SampleProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var name = Path.GetFileName(directory);
        var dll = Path.Combine(SamplesBuildTests.RepositoryRoot(), directory, "bin", configuration, "net10.0", name + ".dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = SamplesBuildTests.RepositoryRoot(),
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // What the machine's environment would add: the program must see only what the test gives it.
        foreach (var variable in new[] { "YUHUAN_API_KEY", "YUHUAN_ENDPOINT", "YUHUAN_MODEL", "YUHUAN_PROTOCOL" })
        {
            start.Environment.Remove(variable);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        return new SampleProcess(Process.Start(start)!);
    }

    /// <summary>Runs the program to its end.</summary>
    /// <returns>Its exit code, standard output and standard error.</returns>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string directory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        using var process = Start(directory, environment, arguments);
        var exitCode = await process.WaitForExitAsync();
        return (exitCode, process.Output, process.Error);
    }

    /// <summary>Gets what the program wrote to standard output so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Gets what the program wrote to standard error so far.</summary>
    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Reads standard output until what it holds so far contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            while (!Output.Contains(text, StringComparison.Ordinal))
            {
                if (!await _changes.Reader.WaitToReadAsync(timeout.Token))
                {
                    Assert.Fail($"The program ended without writing '{text}'. Output: {Output} Error: {Error}");
                }

                _changes.Reader.TryRead(out _);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"'{text}' was not written within {Patience}. Output: {Output} Error: {Error}");
        }
    }

    /// <summary>Sends a signal (<c>INT</c>, <c>TERM</c>) with <c>kill</c>, as Ctrl+C or a service manager would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the program to end; fails (and kills it) when it does not within <see cref="Patience"/>.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"The program was still running after {Patience}. Output: {Output} Error: {Error}");
        }

        await _reading;
        return _process.ExitCode;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static async Task ReadAsync(StreamReader reader, StringBuilder text, Channel<bool>? changes)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (text)
            {
                text.Append(buffer, 0, read);
            }

            changes?.Writer.TryWrite(true);
        }

        changes?.Writer.TryComplete();
    }
}
