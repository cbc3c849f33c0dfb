using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Http;
using YuHuan.Connector.Testing;
using Xunit.Abstractions;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>
/// Property-based and fuzz tests of a protocol's stream reading, over in-memory replays through the whole
/// client. Every property runs over each protocol of <see cref="TestProtocols"/>, through its <see cref="WireFormat"/>.
/// </summary>
/// <remarks>
/// <see cref="FuzzSettings.Iterations"/> cases per property (10,000 in CI); <c>YUHUAN_FUZZ_ITERATIONS</c> runs more,
/// <c>YUHUAN_FUZZ_SEED</c> replays a printed failure.
/// </remarks>
public sealed class StreamFuzzTests(ITestOutputHelper output)
{
    /// <summary>
    /// A single case must not take longer than this; everything is in memory and a case takes milliseconds, so only a
    /// blow-up (time growing with the square of a case's few kilobytes) comes near it, never a stall of a loaded machine.
    /// </summary>
    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(30);

    /// <summary>The whole property must not take longer than this: a case that never returns is a hang.</summary>
    private static readonly TimeSpan PropertyLimit = TimeSpan.FromMinutes(10);

    private WireFormat? _wire;

    /// <summary>Gets the kit of the protocol under test, which <see cref="UseProtocol"/> set.</summary>
    private WireFormat Wire => _wire ?? throw new InvalidOperationException("The test names its protocol first: UseProtocol(protocol).");

