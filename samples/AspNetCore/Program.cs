using Microsoft.Extensions.Options;
using YuHuan.Samples.AspNetCore;

await using var chat = await ChatApp.CreateAsync(args);
var environment = chat.App.Environment.EnvironmentName;
try
{
    await chat.App.RunAsync();
}
catch (OptionsValidationException ex)
{
    // A setting the app cannot start without, such as YuHuan:ApiKey outside Development: the message names it.
    Console.Error.WriteLine($"The app cannot start ({environment}): {ex.Message}");
    return 1;
}

return 0;
