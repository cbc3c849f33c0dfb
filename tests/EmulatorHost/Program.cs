// Starts the emulator, prints its endpoint and waits for ever: the process ends only when a signal ends it.
using YuHuan.Connector.Testing;

await using var emulator = await YuHuanEmulator.StartAsync();
Console.WriteLine(emulator.Endpoint);
await Task.Delay(Timeout.Infinite);
