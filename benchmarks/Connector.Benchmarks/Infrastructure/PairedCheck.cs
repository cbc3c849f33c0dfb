using System.Diagnostics;
using System.Globalization;
using YuHuan.Connector.Benchmarks.ChatCompletions;
using YuHuan.Connector.Benchmarks.Messages;
using YuHuan.Connector.Benchmarks.Responses;

namespace YuHuan.Connector.Benchmarks.Infrastructure;

/// <summary>
/// <c>--paired [runs]</c>: ours and the floor read the same stream alternately, stream by stream, in one process,
/// so machine noise hits both alike. Prints each side's min and 10th percentile and the ratios; for the
/// ours-to-floor ratio on a shared machine, where the default job's times are mostly queueing.
/// </summary>
internal static class PairedCheck
{
    /// <summary>Runs the check on cases 3A, 3B, 1, 4A and 4B.</summary>
    public static async Task RunAsync(int runs)
    {
        var text = new MessagesTextStream();
        var tools = new MessagesToolCallStream();
        var chat = new ChatCompletionsTextStream();
        var responsesText = new ResponsesTextStream();
        var responsesTools = new ResponsesToolCallStream();
        text.Setup();
        tools.Setup();
        chat.Setup();
        responsesText.Setup();
        responsesTools.Setup();
        await PairAsync("3A Messages text", runs, text.YuHuan, text.Floor);
        await PairAsync("3B Messages tools", runs, tools.YuHuan, tools.Floor);
        await PairAsync("1 Chat Completions text", runs, chat.YuHuan, chat.Floor);
        await PairAsync("4A Responses text", runs, responsesText.YuHuan, responsesText.Floor);
        await PairAsync("4B Responses tools", runs, responsesTools.YuHuan, responsesTools.Floor);
        text.Cleanup();
        tools.Cleanup();
        chat.Cleanup();
        responsesText.Cleanup();
        responsesTools.Cleanup();
    }

    private static async Task PairAsync(string name, int runs, Func<Task<int>> ours, Func<Task<int>> floor)
    {
        for (var i = 0; i < 50; i++)
        {
            await ours();
            await floor();
        }

        var a = new double[runs];
        var b = new double[runs];
        var ratios = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await ours();
            var middle = Stopwatch.GetTimestamp();
            await floor();
            a[i] = Stopwatch.GetElapsedTime(start, middle).TotalMicroseconds;
            b[i] = Stopwatch.GetElapsedTime(middle).TotalMicroseconds;
            ratios[i] = a[i] / b[i];
        }

        Array.Sort(a);
        Array.Sort(b);
        Array.Sort(ratios);
        var p10 = runs / 10;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-24} ours min {a[0],7:F0} p10 {a[p10],7:F0} µs | floor min {b[0],7:F0} p10 {b[p10],7:F0} µs | ours/floor min {a[0] / b[0]:F2} p10 {a[p10] / b[p10]:F2} median pair {ratios[runs / 2]:F2}"));
    }
}
