using System.IO.Compression;
using System.Net;
using System.Text.Json;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Testing;

/// <summary>The live emulator over loopback in every protocol, hit with a plain <see cref="HttpClient"/>: which paths it
/// serves, and that it sends exactly the bytes its renderers and framing produce. Each protocol's own shapes (its errors,
/// its complete responses) are checked in its Emulator folder.</summary>
public sealed class YuHuanEmulatorTests : LoopbackEmulatorTestBase
{
    private const string Answer = "Hello from the gateway.";

    /// <summary>Gets paths no protocol is served at: a route without the base path or under another version, a route's first segment alone, and paths below a route.</summary>
    public static TheoryData<string> UnservedPaths
    {
        get
        {
            var data = new TheoryData<string> { "/v1/" };
            foreach (var kit in TestProtocols.Kits)
            {
                data.Add("/" + kit.RelativePath);
                data.Add("/v2/" + kit.RelativePath);

                // Below a route: one segment is a resource where the protocol serves any, so two segments there.
                data.Add(kit.Path + (ServesResources(kit) ? "/id/below" : "/extra"));
                if (kit.RelativePath.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash)
                {
                    data.Add("/v1/" + kit.RelativePath[..slash]);
                }
            }

            return data;
        }
    }

    /// <summary>Gets each protocol's route joined as it is, with a trailing slash, and with every slash doubled.</summary>
    public static TheoryData<YuHuanProtocol, string> RouteSpellings
    {
        get
        {
            var data = new TheoryData<YuHuanProtocol, string>();
            foreach (var kit in TestProtocols.Kits)
            {
                data.Add(kit.Protocol, kit.Path);
                data.Add(kit.Protocol, kit.Path + "/");
                data.Add(kit.Protocol, kit.Path.Replace("/", "//", StringComparison.Ordinal));
            }

            return data;
        }
    }

    /// <summary>Gets every protocol with each line ending, gzipped or not.</summary>
    public static TheoryData<YuHuanProtocol, string, bool> Framings => TestProtocols.Cross(new TheoryData<string, bool>
    {
        { "\n", false },
        { "\r\n", true },
        { "\r", true },
    });

    [Theory]
    [MemberData(nameof(UnservedPaths))]
    public async Task Post_PathTheGatewayDoesNotServe_Is404InTheDefaultProtocolsShape(string path)
    {
        var defaultKit = TestProtocols.Kits.Single(kit => kit.Renderer == EmulatorProtocols.All[0]);
        var message = $"Unknown path '{path}'; the emulator serves {string.Join(" and ", TestProtocols.Kits.Select(kit => kit.Path))}.";

        using var response = await PostAsync(path, LiveExchange.Request(defaultKit, stream: false));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        JsonAssert.Equal(defaultKit.ErrorBody(message, "not_found_error", codeJson: null), await response.Content.ReadAsStringAsync());
        Assert.Single(Emulator.Requests);
    }

