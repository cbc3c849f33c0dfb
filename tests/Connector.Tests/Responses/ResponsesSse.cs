using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Responses;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>
/// Builds OpenAI Responses events (the JSON of one <c>data:</c> line each) and feeds them straight into a
/// <see cref="ResponsesStreamMapper"/>, the event type taken from the <c>event:</c> line a server would send (the JSON's
/// <c>type</c>) or, with <c>eventLines: false</c>, left to the payload. String arguments named <c>json…</c> are the
/// content of a JSON string exactly as it goes on the wire (escapes included).
/// </summary>
internal static class ResponsesSse
{
    public const string ResponseId = "resp_68af4030592c81938ec0a5fbab4a3e9a";

    public const string Model = "gpt-test-1";

    public const long CreatedAtSeconds = 1756315696;

    public const string Usage = """{"input_tokens":120,"input_tokens_details":{"cached_tokens":64},"output_tokens":80,"output_tokens_details":{"reasoning_tokens":32},"total_tokens":200}""";

    /// <summary>The <c>tools</c> a response object echoes from the request.</summary>
    public const string Tools = """[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}]""";

    public static DateTimeOffset CreatedAt => DateTimeOffset.FromUnixTimeSeconds(CreatedAtSeconds);

    public static ResponsesStreamMapper NewMapper(bool stored = true, bool background = false, ResponsesContinuationToken? resumed = null) =>
        new(stored, background, resumed);

    /// <summary>A <c>response</c> object as the header events carry it: in progress, no output, no usage.</summary>
    public static string ResponseObject(string id = ResponseId, string status = "in_progress", string output = "[]", string usage = "null", string extra = "") =>
        "{\"id\":\"" + id + "\",\"object\":\"response\",\"created_at\":" + CreatedAtSeconds.ToString(CultureInfo.InvariantCulture)
        + ",\"status\":\"" + status + "\",\"background\":false,\"error\":null,\"incomplete_details\":null,\"instructions\":null,\"model\":\""
        + Model + "\",\"output\":" + output
        + ""","parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":"medium","summary":"auto"},"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":"""
        + Tools + ""","top_p":1.0,"truncation":"disabled","usage":""" + usage + ""","user":null,"metadata":{}""" + extra + "}";

    public static string Created(string id = ResponseId) => $$"""{"type":"response.created","response":{{ResponseObject(id)}}}""";

    public static string InProgress(string id = ResponseId) => $$"""{"type":"response.in_progress","response":{{ResponseObject(id)}}}""";

    public static string Added(int index, string item) => $$"""{"type":"response.output_item.added","output_index":{{I(index)}},"item":{{item}}}""";

    public static string Done(int index, string item) => $$"""{"type":"response.output_item.done","output_index":{{I(index)}},"item":{{item}}}""";

    public static string MessageItem(string id, string status = "in_progress", string content = "[]", string? phase = null) =>
        $$"""{"id":"{{id}}","type":"message","status":"{{status}}","content":{{content}},{{(phase is null ? string.Empty : "\"phase\":\"" + phase + "\",")}}"role":"assistant"}""";

    public static string OutputText(string jsonText) => $$"""{"type":"output_text","annotations":[],"logprobs":[],"text":"{{jsonText}}"}""";

    public static string ReasoningItem(string id, string summary = "[]", string? encrypted = null, string? content = null) =>
        $$"""{"id":"{{id}}","type":"reasoning",{{(encrypted is null ? string.Empty : "\"encrypted_content\":\"" + encrypted + "\",")}}{{(content is null ? string.Empty : "\"content\":" + content + ",")}}"summary":{{summary}}}""";

    public static string SummaryText(string jsonText) => $$"""{"type":"summary_text","text":"{{jsonText}}"}""";

    public static string FunctionCallItem(string id, string callId, string name, string jsonArguments = "", string status = "in_progress") =>
        $$"""{"id":"{{id}}","type":"function_call","status":"{{status}}","arguments":"{{jsonArguments}}","call_id":"{{callId}}","name":"{{name}}"}""";

    public static string TextDelta(int index, string itemId, string jsonDelta) =>
        $$"""{"type":"response.output_text.delta","item_id":"{{itemId}}","output_index":{{I(index)}},"content_index":0,"delta":"{{jsonDelta}}","logprobs":[],"obfuscation":"x1Yz"}""";

    public static string SummaryDelta(int index, string itemId, string jsonDelta) =>
        $$"""{"type":"response.reasoning_summary_text.delta","item_id":"{{itemId}}","output_index":{{I(index)}},"summary_index":0,"delta":"{{jsonDelta}}","obfuscation":"q9"}""";

    public static string ReasoningTextDelta(int index, string itemId, string jsonDelta) =>
        $$"""{"type":"response.reasoning_text.delta","item_id":"{{itemId}}","output_index":{{I(index)}},"content_index":0,"delta":"{{jsonDelta}}"}""";

    public static string ArgumentsDelta(int index, string itemId, string jsonDelta) =>
        $$"""{"type":"response.function_call_arguments.delta","item_id":"{{itemId}}","output_index":{{I(index)}},"delta":"{{jsonDelta}}","obfuscation":"ab"}""";

    public static string ArgumentsDone(int index, string itemId, string jsonArguments, string? name = null) =>
        $$"""{"type":"response.function_call_arguments.done","item_id":"{{itemId}}","output_index":{{I(index)}},{{(name is null ? string.Empty : "\"name\":\"" + name + "\",")}}"arguments":"{{jsonArguments}}"}""";

