using System.Net;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>How <see cref="CassetteMatcher"/> compares a recorded request with a live one: what it sets aside, how it
/// names the first difference, and how it ranks near misses; and that the emulator asks a matcher of one's own.</summary>
public sealed class CassetteMatcherTests
{
    private const string Chat = "/v1/chat/completions";
    private const string Body = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"}]}";

    [Fact]
    public void Compare_SameJsonInAnotherOrderAndSpacing_Matches()
    {
        var live = "{ \"messages\" : [ {\"content\":\"Be brief.\", \"role\":\"system\"},\n {\"content\":\"Hi\",\"role\":\"user\"} ],\n \"stream\": true, \"model\": \"m\" }";

        var comparison = Compare(Body, live);

        Assert.True(comparison.IsMatch);
        Assert.Null(comparison.Difference);
        Assert.Equal(1, comparison.Similarity);
        Assert.Same(CassetteComparison.Match, comparison);
    }

    [Fact]
    public void Compare_NumbersWrittenDifferently_Match()
    {
        Assert.True(Compare("{\"t\":1.0,\"n\":100}", "{\"t\":1,\"n\":1e2}").IsMatch);
        Assert.False(Compare("{\"t\":1.0}", "{\"t\":1.01}").IsMatch);
    }

    [Theory]
    [InlineData("metadata")]
    [InlineData("trace_id")]
    [InlineData("metadata.trace_id")]
    [InlineData("metadata.*")]
    [InlineData("*.trace_id")]
    public void Compare_VolatileField_IsLeftOut(string name)
    {
        var recorded = "{\"model\":\"m\",\"metadata\":{\"trace_id\":\"t-1\"}}";
        var live = "{\"model\":\"m\",\"metadata\":{\"trace_id\":\"t-2\"}}";

        Assert.False(Compare(recorded, live).IsMatch);
        Assert.True(Compare(recorded, live, name).IsMatch);
    }

    [Fact]
    public void Compare_VolatileFieldPresentOnOneSideOnly_IsLeftOut()
    {
        Assert.True(Compare("{\"model\":\"m\",\"user\":\"u-1\"}", "{\"model\":\"m\"}", "user").IsMatch);
        Assert.True(Compare("{\"model\":\"m\"}", "{\"model\":\"m\",\"user\":\"u-1\"}", "user").IsMatch);
    }

    [Fact]
    public void Compare_WildcardOverArrayItems_LeavesOutEachItemsField()
    {
        var recorded = "{\"messages\":[{\"id\":\"a\",\"content\":\"x\"},{\"id\":\"b\",\"content\":\"y\"}]}";

        Assert.True(Compare(recorded, "{\"messages\":[{\"id\":\"c\",\"content\":\"x\"},{\"id\":\"d\",\"content\":\"y\"}]}", "messages.*.id").IsMatch);
        Assert.Equal(
            "body at $.messages[1].content: recorded \"y\", live \"z\"",
            Compare(recorded, "{\"messages\":[{\"id\":\"c\",\"content\":\"x\"},{\"id\":\"d\",\"content\":\"z\"}]}", "messages.*.id").Difference);
    }

    [Fact]
    public void Compare_DottedPath_LeavesOutThatFieldOnly()
    {
        var comparison = Compare("{\"metadata\":{\"id\":\"1\"},\"item\":{\"id\":\"2\"}}", "{\"metadata\":{\"id\":\"9\"},\"item\":{\"id\":\"8\"}}", "metadata.id");

        Assert.Equal("body at $.item.id: recorded \"2\", live \"8\"", comparison.Difference);
    }

    [Fact]
    public void Compare_DifferentContent_NamesTheJsonPathWithBothValues()
    {
        var live = Body.Replace("\"Hi\"", "\"Hello\"", StringComparison.Ordinal);

        var comparison = Compare(Body, live);

        Assert.False(comparison.IsMatch);
        Assert.Equal("body at $.messages[1].content: recorded \"Hi\", live \"Hello\"", comparison.Difference);
        Assert.InRange(comparison.Similarity, 0.9, 0.999);
    }

    [Fact]
    public void Compare_LongValues_AreCutToAnExcerpt()
    {
        var recorded = new string('a', 100);
        var live = new string('a', 99) + "b";

        var difference = Compare($"{{\"p\":\"{recorded}\"}}", $"{{\"p\":\"{live}\"}}").Difference!;

        Assert.Equal($"body at $.p: recorded \"…{new string('a', 21)}\", live \"…{new string('a', 20)}b\" (they part at character 99)", difference);
    }

