using YuHuan.Samples.AspNetCore;

await using var chat = await ChatApp.CreateAsync(args);
await chat.App.RunAsync();