    /// <summary>Sets the protocol under test, whose kit <see cref="Wire"/> then is.</summary>
    private void UseProtocol(YuHuanProtocol protocol) => _wire = TestProtocols.Kit(protocol);

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ValidStream_SplitAtRandomByteBoundaries_YieldsTheSameUpdatesAsWholeDelivery(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        // What the generators produced, counted per case: the closing assertions fail if a generator stopped mixing a kind in.
        var produced = new int[Enum.GetValues<Produced>().Length];
        await SampleAsync(
            Gen.Select(ScriptGenerators.Scripts(Wire), Gen.Int[1, 64].Array[1, 12]),
            (script, chunks) =>
            {
                var body = Wire.RenderBody(script.Reply);
                var whole = ReplayClient.Run(Wire.Protocol, body, []);
                var split = ReplayClient.Run(Wire.Protocol, body, chunks);

                Check(whole.Error is null, $"whole delivery failed: {whole.Error}", body);
                Check(split.Error is null, $"split delivery failed: {split.Error}", body);
                var expected = UpdateSignature.Of(whole.Updates);
                var actual = UpdateSignature.Of(split.Updates);
                Check(expected == actual, $"split delivery differs from whole delivery.\nwhole:\n{expected}\nsplit:\n{actual}", body);
                CheckMatchesScript(script, whole.Updates, body);
                Tally(produced, Produced.Case, true);
                Tally(produced, Produced.Text, script.Text.Length > 0);
                Tally(produced, Produced.Reasoning, script.Reasoning.Length > 0);
                Tally(produced, Produced.ProtectedReasoning, script.ProtectedData.Count > 0);
                Tally(produced, Produced.Call, script.Calls.Count > 0);
                Tally(produced, Produced.SeveralCalls, script.Calls.Count > 1);
                Tally(produced, Produced.Usage, script.Usage is not null);
                Tally(produced, Produced.Hosted, script.Hosted.KeptTypes.Count > 0);
                Tally(produced, Produced.Citation, script.CitationUrls.Count > 0);
            });

        output.WriteLine($"{Wire}: scripts produced {string.Join(", ", Enum.GetValues<Produced>().Select(p => $"{p} {produced[(int)p]}"))}.");
        var cases = AssertRan(produced[(int)Produced.Case]);

        // The generators must really mix in what the protocol renders, or the property checks none of it.
        var rendersHosted = Enum.GetValues<HostedKind>().Any(kind => Wire.ExpectHosted(new HostedSpec(kind, 0, "x")).KeptTypes.Count > 0);
        foreach (var kind in Enum.GetValues<Produced>().Where(p => p != Produced.Case && (rendersHosted || p != Produced.Hosted)))
        {
            Assert.True(produced[(int)kind] > cases / 20, $"only {produced[(int)kind]} of {cases} scripts had {kind}");
        }
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ValidStream_HistoryThroughJson_WritesTheSameNextRequest(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        // Apps keep a conversation as JSON (its messages, or the response as UseDistributedCache keeps it): everything the
        // next turn needs must live in members that serialize, so the restored history writes the live history's request.
        var (withHosted, ran) = (0, 0);
        var iterations = Math.Max(1, FuzzSettings.Iterations / 10);
        await SampleAsync(
            Gen.Select(ScriptGenerators.Scripts(Wire), Gen.Bool),
            (script, asResponse) =>
            {
                var body = Wire.RenderBody(script.Reply);
                var outcome = ReplayClient.Run(Wire.Protocol, body, []);
                Check(outcome.Error is null, $"the stream failed: {outcome.Error}", body);
                var response = outcome.Updates.ToChatResponse();
                var options = AIJsonUtilities.DefaultOptions;
                var restored = asResponse
                    ? JsonSerializer.Deserialize<ChatResponse>(JsonSerializer.Serialize(response, options), options)!.Messages
                    : JsonSerializer.Deserialize<List<ChatMessage>>(JsonSerializer.Serialize(response.Messages, options), options)!;

                var (live, stored) = (NextRequest(response.Messages), NextRequest(restored));
                Check(
                    live.Body is { } a && stored.Body is { } b ? JsonElement.DeepEquals(a, b) : live.Error == stored.Error,
                    $"the history restored from JSON ({(asResponse ? "the response" : "the messages")}) writes another request.\nlive:\n{live}\nstored:\n{stored}",
                    body);
                _ = script.Hosted.KeptTypes.Count > 0 ? Interlocked.Increment(ref withHosted) : 0;
                Interlocked.Increment(ref ran);
            },
            iterations);

        var cases = AssertRan(ran, iterations);
        var rendersHosted = Enum.GetValues<HostedKind>().Any(kind => Wire.ExpectHosted(new HostedSpec(kind, 0, "x")).KeptTypes.Count > 0);
        Assert.True(!rendersHosted || withHosted > cases / 10, $"only {withHosted} of {cases} scripts had hosted or unknown parts");
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task MutatedStream_EndsInAResultOrYuHuanApiException_NeverAnotherExceptionOrHangOrUnboundedMemory(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        var outcomes = new int[2];
        var measured = 0;
        var (ran, changed) = (0, 0);
        var kinds = new int[Enum.GetValues<MutationKind>().Length];
        await SampleAsync(
            Gen.Select(ScriptGenerators.Scripts(Wire), StreamMutator.Mutations, Gen.Int[1, 64].Array[1, 8]),
            (script, mutations, chunks) =>
            {
                var valid = Wire.RenderBody(script.Reply);
                var body = StreamMutator.Apply(valid, mutations, Wire.InterestingLines);
                var outcome = ReplayClient.Run(Wire.Protocol, body, chunks);
                CheckHealthy(outcome, body, $"mutations {string.Join(", ", mutations)}");
                Interlocked.Increment(ref outcomes[outcome.Error is null ? 0 : 1]);
                if (outcome.AllocatedBytes >= 0)
                {
                    Interlocked.Increment(ref measured);
                }

                Interlocked.Increment(ref ran);
                _ = body.AsSpan().SequenceEqual(valid) ? 0 : Interlocked.Increment(ref changed);
                foreach (var mutation in mutations)
                {
                    Interlocked.Increment(ref kinds[(int)mutation.Kind]);
                }
            });

        output.WriteLine($"{Wire}: mutated streams ended in a result {outcomes[0]} times, in YuHuanApiException {outcomes[1]} times; allocations measured in {measured} cases; {changed} bodies changed.");
        var cases = AssertRan(ran);

        // Every kind of damage must really be applied, and change the body, or the property tests a valid stream.
        Assert.True(changed > cases / 2, $"only {changed} of {cases} mutated bodies differ from the valid stream");
        Assert.All(Enum.GetValues<MutationKind>(), kind => Assert.True(kinds[(int)kind] > cases / 50, $"{kind} was applied only {kinds[(int)kind]} times in {cases} cases"));

        // In-memory replays complete on the calling thread, which is what lets each one's allocations be measured.
        Assert.True(measured > cases * 9 / 10, $"allocations were measured in only {measured} of {cases} cases");

        // Both outcomes must really occur, or the mutations are too weak (or too strong) to test anything.
        Assert.True(outcomes[0] > cases / 20, $"only {outcomes[0]} of {cases} mutated streams ended in a result");
        Assert.True(outcomes[1] > cases / 20, $"only {outcomes[1]} of {cases} mutated streams ended in an exception");
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ValidStream_UnknownFieldsAnywhere_ChangeNothing(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        // Servers add fields of their own everywhere ("unknown fields everywhere"): whatever they hold, even names
        // the protocol uses, an unknown field must be skipped whole.
        var (ran, added) = (0, 0);
        await SampleAsync(
            Gen.Select(ScriptGenerators.Scripts(Wire), Gen.Int[0, 1 << 20], Gen.Int[0, 1 << 20], Gen.OneOf([.. Wire.HostileValues, "\"INJECTED as a string\"", "12.5"])),
            (script, linePick, objectPick, value) =>
            {
                var body = Wire.RenderBody(script.Reply);
                var withField = StreamMutator.RewriteEvent(body, linePick, objectPick, value, addProperty: "x_vendor_extension");
                var expected = ReplayClient.Run(Wire.Protocol, body, []);
                var actual = ReplayClient.Run(Wire.Protocol, withField, []);

                Check(actual.Error is null, $"an unknown field made the client fail: {actual.Error}", withField);
                Check(UpdateSignature.Of(expected.Updates) == UpdateSignature.Of(actual.Updates), "an unknown field changed the updates", withField);
                Interlocked.Increment(ref ran);
                _ = withField.AsSpan().SequenceEqual(body) ? 0 : Interlocked.Increment(ref added);
            },
            iterations: Math.Max(1, FuzzSettings.Iterations / 2));

        var cases = AssertRan(ran, Math.Max(1, FuzzSettings.Iterations / 2));
        Assert.True(added > cases * 9 / 10, $"the field was added in only {added} of {cases} streams");
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ValidStream_FieldOfTheWrongType_IsIgnoredNeverReadAsItsContents(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        // A known field holding an object or array where a string or number belongs must be skipped whole:
        // what is inside it must never be read as the event's own fields.
        var (ran, rewritten) = (0, 0);
        await SampleAsync(
            Gen.Select(ScriptGenerators.Scripts(Wire), Gen.Int[0, 1 << 20], Gen.Int[0, 1 << 20], Gen.OneOf([.. Wire.HostileValues])),
            (script, linePick, valuePick, value) =>
            {
                var valid = Wire.RenderBody(script.Reply);
                var body = StreamMutator.RewriteEvent(valid, linePick, valuePick, value);
                var outcome = ReplayClient.Run(Wire.Protocol, body, [7]);
                Interlocked.Increment(ref ran);
                _ = body.AsSpan().SequenceEqual(valid) ? 0 : Interlocked.Increment(ref rewritten);

                CheckHealthy(outcome, body, "a field of the wrong type");
                var leaked = outcome.Updates.SelectMany(u => u.Contents).Where(c => c switch
                {
                    TextContent t => t.Text.Contains(Injected, StringComparison.Ordinal)
                        || (t.Annotations ?? []).OfType<CitationAnnotation>().Any(a => Leaks(a.Url?.OriginalString) || Leaks(a.Title) || Leaks(a.Snippet)),
                    TextReasoningContent r => r.Text.Contains(Injected, StringComparison.Ordinal),
                    FunctionCallContent f => f.Name.Contains(Injected, StringComparison.Ordinal) || f.CallId.Contains(Injected, StringComparison.Ordinal),
                    _ => HostedLeaks(c),
                });
                Check(!leaked.Any(), "the inside of a wrongly typed field was read as content", body);
                Check(!outcome.Updates.Any(u => (u.ResponseId ?? string.Empty).Contains(Injected, StringComparison.Ordinal) || (u.ModelId ?? string.Empty).Contains(Injected, StringComparison.Ordinal)), "the inside of a wrongly typed field was read as an id", body);
            },
            iterations: Math.Max(1, FuzzSettings.Iterations / 2));

        var cases = AssertRan(ran, Math.Max(1, FuzzSettings.Iterations / 2));
        Assert.True(rewritten > cases * 9 / 10, $"a field was rewritten in only {rewritten} of {cases} streams");
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ValidStream_TextOrReasoningOfTheWrongType_FailsAsInvalidResponseOrIsNoText_NeverSilentlyElse(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        // Where a piece of text or reasoning belongs, a value of another type is either refused (the response fails as
        // invalid_response, so text is never silently dropped) or, where the protocol reads text leniently (a string or an
        // array of parts; see WireFormat.RejectsAsText), read as no text. What came before the piece arrives either way,
        // and nothing inside the value is ever read as content.
        var (ran, reasoningCases) = (0, 0);
        var values = new int[WrongTextValues.Length];
        await SampleAsync(
            Gen.Select(ScriptGenerators.Text, ScriptGenerators.Text, Gen.Bool, Gen.OneOf(WrongTextValues), Gen.OneOf("\n", "\r\n", "\r"), Gen.Int[1, 64].Array[1, 8]),
            (before, after, asReasoning, value, lineEnding, chunks) =>
            {
                Interlocked.Increment(ref ran);
                Interlocked.Increment(ref values[Array.IndexOf(WrongTextValues, value)]);
                _ = asReasoning ? Interlocked.Increment(ref reasoningCases) : 0;
                var reply = new EmulatorReply().WithLineEnding(lineEnding).AddText(before, chunkSize: 5);
                _ = asReasoning ? reply.AddReasoning(Marker, chunkSize: Marker.Length) : reply.AddText(Marker, chunkSize: Marker.Length);
                reply.AddText(after, chunkSize: 5);
                var rendered = Encoding.UTF8.GetString(Wire.RenderBody(reply));
                // The first occurrence is the piece; a protocol whose done events repeat the whole text has more,
                // which a client that reads pieces never gets to once the piece failed.
                var at = rendered.IndexOf(MarkerJson, StringComparison.Ordinal);
                Check(at >= 0, "the marker piece is not in the stream", Encoding.UTF8.GetBytes(rendered));
                var body = Encoding.UTF8.GetBytes(string.Concat(rendered.AsSpan(0, at), value, rendered.AsSpan(at + MarkerJson.Length)));

                var outcome = ReplayClient.Run(Wire.Protocol, body, chunks);

                var contents = outcome.Updates.SelectMany(u => u.Contents).ToList();
                var text = string.Concat(contents.OfType<TextContent>().Select(c => c.Text));
                var reasoning = string.Concat(contents.OfType<TextReasoningContent>().Select(c => c.Text));
                Check(!text.Contains(Injected, StringComparison.Ordinal) && !reasoning.Contains(Injected, StringComparison.Ordinal), "the inside of the value was read as text", body);
                if (Wire.RejectsAsText(value, asReasoning))
                {
                    Check(outcome.Error is YuHuanApiException { ErrorType: YuHuanErrorTypes.InvalidResponse }, $"the value was not refused as invalid_response: {outcome.Error?.ToString() ?? "no error"}", body);
                    Check(text == before && reasoning.Length == 0, $"what came before the value did not arrive as it was: text {JsonSerializer.Serialize(text)}", body);
                }
                else
                {
                    Check(outcome.Error is null, $"the value failed the response: {outcome.Error}", body);
                    Check(text == before + after && reasoning.Length == 0, $"the value was not read as no text: text {JsonSerializer.Serialize(text)}, reasoning {JsonSerializer.Serialize(reasoning)}", body);
                }
            });

        var cases = AssertRan(ran);
        Assert.True(reasoningCases > cases / 4 && cases - reasoningCases > cases / 4, $"{reasoningCases} of {cases} pieces were reasoning: both kinds must be tried");
        Assert.All(values, (count, i) => Assert.True(count > cases / (4 * values.Length), $"{WrongTextValues[i]} was tried only {count} times in {cases} cases"));
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task MutatedCompleteResponse_InsteadOfStream_EndsInAResultOrYuHuanApiException(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        // A server that ignores "stream": true answers with one JSON object; damage that object instead.
        var outcomes = new int[2];
        var changed = 0;
        await SampleAsync(
            Gen.Select(ScriptGenerators.Scripts(Wire), StreamMutator.Mutations, Gen.Int[1, 64].Array[1, 8]),
            (script, mutations, chunks) =>
            {
                var json = Wire.RenderCompletion(script.Reply);
                var body = StreamMutator.Apply([.. "data:"u8, .. json], mutations, Wire.InterestingLines);
                body = body.AsSpan().StartsWith("data:"u8) ? body[5..] : body;
                var outcome = ReplayClient.Run(Wire.Protocol, body, chunks, "application/json");
                CheckHealthy(outcome, body, $"mutations {string.Join(", ", mutations)}");
                Interlocked.Increment(ref outcomes[outcome.Error is null ? 0 : 1]);
                _ = body.AsSpan().SequenceEqual(json) ? 0 : Interlocked.Increment(ref changed);
            },
            iterations: Math.Max(1, FuzzSettings.Iterations / 5));

        output.WriteLine($"{Wire}: mutated complete responses ended in a result {outcomes[0]} times, in YuHuanApiException {outcomes[1]} times; {changed} bodies changed.");
        var cases = AssertRan(outcomes[0] + outcomes[1], Math.Max(1, FuzzSettings.Iterations / 5));
        Assert.True(changed > cases / 2, $"only {changed} of {cases} mutated responses differ from the valid one");
        Assert.True(outcomes[0] > cases / 20 && outcomes[1] > cases / 20, $"{outcomes[0]} results and {outcomes[1]} exceptions in {cases} cases: the mutations are too weak or too strong");
    }

    private const string Injected = "INJECTED";

    /// <summary>A text piece no generated text contains, which the wrong-type property replaces.</summary>
    private const string Marker = "WRONG-TYPE-MARKER";

    private const string MarkerJson = "\"" + Marker + "\"";

    /// <summary>Values that are not text (nor null, nor an array of text parts) in a protocol where a text piece belongs.</summary>
    private static readonly string[] WrongTextValues =
    [
        "5", "-1.5", "0", "true", "false", "{}", "[]", "{\"text\":\"INJECTED\"}", "{\"type\":\"text\",\"text\":\"INJECTED\"}", "[5,\"INJECTED\",null]",
    ];

    /// <summary>Counts a case in <paramref name="counts"/> under <paramref name="kind"/> when <paramref name="condition"/> holds.</summary>
    private static void Tally(int[] counts, Produced kind, bool condition)
    {
        if (condition)
        {
            Interlocked.Increment(ref counts[(int)kind]);
        }
    }

    /// <summary>
    /// Checks that the property body really ran for every case asked for (a replay of one printed seed may run fewer) and
    /// returns how many ran, the base the proportions of what the generators produced are measured against.
    /// </summary>
    private static int AssertRan(int ran, long? iterations = null)
    {
        var asked = iterations ?? FuzzSettings.Iterations;
        Assert.True(ran >= asked || (FuzzSettings.Seed is not null && ran > 0), $"the property ran {ran} of {asked} cases");
        return ran;
    }

    private static void CheckHealthy(ReplayOutcome outcome, byte[] body, string what)
    {
        if (outcome.Error is not null and not YuHuanApiException)
        {
            throw new FuzzFailure($"{what}: the client threw {outcome.Error.GetType().Name}, not YuHuanApiException", body, outcome.Error);
        }

        if (outcome.Error is YuHuanApiException api)
        {
            Check(!string.IsNullOrWhiteSpace(api.Message), $"{what}: YuHuanApiException without a message", body);
            Check(!api.ToString().Contains(ReplayClient.ApiKey, StringComparison.Ordinal), $"{what}: the API key shows in the exception", body);
        }

        Check(outcome.Elapsed < CaseLimit, $"{what}: a replay of {body.Length} bytes took {outcome.Elapsed}", body);

        // Nothing may grow beyond what the input can justify: output is bounded by input, and so is the
        // memory a replay allocates (a fixed cost for the client and request, plus a small multiple of the body).
        var textLength = outcome.Updates.Sum(u => u.Contents.Sum(Size));
        Check(textLength <= (2 * body.Length) + 1024, $"{what}: {textLength} characters of content came out of {body.Length} bytes", body);
        Check(outcome.Updates.Count <= body.Length + 2, $"{what}: {outcome.Updates.Count} updates came out of {body.Length} bytes", body);
        Check(outcome.AllocatedBytes < (4 << 20) + (256L * body.Length), $"{what}: a replay of {body.Length} bytes allocated {outcome.AllocatedBytes} bytes", body);
    }

    /// <summary>Writes the request of the turn after <paramref name="reply"/>: a result for each call, then a user's word.</summary>
    private (JsonElement? Body, string? Error) NextRequest(IList<ChatMessage> reply)
    {
        List<ChatMessage> history = [new(ChatRole.User, "hi"), .. reply];
        var results = reply.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Select(c => (AIContent)new FunctionResultContent(c.CallId, "ok")).ToList();
        if (results.Count > 0)
        {
            history.Add(new ChatMessage(ChatRole.Tool, results));
        }

        history.Add(new ChatMessage(ChatRole.User, "next"));
        var protocol = Protocols.Create(new YuHuanChatClientOptions { Protocol = Wire.Protocol });
        var options = Wire.Stateless();
        try
        {
            return (JsonElement.Parse(protocol.CreateCall(new ChatRequest { Messages = history, Options = options, Model = "fuzz-model" }).Body.Span), null);
        }
        catch (ArgumentException ex)
        {
            return (null, ex.Message);
        }
    }

    private static int Size(AIContent content) => content switch
    {
        TextContent t => t.Text.Length,
        TextReasoningContent r => r.Text.Length + (r.ProtectedData?.Length ?? 0),
        FunctionCallContent c => c.Name.Length + c.CallId.Length + ((c.RawRepresentation as string)?.Length ?? 0)
            + (c.Arguments?.Sum(a => a.Key.Length + (a.Value is JsonElement e ? e.GetRawText().Length : 0)) ?? 0),
        ErrorContent e => e.Message.Length,
        _ => 0,
    };

    private void CheckMatchesScript(FuzzScript script, IReadOnlyList<ChatResponseUpdate> updates, byte[] body)
    {
        var response = updates.ToChatResponse();
        var contents = updates.SelectMany(u => u.Contents).ToList();
        Check(string.Concat(contents.OfType<TextContent>().Select(c => c.Text)) == script.Text, "the text differs from the script", body);
        Check(string.Concat(contents.OfType<TextReasoningContent>().Select(c => c.Text)) == script.Reasoning, "the reasoning differs from the script", body);
        var protectedData = contents.OfType<TextReasoningContent>().Select(c => c.ProtectedData).OfType<string>().ToList();
        Check(protectedData.SequenceEqual(script.ProtectedData), $"protected reasoning [{string.Join(", ", protectedData)}] differs from the script's [{string.Join(", ", script.ProtectedData)}]", body);

        var calls = contents.OfType<FunctionCallContent>().ToList();
        Check(calls.Count == script.Calls.Count, $"{calls.Count} calls where the script made {script.Calls.Count}", body);
        for (var i = 0; i < calls.Count; i++)
        {
            var (call, expected) = (calls[i], script.Calls[i]);
            Check(call.Name == expected.Name, $"call {i} is named {call.Name}, not {expected.Name}", body);
            Check(expected.CallId is null ? !string.IsNullOrEmpty(call.CallId) : call.CallId == expected.CallId, $"call {i} has id {call.CallId}, not {expected.CallId}", body);
            Check(call.Exception is null, $"call {i} failed to parse: {call.Exception}", body);
            var actualArguments = JsonSerializer.SerializeToNode(call.Arguments, AIJsonUtilities.DefaultOptions);
            Check(JsonNode.DeepEquals(JsonNode.Parse(expected.ArgumentsJson), actualArguments), $"call {i} has arguments {actualArguments}, not {expected.ArgumentsJson}", body);
        }

        CheckHosted(script, contents, body);

        var usages = contents.OfType<UsageContent>().ToList();
        if (script.Usage is { } u)
        {
            Check(usages.Count == 1, $"{usages.Count} usage contents where one was sent", body);
            var (d, e) = (usages[0].Details, Wire.ExpectedUsage(u));
            Check(
                d.InputTokenCount == e.InputTokenCount && d.OutputTokenCount == e.OutputTokenCount && d.TotalTokenCount == e.TotalTokenCount
                    && d.CachedInputTokenCount == e.CachedInputTokenCount && d.ReasoningTokenCount == e.ReasoningTokenCount
                    && (e.AdditionalCounts ?? []).All(p => d.AdditionalCounts?.GetValueOrDefault(p.Key) == p.Value),
                $"usage {d.InputTokenCount}/{d.OutputTokenCount}/{d.TotalTokenCount}/{d.CachedInputTokenCount}/{d.ReasoningTokenCount} differs from the script's {u}",
                body);
        }
        else
        {
            Check(usages.Count == 0, "usage came out of a stream that sent none", body);
        }

        var finish = Wire.FinishReasonRead(script.FinishReason, script.Calls.Count > 0) switch
        {
            null => (ChatFinishReason?)null,
            "stop" => ChatFinishReason.Stop,
            "length" => ChatFinishReason.Length,
            "tool_calls" => ChatFinishReason.ToolCalls,
            "content_filter" => ChatFinishReason.ContentFilter,
            var other => new ChatFinishReason(other),
        };
        Check(response.FinishReason == finish, $"finish reason {response.FinishReason} where the script sent {script.FinishReason}", body);
        Check(updates.All(x => x.Role == ChatRole.Assistant), "an update is not from the assistant", body);
    }

#pragma warning disable MEAI001 // The hosted tool contents are experimental in Microsoft.Extensions.AI.
    /// <summary>Whether a hosted tool content's ids or names, or a text's citations, hold what was inside a wrongly typed field.</summary>
    private static bool HostedLeaks(AIContent content) => content switch
    {
        McpServerToolCallContent m => Leaks(m.CallId) || Leaks(m.Name) || Leaks(m.ServerName),
        ToolCallContent t => Leaks(t.CallId),
        ToolResultContent r => Leaks(r.CallId),
        ToolApprovalRequestContent a => Leaks(a.RequestId) || HostedLeaks(a.ToolCall),
        _ => false,
    };

    private static bool Leaks(string? value) => value?.Contains(Injected, StringComparison.Ordinal) == true;

    /// <summary>
    /// Checks the hosted tool contents, kept blocks or items and citations against the script: each mapped exactly once,
    /// kept ones carrying the JSON of the scripted type and naming the protocol, and no content the protocol left out.
    /// </summary>
    private void CheckHosted(FuzzScript script, List<AIContent> contents, byte[] body)
    {
        var expected = script.Hosted;
        var calls = contents.Count(c => c is WebSearchToolCallContent or CodeInterpreterToolCallContent or McpServerToolCallContent or ImageGenerationToolCallContent);
        var results = contents.Count(c => c is WebSearchToolResultContent or CodeInterpreterToolResultContent or McpServerToolResultContent or ImageGenerationToolResultContent);
        var approvals = contents.Count(c => c is ToolApprovalRequestContent);
        Check(calls == expected.Calls, $"{calls} hosted tool calls where the script made {expected.Calls}", body);
        Check(results == expected.Results, $"{results} hosted tool results where the script made {expected.Results}", body);
        Check(approvals == expected.Approvals, $"{approvals} approval requests where the script made {expected.Approvals}", body);

        // A cited text block may be kept whole too, so its citations go back with it; it is not a scripted part.
        var kept = contents.Where(c => c.RawRepresentation is JsonElement && c is not TextContent).ToList();
        Check(contents.OfType<TextContent>().All(t => t.RawRepresentation is not JsonElement json || (Wire.IsTextItem(json) && t.Annotations is { Count: > 0 })), "a text content keeps JSON that is not a cited text block", body);
        var keptTypes = kept.Select(c => c.RawRepresentation is JsonElement { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : "(no type)").ToList();
        Check(keptTypes.SequenceEqual(expected.KeptTypes), $"kept [{string.Join(", ", keptTypes)}] where the script sent [{string.Join(", ", expected.KeptTypes)}]", body);
        Check(contents.Where(c => c.RawRepresentation is JsonElement).All(c => c.AdditionalProperties?.GetValueOrDefault("yuhuan_protocol") as string == Wire.Name), $"a kept content does not name {Wire.Name}", body);
        Check(contents.Where(c => c.GetType() == typeof(AIContent)).All(c => c.RawRepresentation is JsonElement), "a plain content carries no JSON", body);

        var citations = contents.OfType<TextContent>().SelectMany(t => t.Annotations ?? []).OfType<CitationAnnotation>().ToList();
        var urls = citations.Select(c => c.Url?.OriginalString ?? "(none)").ToList();
        Check(urls.SequenceEqual(script.CitationUrls), $"citations of [{string.Join(", ", urls)}] where the script cited [{string.Join(", ", script.CitationUrls)}]", body);
    }
#pragma warning restore MEAI001

    private static void Check(bool condition, string message, byte[] body)
    {
        if (!condition)
        {
            throw new FuzzFailure(message, body, null);
        }
    }

    private Task SampleAsync<T1, T2>(Gen<(T1, T2)> gen, Action<T1, T2> property, long? iterations = null) =>
        RunPropertyAsync(iterations ?? FuzzSettings.Iterations, (iter, seed) => gen.Sample(property, iter: iter, seed: seed, writeLine: output.WriteLine));

    private Task SampleAsync<T1, T2, T3>(Gen<(T1, T2, T3)> gen, Action<T1, T2, T3> property, long? iterations = null) =>
        RunPropertyAsync(iterations ?? FuzzSettings.Iterations, (iter, seed) => gen.Sample(property, iter: iter, seed: seed, writeLine: output.WriteLine));

    private Task SampleAsync<T1, T2, T3, T4, T5, T6>(Gen<(T1, T2, T3, T4, T5, T6)> gen, Action<T1, T2, T3, T4, T5, T6> property, long? iterations = null) =>
        RunPropertyAsync(iterations ?? FuzzSettings.Iterations, (iter, seed) => gen.Sample(property, iter: iter, seed: seed, writeLine: output.WriteLine));

    private Task SampleAsync<T1, T2, T3, T4>(Gen<(T1, T2, T3, T4)> gen, Action<T1, T2, T3, T4> property, long? iterations = null) =>
        RunPropertyAsync(iterations ?? FuzzSettings.Iterations, (iter, seed) => gen.Sample(property, iter: iter, seed: seed, writeLine: output.WriteLine));

    private async Task RunPropertyAsync(long iterations, Action<long, string?> sample)
    {
        var watch = Stopwatch.StartNew();
        var run = Task.Run(() => sample(iterations, FuzzSettings.Seed));
        try
        {
            await run.WaitAsync(PropertyLimit);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{Wire}: {iterations} cases did not finish within {PropertyLimit}: a case hangs.");
        }

        output.WriteLine($"{Wire}: {iterations} cases in {watch.Elapsed.TotalSeconds:0.0} s.");
    }

    /// <summary>A property failed; the message carries the offending body so the case can be replayed by hand.</summary>
    private sealed class FuzzFailure(string message, byte[] body, Exception? inner)
        : Exception($"{message}\nbody ({body.Length} bytes): {Escape(body)}", inner)
    {
        private static string Escape(byte[] body)
        {
            var text = new StringBuilder();
            foreach (var b in body.AsSpan(0, Math.Min(body.Length, 4000)))
            {
                text.Append(b is >= 0x20 and < 0x7F and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:X2}");
            }

            return body.Length > 4000 ? text.Append("…").ToString() : text.ToString();
        }
    }
}
