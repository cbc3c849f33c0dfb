using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Benchmarks.Fixtures;

/// <summary>Case 6's input: a 40-message conversation with tool calls and results, and 20 tools.</summary>
internal static class RequestHistory
{
    /// <summary>The number of messages.</summary>
    public const int MessageCount = 40;

    /// <summary>The number of tools.</summary>
    public const int ToolCount = 20;

    /// <summary>
    /// Creates the history: a system message, then rounds of a user question, an assistant turn with two tool
    /// calls, the two tool results, and the assistant's answer, cut at <see cref="MessageCount"/> messages.
    /// </summary>
    public static List<ChatMessage> CreateMessages()
    {
        var messages = new List<ChatMessage>(MessageCount)
        {
            new(ChatRole.System, "You are a travel assistant for YuHuan Studio. Answer briefly, use the tools for facts, and never invent prices or times."),
        };

        for (var round = 0; messages.Count < MessageCount; round++)
        {
            messages.Add(new ChatMessage(ChatRole.User, $"Round {round}: I am flying from Taipei to Paris next week and then on to Tokyo. What will the weather be like on arrival, and which hotels near the station are still free for three nights? 我想要安静的房间。"));
            var first = $"call_r{round}_weather";
            var second = $"call_r{round}_hotels";
            messages.Add(new ChatMessage(ChatRole.Assistant,
            [
                new FunctionCallContent(first, "get_weather", new Dictionary<string, object?> { ["location"] = "Paris, France", ["unit"] = "celsius", ["days"] = 3 }),
                new FunctionCallContent(second, "search_hotels", new Dictionary<string, object?> { ["city"] = "Paris", ["nights"] = 3, ["near"] = "Gare de Lyon", ["max_price"] = 220.5 }),
            ]));
            messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(first, """{"forecast":[{"day":1,"high":14,"low":6,"sky":"cloudy"},{"day":2,"high":16,"low":8,"sky":"sunny"},{"day":3,"high":12,"low":5,"sky":"rain"}]}""")]));
            messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(second, """{"hotels":[{"name":"Hôtel Lumière","price":189,"rating":4.4},{"name":"Le Quai","price":205,"rating":4.1}]}""")]));
            messages.Add(new ChatMessage(ChatRole.Assistant, $"Round {round}: Paris will be cool, 12–16 °C, with rain on the third day. Two quiet hotels near Gare de Lyon are free: Hôtel Lumière at €189 a night (rated 4.4) and Le Quai at €205 (4.1). Shall I book one of them, and do you want the same for Tokyo?"));
        }

        messages.RemoveRange(MessageCount, messages.Count - MessageCount);
        return messages;
    }

    /// <summary>
    /// Creates a short history with one tool round: a question, an assistant turn with one tool call, its result.
    /// Writing the call's arguments nests a second scratch buffer inside the body's, so this row shows whether the
    /// per-thread buffers survive the nesting (a lost buffer costs a fresh 16 KB on every request).
    /// </summary>
    public static List<ChatMessage> CreateToolRound() =>
    [
        new(ChatRole.User, "What will the weather be like in Paris on arrival?"),
        new(ChatRole.Assistant, [new FunctionCallContent("call_weather", "get_weather", new Dictionary<string, object?> { ["location"] = "Paris, France", ["unit"] = "celsius", ["days"] = 3 })]),
        new(ChatRole.Tool, [new FunctionResultContent("call_weather", """{"forecast":[{"day":1,"high":14,"low":6,"sky":"cloudy"}]}""")]),
    ];

    /// <summary>Creates the options of the short history: a token limit and no tools, so the history dominates the body.</summary>
    public static ChatOptions CreateToolRoundOptions() => new() { MaxOutputTokens = 1024 };

    /// <summary>Creates the options: 20 function tools with JSON schemas, a temperature and a token limit.</summary>
    public static ChatOptions CreateOptions()
    {
        var tools = new List<AITool>(ToolCount);
        for (var i = 0; i < ToolCount; i++)
        {
            tools.Add(AIFunctionFactory.CreateDeclaration(
                $"tool_{i:D2}_lookup",
                $"Looks up record kind {i} for the traveller: flights, hotels, weather, trains, museums and restaurants.",
                ToolSchema(i)));
        }

        return new ChatOptions
        {
            Tools = tools,
            ToolMode = ChatToolMode.Auto,
            Temperature = 0.2f,
            MaxOutputTokens = 1024,
        };
    }

    private static JsonElement ToolSchema(int i) => JsonElement.Parse($$"""
        {
          "type": "object",
          "properties": {
            "query": { "type": "string", "description": "What to look up, in the traveller's words." },
            "city": { "type": "string", "description": "The city, in English." },
            "date": { "type": "string", "format": "date", "description": "The day, as YYYY-MM-DD." },
            "limit": { "type": "integer", "minimum": 1, "maximum": {{10 + i}} },
            "kind": { "type": "string", "enum": ["flight", "hotel", "weather", "train", "museum", "restaurant"] }
          },
          "required": ["query", "city"],
          "additionalProperties": false
        }
        """);
}
