/// <summary>What the user asks: two turns of the kernel loop, then two turns of the agent, one conversation.</summary>
internal static class Questions
{
    public const string ParisAndTokyo = "What's the weather like in Paris and in Tokyo today?";
    public const string Umbrella = "Which of the two needs an umbrella?";
    public const string Reykjavik = "And what about Reykjavik?";
    public const string SumUp = "Sum that up in one sentence.";
}