    [Fact]
    public void Compare_TheFirstDifferenceInTheRecordedOrder_IsNamed()
    {
        var comparison = Compare("{\"a\":1,\"b\":{\"c\":[1,2]},\"d\":true}", "{\"d\":false,\"b\":{\"c\":[1,3]},\"a\":1}");

        Assert.Equal("body at $.b.c[1]: recorded 2, live 3", comparison.Difference);
    }

    [Theory]
    [InlineData("{\"model\":\"m\"}", "{\"model\":\"m\",\"temperature\":0.5}", "body at $.temperature: live 0.5, the recording has no such field")]
    [InlineData("{\"model\":\"m\",\"temperature\":0.5}", "{\"model\":\"m\"}", "body at $.temperature: recorded 0.5, live has no such field")]
    [InlineData("{\"tools\":[1,2,3]}", "{\"tools\":[1,2]}", "body at $.tools[2]: recorded 3, live has 2 items")]
    [InlineData("{\"tools\":[1]}", "{\"tools\":[1,{\"x\":2}]}", "body at $.tools[1]: live {\"x\":2}, the recording has 1 items")]
    [InlineData("{\"stream\":true}", "{\"stream\":false}", "body at $.stream: recorded true, live false")]
    [InlineData("{\"stream\":true}", "{\"stream\":\"true\"}", "body at $.stream: recorded true, live \"true\"")]
    [InlineData("{\"a\":null}", "{\"a\":{}}", "body at $.a: recorded null, live {}")]
    [InlineData("[1]", "{\"a\":1}", "body at $: recorded [1], live {\"a\":1}")]
    public void Compare_StructuralDifference_IsNamed(string recorded, string live, string difference)
    {
        var comparison = Compare(recorded, live);

        Assert.False(comparison.IsMatch);
        Assert.Equal(difference, comparison.Difference);
    }

    [Fact]
    public void Compare_DifferentMethodPathOrQuery_IsNamedBeforeTheBody()
    {
        var recorded = new CassetteRequest("GET", "/v1/responses/resp_1", "?stream=true&starting_after=4", string.Empty);

        Assert.Equal("method: recorded GET, live POST", new CassetteMatcher().Compare(recorded, new CassetteRequest("POST", "/v1/responses/resp_1", "?stream=true&starting_after=4", "{}")).Difference);
        Assert.Equal("path: recorded /v1/responses/resp_1, live /v1/responses/resp_2", new CassetteMatcher().Compare(recorded, new CassetteRequest("GET", "/v1/responses/resp_2", "?stream=true&starting_after=4", string.Empty)).Difference);
        Assert.Equal("query: recorded '?stream=true&starting_after=4', live '?stream=true&starting_after=5'", new CassetteMatcher().Compare(recorded, new CassetteRequest("GET", "/v1/responses/resp_1", "?stream=true&starting_after=5", string.Empty)).Difference);
        Assert.True(new CassetteMatcher().Compare(recorded, new CassetteRequest("get", "/v1/responses/resp_1", "stream=true&starting_after=4", string.Empty)).IsMatch);
    }

    [Theory]
    [InlineData("/v1/chat/completions/")]
    [InlineData("/v1//chat/completions")]
    [InlineData("//v1//chat//completions//")]
    public void Compare_DoubledOrTrailingSlash_Matches(string path)
    {
        Assert.True(new CassetteMatcher().Compare(Request(Body), new CassetteRequest("POST", path, string.Empty, Body)).IsMatch);
        Assert.False(new CassetteMatcher().Compare(Request(Body), new CassetteRequest("POST", path.Replace("completions", "completion", StringComparison.Ordinal), string.Empty, Body)).IsMatch);
    }

    [Fact]
    public void Compare_PercentEncodedPath_MatchesThePathDecoded()
    {
        var recorded = new CassetteRequest("GET", "/v1/responses/resp%20%C3%A9", string.Empty, string.Empty);

        Assert.True(new CassetteMatcher().Compare(recorded, new CassetteRequest("GET", "/v1/responses/resp \u00e9", string.Empty, string.Empty)).IsMatch);
        Assert.False(new CassetteMatcher().Compare(recorded, new CassetteRequest("GET", "/v1/responses/resp e", string.Empty, string.Empty)).IsMatch);
    }