    [Theory]
    [MemberData(nameof(RouteSpellings))]
    public async Task Post_TheProtocolsRouteJoinedLiberally_IsServedAsItsStream(YuHuanProtocol protocol, string path)
    {
        var wire = TestProtocols.Kit(protocol);
        Emulator.Enqueue(new EmulatorReply().AddReasoning("Hmm.", signature: "enc").AddText(Answer, chunkSize: 5).WithUsage(7, 9));

        using var response = await PostAsync(path, LiveExchange.Request(wire, stream: true));
        var events = RenderedEvent.Parse(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(path, Assert.Single(Emulator.Requests).Path);
        Assert.Equal(wire.ResponseId("1"), wire.StreamedId(events));
        Assert.True(wire.EndsStream(events[^1]), $"the stream ends with {events[^1].Type} {events[^1].Data}");
        Assert.Equal(Answer, wire.StreamedText(events));
    }

    [Theory]
    [MemberData(nameof(Framings))]
    public async Task LiveBytes_EqualTheRenderedAndFramedBytes(YuHuanProtocol protocol, string lineEnding, bool gzip)
    {
        var wire = TestProtocols.Kit(protocol);
        var reply = new EmulatorReply()
            .AddReasoning("Weighing ünïcödé 😀.", chunkSize: 3, signature: "sig")
            .AddPadding(70_000)
            .AddText("Answer.", chunkSize: 2)
            .AddToolCall(null, "f", """{"k":"v"}""", fragments: 3)
            .WithUsage(40, 9, cachedInputTokens: 10)
            .WithLineEnding(lineEnding)
            .WithComments();
        if (gzip)
        {
            reply.WithGzip();
        }

        Emulator.Enqueue(reply);

        using var response = await PostAsync(wire.Path, LiveExchange.Request(wire, stream: true));
        var live = await response.Content.ReadAsByteArrayAsync();
        if (gzip)
        {
            Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
            using var decompressed = new MemoryStream();
            await using (var unzip = new GZipStream(new MemoryStream(live), CompressionMode.Decompress))
            {
                await unzip.CopyToAsync(decompressed);
            }

            live = decompressed.ToArray();
        }
        else
        {
            Assert.Empty(response.Content.Headers.ContentEncoding);
        }

        var rendered = wire.RenderBody(reply);
        Assert.Equal(rendered.Length, live.Length);
        Assert.True(LiveExchange.Normalize(rendered) == LiveExchange.Normalize(live), "the live body differs from the rendered one");
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task PauseThenDrop_SendsExactlyTheEventsUpToTheFirstPieceOfTextThenAborts(YuHuanProtocol protocol)
    {
        var wire = TestProtocols.Kit(protocol);
        var events = wire.EventsBeforeText + 1;
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reply = new EmulatorReply().AddText("One two three four.", chunkSize: 4).PauseAfter(events, resume.Task).DropConnectionAfter(events);
        Emulator.Enqueue(reply);
        var expected = wire.RenderEvents(reply).Take(events).SelectMany(e => e).ToArray();

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Emulator.Endpoint, wire.RelativePath)) { Content = LiveExchange.Request(wire, stream: true) };
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var received = new byte[expected.Length];
        await stream.ReadExactlyAsync(received);
        var parsed = RenderedEvent.Parse(received);

        Assert.Equal(LiveExchange.Normalize(expected), LiveExchange.Normalize(received));
        Assert.Equal(events, parsed.Length);
        Assert.Equal(string.Empty, wire.StreamedText(parsed[..^1]));
        Assert.Equal("One ", wire.StreamedText(parsed[^1..]));
        resume.SetResult();
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            // The abort must not look like a clean end of the body.
            var buffer = new byte[256];
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        });
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task OtherProtocols_AfterOneProtocolsTraffic_KeepTheirIdsAndShapes(YuHuanProtocol first)
    {
        var others = TestProtocols.Kits.Where(kit => kit.Protocol != first).ToList();
        Emulator.Enqueue([EmulatorReply.Text("First."), .. others.Select(kit => EmulatorReply.Text(kit.Name + "."))]);

        using (var streamed = await PostAsync(TestProtocols.Kit(first).Path, LiveExchange.Request(TestProtocols.Kit(first), stream: true)))
        {
            Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
            await streamed.Content.ReadAsByteArrayAsync();
        }

        foreach (var kit in others)
        {
            using var response = await PostAsync(kit.Path, LiveExchange.Request(kit, stream: false));
            var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

            Assert.Equal(kit.ResponseId("1"), kit.CompletionId(completion));
            Assert.Equal(kit.Name + ".", kit.CompletionText(completion));
        }
    }

    /// <summary>Whether the emulator serves resources below the protocol's route (such as stored responses).</summary>
    private static bool ServesResources(WireFormat kit) => kit.Renderer is IStatefulRenderer stateful && stateful.CreateState() is IResourceEndpoint;
}
