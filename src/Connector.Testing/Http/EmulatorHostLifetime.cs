using Microsoft.Extensions.Hosting;

namespace YuHuan.Connector.Testing;

/// <summary>
/// The emulator's host lifetime: none of the process's own. The default console lifetime would take over Ctrl+C and
/// SIGTERM (stopping only the emulator and keeping the process alive); the emulator leaves the signals to the process
/// that hosts it and stops when it is disposed.
/// </summary>
internal sealed class EmulatorHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