    [Fact]
    public void Compare_BodiesThatAreNotJson_AreComparedAsTextNamingTheCharacter()
    {
        var comparison = Compare("model=m&stream=true", "model=m&stream=false");

        Assert.Equal("body as text: recorded \"model=m&stream=true\", live \"model=m&stream=false\" (they part at character 15)", comparison.Difference);
        Assert.True(Compare("model=m", "model=m").IsMatch);
        Assert.Equal("body as text: recorded \"{\\\"a\\\":1}\", live \"a=1\" (they part at character 0)", Compare("{\"a\":1}", "a=1").Difference);
        Assert.Equal("body as text: recorded \"\", live \"{}\" (they part at character 0)", Compare(string.Empty, "{}").Difference);
    }

    [Fact]
    public void Compare_NearerRequests_ScoreHigher()
    {
        var live = Request(Body);
        var oneWordOff = Request(Body.Replace("\"Hi\"", "\"Hey\"", StringComparison.Ordinal));
        var twoFieldsOff = Request(Body.Replace("\"Hi\"", "\"Hey\"", StringComparison.Ordinal).Replace("Be brief.", "Be long.", StringComparison.Ordinal));
        var otherQuery = new CassetteRequest("POST", Chat, "?x=1", Body.Replace("\"Hi\"", "\"Hey\"", StringComparison.Ordinal));
        var otherPath = new CassetteRequest("POST", "/v1/messages", string.Empty, Body);
        var otherEverything = new CassetteRequest("GET", "/v1/responses/r", "?stream=true", string.Empty);
        var matcher = new CassetteMatcher();

        var scores = new[] { oneWordOff, twoFieldsOff, otherQuery, otherPath, otherEverything }.Select(r => matcher.Compare(r, live).Similarity).ToArray();

        Assert.Equal(scores.OrderByDescending(s => s), scores);
        Assert.Equal(scores.Length, scores.Distinct().Count());
        Assert.All(scores, s => Assert.InRange(s, 0, 0.999));
    }

    [Fact]
    public void Mismatch_ClampsTheSimilarityBelowAMatch()
    {
        Assert.Equal(0.999, CassetteComparison.Mismatch("x", 1).Similarity);
        Assert.Equal(0, CassetteComparison.Mismatch("x", -3).Similarity);
        Assert.Equal(0, CassetteComparison.Mismatch("x", double.NaN).Similarity);
        Assert.False(CassetteComparison.Mismatch("x", 1).IsMatch);
        Assert.Throws<ArgumentException>(() => CassetteComparison.Mismatch(string.Empty, 0.5));
    }

    [Fact]
    public void Constructor_EmptyFieldName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CassetteMatcher([""]));
        Assert.Throws<ArgumentException>(() => new CassetteMatcher(["metadata..id"]));
    }

    [Fact]
    public async Task Emulator_UsesTheMatcherOfTheOptions()
    {
        var matcher = new AnyBodyMatcher();
        var cassette = Cassette.Read(new StringReader(
            "{\"yuhuan_cassette\":1}\n"
            + "{\"exchange\":1,\"request\":{\"method\":\"POST\",\"path\":\"/v1/chat/completions\",\"query\":\"\",\"body\":{\"model\":\"recorded\",\"user\":\"[redacted]\"}}}\n"
            + "{\"exchange\":1,\"response\":{\"at_ms\":1,\"status\":200,\"headers\":{\"Content-Type\":\"text/plain\"}}}\n"
            + "{\"exchange\":1,\"chunk\":{\"at_ms\":2,\"text\":\"recorded answer\"}}\n"
            + "{\"exchange\":1,\"end\":{\"at_ms\":3,\"outcome\":\"complete\"}}\n"));
        await using var emulator = await YuHuanEmulator.StartAsync();
        emulator.ServeCassette(cassette, new CassetteOptions { Matcher = matcher, SecretFields = { "user" } });
        using var http = new HttpClient();

        using var response = await http.PostAsync(new Uri(emulator.Endpoint, "chat/completions"), new StringContent("{\"model\":\"live\",\"user\":\"alice\"}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("recorded answer", await response.Content.ReadAsStringAsync());
        var (recorded, live) = Assert.Single(matcher.Calls);
        Assert.Equal("{\"model\":\"recorded\",\"user\":\"[redacted]\"}", recorded.Body);

        // The live request reaches the matcher with its secret fields redacted as the recording's were.
        Assert.Equal("{\"model\":\"live\",\"user\":\"[redacted]\"}", live.Body);
        Assert.Equal("POST /v1/chat/completions", live.ToString());
    }

    private static CassetteRequest Request(string body) => new("POST", Chat, string.Empty, body);

    private static CassetteComparison Compare(string recorded, string live, params string[] volatileFields) =>
        new CassetteMatcher(volatileFields).Compare(Request(recorded), Request(live));
}