    public static string RefusalDelta(int index, string itemId, string jsonDelta) =>
        $$"""{"type":"response.refusal.delta","item_id":"{{itemId}}","output_index":{{I(index)}},"content_index":0,"delta":"{{jsonDelta}}"}""";

    public static string RefusalDone(int index, string itemId, string jsonRefusal) =>
        $$"""{"type":"response.refusal.done","item_id":"{{itemId}}","output_index":{{I(index)}},"content_index":0,"refusal":"{{jsonRefusal}}"}""";

    public static string Completed(string output = "[]", string usage = Usage, string id = ResponseId, string extra = "") =>
        $$"""{"type":"response.completed","response":{{ResponseObject(id, "completed", output, usage, extra)}}}""";

    public static string Incomplete(string reason, string usage = Usage) =>
        $$"""{"type":"response.incomplete","response":{{ResponseObject(ResponseId, "incomplete", "[]", usage).Replace("\"incomplete_details\":null", "\"incomplete_details\":{\"reason\":\"" + reason + "\"}", StringComparison.Ordinal)}}}""";

    public static string Failed(string code, string message) =>
        $$"""{"type":"response.failed","response":{{ResponseObject(ResponseId, "failed").Replace("\"error\":null", "\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}", StringComparison.Ordinal)}}}""";

    /// <summary>Adds <c>sequence_number</c> 0, 1, 2… (from <paramref name="from"/>) as the last field of each event.</summary>
    public static string[] Numbered(long from, params string[] events)
    {
        var numbered = new string[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            numbered[i] = WithSequence(events[i], from + i);
        }

        return numbered;
    }

    public static string WithSequence(string json, long sequence) =>
        string.Concat(json.AsSpan(0, json.Length - 1), ",\"sequence_number\":", sequence.ToString(CultureInfo.InvariantCulture), "}");

    /// <summary>Feeds the events, in order, and returns the updates the mapper gave.</summary>
    public static List<ChatResponseUpdate> Feed(ResponsesStreamMapper mapper, params string[] events) => Feed(mapper, eventLines: true, events);

    /// <summary>Feeds the events, with or without the <c>event:</c> line (then the event type is the SSE default, <c>message</c>), and ends the stream.</summary>
    public static List<ChatResponseUpdate> Feed(ResponsesStreamMapper mapper, bool eventLines, params string[] events)
    {
        var updates = Push(mapper, eventLines, events);
        if (mapper.OnEndOfStream() is { } last)
        {
            updates.Add(last);
        }

        return updates;
    }

    /// <summary>Feeds the events without ending the stream (more may follow) and returns the updates the mapper gave.</summary>
    public static List<ChatResponseUpdate> Push(ResponsesStreamMapper mapper, params string[] events) => Push(mapper, eventLines: true, events);

    /// <summary>Feeds the events, with or without the <c>event:</c> line, without ending the stream.</summary>
    public static List<ChatResponseUpdate> Push(ResponsesStreamMapper mapper, bool eventLines, params string[] events)
    {
        var updates = new List<ChatResponseUpdate>();
        foreach (var e in events)
        {
            if (mapper.OnEvent(eventLines ? Encoding.UTF8.GetBytes(Sse.TypeOf(e)) : default, Encoding.UTF8.GetBytes(e)) is { } update)
            {
                updates.Add(update);
            }
        }

        return updates;
    }

    /// <summary>Feeds events that must fail: returns the updates given before the failure and the failure.</summary>
    public static (List<ChatResponseUpdate> Received, YuHuanApiException Failure) FeedUntilFailure(ResponsesStreamMapper mapper, params string[] events)
    {
        var received = new List<ChatResponseUpdate>();
        var failure = Assert.Throws<YuHuanApiException>(() =>
        {
            foreach (var e in events)
            {
                if (mapper.OnEvent(Encoding.UTF8.GetBytes(Sse.TypeOf(e)), Encoding.UTF8.GetBytes(e)) is { } update)
                {
                    received.Add(update);
                }
            }

            mapper.OnEndOfStream();
        });
        return (received, failure);
    }

    /// <summary>Reads one complete response object.</summary>
    public static List<ChatResponseUpdate> Read(string json, ResponsesStreamMapper? mapper = null)
    {
        var updates = new List<ChatResponseUpdate>();
        (mapper ?? NewMapper()).ReadResponse(Encoding.UTF8.GetBytes(json), updates);
        return updates;
    }

    public static List<T> All<T>(IEnumerable<ChatResponseUpdate> updates) => updates.SelectMany(u => u.Contents).OfType<T>().ToList();

    /// <summary>Gets an argument of a call as the <see cref="JsonElement"/> it was parsed into.</summary>
    public static JsonElement Argument(FunctionCallContent call, string name) => Assert.IsType<JsonElement>(call.Arguments![name]);

    /// <summary>Gets the reasoning item id a piece carries, or <see langword="null"/>.</summary>
    public static object? ItemIdOf(AIContent content) =>
        content.AdditionalProperties is { } properties && properties.TryGetValue(ResponsesKeys.ItemId, out var id) ? id : null;

    /// <summary>Every update names the response, model, creation time and the assistant role.</summary>
    public static void AssertIdentity(IEnumerable<ChatResponseUpdate> updates, string id = ResponseId) =>
        Assert.All(updates, u =>
        {
            Assert.Equal(id, u.ResponseId);
            Assert.Equal(Model, u.ModelId);
            Assert.Equal(CreatedAt, u.CreatedAt);
            Assert.Equal(ChatRole.Assistant, u.Role);
        });

    private static string I(int index) => index.ToString(CultureInfo.InvariantCulture);
}
