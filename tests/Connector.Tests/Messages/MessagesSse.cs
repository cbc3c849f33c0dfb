using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>
/// Builds Anthropic Messages event streams (<c>event:</c> and <c>data:</c> lines, then a blank line) for replay tests,
/// and runs them through a client speaking <see cref="YuHuanProtocol.Messages"/>. String arguments named
/// <c>json…</c> are the content of a JSON string exactly as it goes on the wire (escapes included).
/// </summary>
internal static class MessagesSse
{
    public const string MessageId = "msg_01XFDUDYJgAACzvnptvVoYEL";

    public const string Model = "claude-test-1";

    /// <summary>The usage of a <c>message_start</c> with nothing cached; its <c>output_tokens</c> is the usual placeholder.</summary>
    public const string StartUsage = """{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}""";

    public const string MessageStop = """{"type":"message_stop"}""";

    public const string Ping = """{"type": "ping"}""";

    /// <summary>
    /// The delivery matrix: every line ending (<c>\n</c>, <c>\r\n</c>, <c>\r</c>) whole and one byte per read.
    /// <see cref="Sse.Deliveries"/> plus the one pair it leaves out, <c>\r</c> delivered whole.
    /// </summary>
    public static TheoryData<string, int> Deliveries
    {
        get
        {
            var deliveries = Sse.Deliveries;
            deliveries.Add("\r", int.MaxValue);
            return deliveries;
        }
    }

    /// <summary>
    /// Joins events with <paramref name="eol"/> (<see cref="Sse.Stream"/>'s framing). A JSON object becomes an <c>event:</c>
    /// line named after its <c>type</c> field and a <c>data:</c> line; an item starting with <c>:</c> (a comment) or
    /// <c>event:</c> is written as one line; an item starting with <c>data:</c> is written as it is and ends an event (an
    /// event without an <c>event:</c> line).
    /// </summary>
    public static string Stream(string eol, params string[] events) =>
        Sse.Stream(eol, [.. events.SelectMany(e => e.StartsWith(':') || e.StartsWith("event:", StringComparison.Ordinal) || e.StartsWith("data:", StringComparison.Ordinal)
            ? new[] { e }
            : Sse.Event(Sse.TypeOf(e), e))]);

    /// <summary>A whole message: <c>message_start</c>, the given block events, <c>message_delta</c> with <paramref name="stopReason"/>, <c>message_stop</c>.</summary>
    public static string Message(string eol, string stopReason, params string[] blockEvents) =>
        Stream(eol, [MessageStart(), .. blockEvents, MessageDelta(stopReason), MessageStop]);

    public static string MessageStart(string id = MessageId, string model = Model, string usage = StartUsage) =>
        $$$"""{"type":"message_start","message":{"id":"{{{id}}}","type":"message","role":"assistant","model":"{{{model}}}","content":[],"stop_reason":null,"stop_sequence":null,"usage":{{{usage}}}}}""";

    public static string BlockStart(int index, string contentBlock) =>
        $$"""{"type":"content_block_start","index":{{Index(index)}},"content_block":{{contentBlock}}}""";

    public static string Delta(int index, string delta) =>
        $$"""{"type":"content_block_delta","index":{{Index(index)}},"delta":{{delta}}}""";

    public static string BlockStop(int index) => $$"""{"type":"content_block_stop","index":{{Index(index)}}}""";

    public static string TextStart(int index) => BlockStart(index, """{"type":"text","text":""}""");

    public static string TextDelta(int index, string jsonText) => Delta(index, $$"""{"type":"text_delta","text":"{{jsonText}}"}""");

    public static string ThinkingStart(int index, bool withSignatureField = true) =>
        BlockStart(index, withSignatureField ? """{"type":"thinking","thinking":"","signature":""}""" : """{"type":"thinking","thinking":""}""");

    public static string ThinkingDelta(int index, string jsonThinking) => Delta(index, $$"""{"type":"thinking_delta","thinking":"{{jsonThinking}}"}""");

    public static string SignatureDelta(int index, string signature) => Delta(index, $$"""{"type":"signature_delta","signature":"{{signature}}"}""");

    public static string ToolUseStart(int index, string id, string name, string input = "{}") =>
        BlockStart(index, $$"""{"type":"tool_use","id":"{{id}}","name":"{{name}}","input":{{input}}}""");

    public static string InputJsonDelta(int index, string jsonPartial) => Delta(index, $$"""{"type":"input_json_delta","partial_json":"{{jsonPartial}}"}""");

    public static string MessageDelta(string? stopReason, string usage = """{"output_tokens":5}""") =>
        $$"""{"type":"message_delta","delta":{"stop_reason":{{(stopReason is null ? "null" : "\"" + stopReason + "\"")}},"stop_sequence":null},"usage":{{usage}}}""";

    public static string Error(string type, string message) => $$$"""{"type":"error","error":{"type":"{{{type}}}","message":"{{{message}}}"}}""";

    /// <summary>Points a client at the Messages protocol.</summary>
    public static void UseMessages(YuHuanChatClientOptions options) => options.Protocol = YuHuanProtocol.Messages;

    /// <summary>Streams <paramref name="sse"/> through a Messages client, <paramref name="chunk"/> bytes per read, and collects the updates.</summary>
    public static Task<List<ChatResponseUpdate>> CollectAsync(string sse, int chunk) => ReplayHandler.CollectAsync(sse, chunk, UseMessages);

    /// <summary>Streams <paramref name="sse"/>, which must fail: returns the updates yielded before the failure and the failure.</summary>
    public static async Task<(List<ChatResponseUpdate> Received, YuHuanApiException Failure)> CollectUntilFailureAsync(string sse, int chunk)
    {
        using var client = new ReplayHandler(sse, chunk: chunk).CreateClient(UseMessages);
        var received = new List<ChatResponseUpdate>();
        var failure = await Assert.ThrowsAsync<YuHuanApiException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
                received.Add(update);
            }
        });
        return (received, failure);
    }

    /// <summary>Answers one non-streamed request with <paramref name="json"/>.</summary>
    public static async Task<ChatResponse> GetResponseAsync(string json)
    {
        using var client = new ReplayHandler(json, "application/json").CreateClient(UseMessages);
        return await client.GetResponseAsync("hi");
    }

    /// <summary>Every update names the message of <see cref="MessageStart"/>: response and message id, model and the assistant role.</summary>
    public static void AssertIdentity(IEnumerable<ChatResponseUpdate> updates, string id = MessageId, string model = Model) =>
        Assert.All(updates, u =>
        {
            Assert.Equal(id, u.ResponseId);
            Assert.Equal(id, u.MessageId);
            Assert.Equal(model, u.ModelId);
            Assert.Equal(ChatRole.Assistant, u.Role);
        });

    public static List<T> All<T>(IEnumerable<ChatResponseUpdate> updates) => updates.SelectMany(u => u.Contents).OfType<T>().ToList();

    /// <summary>Gets an argument of a call as the <see cref="JsonElement"/> it was parsed into.</summary>
    public static JsonElement Argument(FunctionCallContent call, string name) => Assert.IsType<JsonElement>(call.Arguments![name]);

    private static string Index(int index) => index.ToString(CultureInfo.InvariantCulture);
}
