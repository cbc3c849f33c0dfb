using System.Text;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>The cassette file format: what <see cref="Cassette.Write"/> writes, what <see cref="Cassette.Read"/> reads back,
/// the errors of a file that is not a cassette, and how <see cref="Cassette.Save"/> replaces a file.</summary>
public sealed class CassetteFormatTests : IDisposable
{
    private const string Header = "{\"yuhuan_cassette\":1}";
    private const string Request = "{\"exchange\":1,\"request\":{\"method\":\"POST\",\"path\":\"/v1/chat/completions\",\"query\":\"\",\"body\":{\"model\":\"m\"}}}";
    private const string Response = "{\"exchange\":1,\"response\":{\"at_ms\":1.5,\"status\":200,\"headers\":{\"Content-Type\":\"text/plain\"}}}";
    private const string Chunk = "{\"exchange\":1,\"chunk\":{\"at_ms\":2,\"text\":\"Hi\"}}";
    private const string End = "{\"exchange\":1,\"end\":{\"at_ms\":3,\"outcome\":\"complete\"}}";

    private readonly string _folder = Directory.CreateTempSubdirectory("cassette-format-").FullName;

    /// <summary>Gets texts that are not cassettes, with the line the error must name and a part of its reason.</summary>
    public static TheoryData<string, string, string> BadCassettes => new()
    {
        { Request + "\n" + End, "Line 1", "the first line must be {\"yuhuan_cassette\":1}" },
        { "\n  \n" + Request, "Line 3", "the first line must be" },
        { "{\"yuhuan_cassette\":2}\n" + Request, "Line 1", "version 2 is not supported; this library reads version 1" },
        { "{\"yuhuan_cassette\":\"1\"}", "Line 1", "the first line must be" },
        { "[1,2]", "Line 1", "a line must be a JSON object" },
        { Header + "\n" + Request + "\n{\"exchange\":1,\"response\":{\"at_ms\":", "Line 3", "is not a cassette line" },
        { Header + "\n" + Request + "\n" + Chunk + "\n" + End, "Line 3", "a chunk of exchange 1 must follow its response" },
        { Header + "\n" + Request + "\n" + Response + "\n{\"exchange\":1,\"end\":{\"at_ms\":3,\"outcome\":\"exploded\"}}", "Line 4", "unknown outcome \"exploded\"" },
        { Header + "\n" + Request + "\n" + Response + "\n{\"exchange\":1,\"end\":{\"at_ms\":3,\"outcome\":\"failed\",\"error\":\"x\"}}", "Line 4", "exchange 1 failed but has a response" },
        { Header + "\n" + Request + "\n{\"exchange\":1,\"end\":{\"at_ms\":3,\"outcome\":\"complete\"}}", "Line 3", "exchange 1 ended \"complete\" without a response" },
        { Header + "\n" + Request + "\n" + Response + "\n" + Chunk, "Line 2", "begins exchange 1, which has no end line" },
        { Header + "\n{\"exchange\":2,\"end\":{\"at_ms\":1,\"outcome\":\"failed\"}}", "Line 2", "begins exchange 2, which has no request line" },
        { Header + "\n" + Response.Replace("exchange\":1", "exchange\":2", StringComparison.Ordinal), "Line 2", "a response of exchange 2 must follow its request" },
        { Header + "\n" + Request + "\n" + Response + "\n" + End + "\n" + Chunk, "Line 5", "exchange 1 already ended" },
        { Header + "\n" + Request + "\n" + Request, "Line 3", "exchange 1 has two requests" },
        { Header + "\n{\"exchange\":0,\"end\":{}}", "Line 2", "\"exchange\" must be a positive number" },
        { Header + "\n" + Request.Replace("\"method\":\"POST\"", "\"method\":5", StringComparison.Ordinal), "Line 2", "\"method\" must be a string" },
        { Header + "\n" + Request + "\n" + Response.Replace("200", "42", StringComparison.Ordinal), "Line 3", "\"status\" must be an HTTP status code" },
        { Header + "\n" + Request + "\n" + Response.Replace("\"at_ms\":1.5,", string.Empty, StringComparison.Ordinal), "Line 3", "\"at_ms\" must be a number" },
        { Header + "\n" + Request + "\n" + Response.Replace("}}}", "},\"length\":-1}}", StringComparison.Ordinal), "Line 3", "\"length\" must be a count of bytes" },
        { Header + "\n" + Request + "\n" + Response.Replace("}}}", "},\"length\":\"12\"}}", StringComparison.Ordinal), "Line 3", "\"length\" must be a count of bytes" },
        { Header + "\n" + Request + "\n" + Response + "\n{\"exchange\":1,\"chunk\":{\"at_ms\":2,\"base64\":\"not base64!\"}}", "Line 4", "is not a cassette line" },
        { Header + "\n" + Request + "\n" + Response + "\n{\"exchange\":1,\"chunk\":{\"at_ms\":2}}", "Line 4", "a chunk needs \"text\" or \"base64\"" },
        { Header + "\n" + Request + "\n" + Response + "\n{\"exchange\":1,\"chunk\":{\"continues\":true,\"text\":\"x\"}}", "Line 4", "a chunk of exchange 1 that continues must follow a chunk" },
        { Header + "\n{\"exchange\":1,\"unknown\":{}}", "Line 2", "expected a \"request\", \"response\", \"chunk\" or \"end\" object" },
    };

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void WriteThenRead_KeepsEveryField()
    {
        var streamed = new CassetteResponse(Ms(41.23), 200, [new("Content-Type", "text/event-stream"), new("x-request-id", "req-1")], contentLength: null);
        streamed.Chunks.Add(new CassetteChunk(Ms(41.96), Encoding.UTF8.GetBytes("data: {\"text\":\"h\u00e9 \\\"q\\\"\"}\n\n")));
        streamed.Chunks.Add(new CassetteChunk(Ms(43.04), [0xFF, 0xFE, 0x00, 0x41]));
        streamed.Chunks.Add(new CassetteChunk(Ms(43.04), Encoding.UTF8.GetBytes("\u4f60\u597d \U0001F600\r\n")));
        var sized = new CassetteResponse(Ms(5), 429, [new("Retry-After", "3")], contentLength: 17);
        sized.Chunks.Add(new CassetteChunk(Ms(6), Encoding.UTF8.GetBytes("{\"error\":\"slow\"}\n")));
        var original = new Cassette(
        [
            new CassetteExchange(new CassetteRequest("POST", "/v1/chat/completions", "?a=1&b=%20", "{ \"model\": \"m\",\"messages\":[{\"role\":\"user\",\"content\":\"h\u00e9\"}]}"), streamed, CassetteOutcome.Complete, Ms(44.06), failure: null),
            new CassetteExchange(new CassetteRequest("POST", "/v1/messages", string.Empty, "{\n  \"model\": \"m\"\n}"), sized, CassetteOutcome.Cut, Ms(7.77), failure: null),
            new CassetteExchange(new CassetteRequest("GET", "/v1/responses/resp_1", "?stream=true", string.Empty), response: null, CassetteOutcome.Failed, Ms(0.04), "Connection refused (127.0.0.1:1)"),
            new CassetteExchange(new CassetteRequest("POST", "/v1/responses", string.Empty, "model=m&stream=true"), new CassetteResponse(Ms(1), 204, [], 0), CassetteOutcome.Abandoned, Ms(1), failure: null),
            new CassetteExchange(new CassetteRequest("POST", "/v1/responses", string.Empty, " {\"model\":\"m\"}\t"), response: null, CassetteOutcome.Failed, Ms(2), "reset"),
        ]);

        var text = WriteText(original);
        var read = Cassette.Read(new StringReader(text));

        // A one-line JSON body is embedded as it is; any other body is a string.
        Assert.Contains("\"body\":{ \"model\": \"m\",\"messages\":[{\"role\":\"user\",\"content\":\"h\u00e9\"}]}}}", text, StringComparison.Ordinal);
        Assert.Contains("\"body_text\":\"{\\n  \\\"model\\\": \\\"m\\\"\\n}\"", text, StringComparison.Ordinal);
        Assert.Contains("\"body_text\":\"\"", text, StringComparison.Ordinal);
        Assert.Contains("\"body_text\":\"model=m&stream=true\"", text, StringComparison.Ordinal);
        Assert.Contains("\"body_text\":\" {\\\"model\\\":\\\"m\\\"}\\t\"", text, StringComparison.Ordinal);
        Assert.Contains("\"base64\":\"//4AQQ==\"", text, StringComparison.Ordinal);
        Assert.Contains("\"at_ms\":41.2,", text, StringComparison.Ordinal);
        Assert.StartsWith(Header + "\n", text, StringComparison.Ordinal);
        Assert.Equal(1 + 6 + 4 + 2 + 3 + 2, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        Assert.Equal(original.Exchanges.Count, read.Exchanges.Count);
        for (var i = 0; i < original.Exchanges.Count; i++)
        {
            AssertSameExchange(original.Exchanges[i], read.Exchanges[i]);
        }

        // Times are kept to a tenth of a millisecond.
        Assert.Equal(Ms(41.2), read.Exchanges[0].Response!.HeadersAt);
        Assert.Equal([Ms(42.0), Ms(43.0), Ms(43.0)], read.Exchanges[0].Response!.Chunks.Select(c => c.At));
        Assert.Equal(Ms(44.1), read.Exchanges[0].EndedAt);
        Assert.Equal(Ms(7.8), read.Exchanges[1].EndedAt);
        Assert.Equal(TimeSpan.Zero, read.Exchanges[2].EndedAt);

        // What was read writes the same text again.
        Assert.Equal(text, WriteText(read));
    }

    [Theory]
    [InlineData("\n\n")]
    [InlineData("\r\n\r\n")]
    [InlineData("\r\r")]
    public void Write_PieceOfSeveralEvents_TakesALinePerEventAndReadsBackAsOnePiece(string blankLine)
    {
        var events = new[] { "event: a" + blankLine, "data: {\"x\":1}" + blankLine, "data: [DONE]" + blankLine };
        var response = new CassetteResponse(Ms(1), 200, [new("Content-Type", "text/event-stream")], contentLength: null);
        response.Chunks.Add(new CassetteChunk(Ms(2), Encoding.UTF8.GetBytes(string.Concat(events))));
        response.Chunks.Add(new CassetteChunk(Ms(9), Encoding.UTF8.GetBytes("data: tail")));
        var original = new Cassette([new CassetteExchange(new CassetteRequest("POST", "/v1/x", string.Empty, "{}"), response, CassetteOutcome.Complete, Ms(10), failure: null)]);

        var text = WriteText(original);
        var read = Cassette.Read(new StringReader(text)).Exchanges[0].Response!;

        var chunkLines = text.Split('\n').Where(l => l.Contains("\"chunk\"", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, chunkLines.Length);
        Assert.Equal(2, chunkLines.Count(l => l.Contains("\"continues\":true", StringComparison.Ordinal)));
        Assert.DoesNotContain("at_ms", chunkLines[1], StringComparison.Ordinal);
        Assert.Equal([string.Concat(events), "data: tail"], read.Chunks.Select(c => Encoding.UTF8.GetString(c.Data)));
        Assert.Equal([Ms(2), Ms(9)], read.Chunks.Select(c => c.At));
    }

    [Fact]
    public void Write_EmptyCassette_IsTheHeaderLineAlone()
    {
        var text = WriteText(new Cassette([]));

        Assert.Equal(Header + "\n", text);
        Assert.Empty(Cassette.Read(new StringReader(text)).Exchanges);
    }

    [Fact]
    public void Read_ExchangeLinesInterleaved_AreGatheredByNumberInOrder()
    {
        var second = "{\"exchange\":2,\"request\":{\"method\":\"GET\",\"path\":\"/v1/responses/r\",\"query\":\"\",\"body_text\":\"\"}}\n"
            + "{\"exchange\":2,\"end\":{\"at_ms\":1,\"outcome\":\"failed\",\"error\":\"reset\"}}\n";
        var text = Header + "\n" + Request + "\n" + second + Response + "\n" + Chunk + "\n" + End + "\n";

        var cassette = Cassette.Read(new StringReader(text));

        Assert.Equal(["POST /v1/chat/completions", "GET /v1/responses/r"], cassette.Exchanges.Select(e => e.Request.ToString()));
        Assert.Equal([CassetteOutcome.Complete, CassetteOutcome.Failed], cassette.Exchanges.Select(e => e.Outcome));
        Assert.Equal(200, cassette.Exchanges[0].StatusCode);
        Assert.Null(cassette.Exchanges[1].StatusCode);
        Assert.Equal("reset", cassette.Exchanges[1].Failure);
        Assert.Equal("Hi"u8.ToArray(), cassette.Exchanges[0].ResponseBody());
    }

    [Theory]
    [MemberData(nameof(BadCassettes))]
    public void Load_NotACassette_ThrowsNamingTheFileAndLine(string text, string line, string reason)
    {
        var path = Path.Combine(_folder, "bad.jsonl");
        File.WriteAllText(path, text);

        var error = Assert.Throws<InvalidDataException>(() => Cassette.Load(path));

        Assert.Contains($"{line} of '{path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyText_ThrowsThatThereIsNoHeader()
    {
        var error = Assert.Throws<InvalidDataException>(() => Cassette.Read(new StringReader("\n\n")));

        Assert.Equal("The text is not a cassette: it has no {\"yuhuan_cassette\":1} line.", error.Message);
    }

    [Fact]
    public void Read_FromText_NamesTheLineWithoutAFile()
    {
        var error = Assert.Throws<InvalidDataException>(() => Cassette.Read(new StringReader(Header + "\nnot json")));

        Assert.StartsWith("Line 2 is not a cassette line: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => Cassette.Load(Path.Combine(_folder, "none.jsonl")));
    }

    [Fact]
    public void Save_CreatesTheFolderAndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(_folder, "a", "b", "saved.jsonl");
        var cassette = Cassette.Read(new StringReader(string.Join('\n', Header, Request, Response, Chunk, End)));

        cassette.Save(path);

        Assert.Equal([path], Directory.GetFiles(Path.Combine(_folder, "a", "b")));
        Assert.Equal(WriteText(cassette), File.ReadAllText(path));
        Assert.Single(Cassette.Load(path).Exchanges);
    }

    [Fact]
    public void Save_OverAnExistingFile_ReplacesItWhole()
    {
        var path = Path.Combine(_folder, "replaced.jsonl");
        File.WriteAllText(path, new string('x', 10_000));

        new Cassette([]).Save(path);

        Assert.Equal(Header + "\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void Save_WhenTheFileCannotBeReplaced_ThrowsAndLeavesNoTemporaryFile()
    {
        // A folder stands where the file would go: the move fails, and the half-way file must not stay behind.
        var path = Path.Combine(_folder, "taken.jsonl");
        Directory.CreateDirectory(path);

        Assert.ThrowsAny<IOException>(() => new Cassette([]).Save(path));

        Assert.Empty(Directory.GetFiles(_folder));
        Assert.True(Directory.Exists(path));
    }

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromTicks((long)Math.Round(milliseconds * TimeSpan.TicksPerMillisecond));

    private static string WriteText(Cassette cassette)
    {
        using var writer = new StringWriter();
        cassette.Write(writer);
        return writer.ToString();
    }

    private static void AssertSameExchange(CassetteExchange expected, CassetteExchange actual)
    {
        Assert.Equal(expected.Request.Method, actual.Request.Method);
        Assert.Equal(expected.Request.Path, actual.Request.Path);
        Assert.Equal(expected.Request.Query, actual.Request.Query);
        Assert.Equal(expected.Request.Body, actual.Request.Body);
        Assert.Equal(expected.Outcome, actual.Outcome);
        Assert.Equal(expected.Failure, actual.Failure);
        Assert.Equal(Math.Round(expected.EndedAt.TotalMilliseconds, 1), actual.EndedAt.TotalMilliseconds, precision: 6);
        if (expected.Response is not { } response)
        {
            Assert.Null(actual.Response);
            return;
        }

        Assert.NotNull(actual.Response);
        Assert.Equal(response.StatusCode, actual.Response.StatusCode);
        Assert.Equal(response.Headers, actual.Response.Headers);
        Assert.Equal(response.ContentLength, actual.Response.ContentLength);
        Assert.Equal(Math.Round(response.HeadersAt.TotalMilliseconds, 1), actual.Response.HeadersAt.TotalMilliseconds, precision: 6);
        Assert.Equal(response.Chunks.Count, actual.Response.Chunks.Count);
        for (var i = 0; i < response.Chunks.Count; i++)
        {
            Assert.Equal(response.Chunks[i].Data, actual.Response.Chunks[i].Data);
            Assert.Equal(Math.Round(response.Chunks[i].At.TotalMilliseconds, 1), actual.Response.Chunks[i].At.TotalMilliseconds, precision: 6);
        }
    }
}
