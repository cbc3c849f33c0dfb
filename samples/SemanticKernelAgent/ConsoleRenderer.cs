using Microsoft.Extensions.AI;

/// <summary>Prints streamed reasoning (grey), answer text and tool activity (cyan) as they arrive.</summary>
internal static class ConsoleRenderer
{
    private static bool s_inReasoning;
    private static bool s_midLine;

    public static void Heading(string text)
    {
        EndLine();
        Console.WriteLine();
        Console.WriteLine($"=== {text} ===");
    }

    public static void User(string text)
    {
        EndLine();
        Console.WriteLine();
        Console.WriteLine($"user> {text}");
    }

    public static void Reasoning(string text)
    {
        if (!s_inReasoning)
        {
            EndLine();
            Console.ForegroundColor = ConsoleColor.DarkGray;
            Console.Write("[thinking] ");
            s_inReasoning = true;
        }

        Write(text);
    }

    public static void Text(string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (s_inReasoning)
        {
            EndLine();
        }

        if (!s_midLine)
        {
            Console.Write("assistant> ");
        }

        Write(text);
    }

    public static void Note(string text)
    {
        EndLine();
        Console.ForegroundColor = ConsoleColor.Cyan;
        Console.WriteLine(text);
        Console.ResetColor();
    }

    public static void EndTurn(UsageDetails? usage)
    {
        EndLine();
        if (usage is not null)
        {
            Console.ForegroundColor = ConsoleColor.DarkGray;
            Console.WriteLine($"[usage] input {usage.InputTokenCount}, output {usage.OutputTokenCount} (reasoning {usage.ReasoningTokenCount ?? 0})");
            Console.ResetColor();
        }
    }

    private static void Write(string text)
    {
        Console.Write(text);
        s_midLine = true;
    }

    private static void EndLine()
    {
        Console.ResetColor();
        if (s_midLine)
        {
            Console.WriteLine();
        }

        s_midLine = false;
        s_inReasoning = false;
    }
}
