using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Testing;

/// <summary>Which protocol serves a path, for any set of protocols.</summary>
public sealed class ProtocolRoutesTests
{
    private static readonly FakeProtocolRenderer Plain = new("plain/text");
    private static readonly FakeStatefulRenderer Kept = new("kept");

    [Theory]
    [InlineData("/v1/plain/text", "plain/text")]
    [InlineData("/v1/plain/text/", "plain/text")]
    [InlineData("//v1//plain//text", "plain/text")]
    [InlineData("/v1/kept", "kept")]
    public void Find_ARouteJoinedLiberally_FindsItsProtocol(string path, string route)
    {
        var routes = new ProtocolRoutes([Plain, Kept]);

        Assert.Equal(route, routes.Find(path)?.Renderer.Route);
    }

    [Theory]
    [InlineData("/plain/text")]
    [InlineData("/v1/plain")]
    [InlineData("/v1/")]
    [InlineData("/v2/kept")]
    [InlineData("/v1/kept/abc")]
    public void Find_APathNoProtocolServes_IsNull(string path)
    {
        Assert.Null(new ProtocolRoutes([Plain, Kept]).Find(path));
    }

    [Theory]
    [InlineData("/v1/kept/abc", "abc")]
    [InlineData("//v1//kept//abc/", "abc")]
    public void FindResource_UnderTheRouteOfAProtocolServingResources_FindsItAndTheId(string path, string id)
    {
        var routes = new ProtocolRoutes([Plain, Kept]);

        var owner = routes.FindResource(path, out var found);

        Assert.Same(Kept, owner?.Renderer);
        Assert.IsType<FakeProtocolState>(owner?.Resources);
        Assert.Equal(id, found);
    }

    [Theory]
    [InlineData("/v1/plain/text/abc")]
    [InlineData("/v1/kept")]
    [InlineData("/v1/kept/abc/def")]
    [InlineData("/kept/abc")]
    public void FindResource_NotAResourceOfAProtocolServingResources_IsNull(string path)
    {
        var owner = new ProtocolRoutes([Plain, Kept]).FindResource(path, out var id);

        Assert.Null(owner);
        Assert.Empty(id);
    }

    [Fact]
    public void Default_IsTheFirstRegistered()
    {
        Assert.Same(Kept, new ProtocolRoutes([Kept, Plain]).Default.Renderer);
        Assert.Same(Plain, new ProtocolRoutes([Plain, Kept]).Default.Renderer);
    }

    [Fact]
    public void Describe_ListsEveryRouteUnderV1()
    {
        Assert.Equal("/v1/plain/text and /v1/kept", new ProtocolRoutes([Plain, Kept]).Describe());
    }

    [Fact]
    public void Constructor_GivesEachSetOfRoutesStateOfItsOwn()
    {
        var first = new ProtocolRoutes([Plain, Kept]);
        var second = new ProtocolRoutes([Plain, Kept]);

        Assert.Null(first.Find("/v1/plain/text")!.State);
        Assert.NotNull(first.State<FakeProtocolState>());
        Assert.NotSame(first.State<FakeProtocolState>(), second.State<FakeProtocolState>());
    }

    [Fact]
    public void Constructor_NoProtocol_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ProtocolRoutes([]));
    }

    [Fact]
    public void Constructor_TwoProtocolsOnOneRoute_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new ProtocolRoutes([Plain, Kept, new FakeProtocolRenderer("kept/")]));

        Assert.Contains("/v1/kept", error.Message, StringComparison.Ordinal);
    }
}
