using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Tests.EndToEnd;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.Reliability;

namespace YuHuan.Connector.Tests;

/// <summary>
/// <see cref="TestProtocols"/> is the one registry of the protocols under test, which every test project uses, and the
/// reliability, fuzz and end-to-end suites run each of their tests over it. A protocol the client accepts that has no kit
/// in the registry, a kit that disagrees with the client, or a suite test that does not run on every registered protocol
/// fails here, so no protocol lands untested.
/// </summary>
public sealed class TestProtocolsTests
{
    public static TheoryData<string> Suites => new()
    {
        nameof(FaultTests), nameof(RetryTests), nameof(SecurityTests), nameof(LoadTests), nameof(OversizedResponseTests), nameof(StreamFuzzTests),
        nameof(CancellationTests), nameof(SecretEchoTests), nameof(EndToEndTests),
    };

    [Fact]
    public void Registry_IsExactlyTheProtocolsTheClientAccepts()
    {
        var accepted = Enum.GetValues<YuHuanProtocol>().Where(IsAccepted).Order().ToList();

        Assert.NotEmpty(accepted);
        Assert.Equal(accepted, TestProtocols.Protocols.Order());
        Assert.Equal(TestProtocols.Protocols.Count, TestProtocols.Protocols.Distinct().Count());
        Assert.Equal(TestProtocols.Protocols, ((IEnumerable<object[]>)TestProtocols.All).Select(row => (YuHuanProtocol)row[0]));
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public void Kit_AgreesWithTheClientOnTheProtocolsNameAndPath(YuHuanProtocol protocol)
    {
        var kit = TestProtocols.Kit(protocol);
        var client = Protocols.Create(new YuHuanChatClientOptions { Protocol = protocol });

        Assert.Equal(protocol, kit.Protocol);
        Assert.Equal(client.Name, kit.Name);
        Assert.Equal(client.CreateCall(new ChatRequest { Messages = [new(ChatRole.User, "hi")], Model = "m" }).RelativeUri, kit.RelativePath);
        Assert.Equal(protocol.ToString(), kit.ToString());
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public void Kit_AgreesWithTheClientOnTheToolsTheProtocolCarries(YuHuanProtocol protocol)
    {
        var kit = TestProtocols.Kit(protocol);
        var client = Protocols.Create(new YuHuanChatClientOptions { Protocol = protocol });
#pragma warning disable MEAI001 // Image generation and tool search are experimental in Microsoft.Extensions.AI.
        AITool[] tools =
        [
            AIFunctionFactory.CreateDeclaration("f", null, JsonElement.Parse("""{"type":"object"}""")), new HostedWebSearchTool(), new HostedCodeInterpreterTool(),
            new HostedMcpServerTool("docs", "https://mcp.example.test"), new HostedFileSearchTool(), new HostedImageGenerationTool(), new HostedToolSearchTool(),
        ];
#pragma warning restore MEAI001

        Assert.All(tools, tool => Assert.Equal(client.Supports(tool), kit.Carries(tool)));
        Assert.Contains(tools, tool => !kit.Carries(tool));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void EverySuiteTest_RunsOncePerRegisteredProtocol(string suite)
    {
        var type = typeof(TestProtocolsTests).Assembly.GetTypes().Single(t => t.Name == suite);
        var tests = type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttributes<FactAttribute>().Any())
            .ToList();

        Assert.NotEmpty(tests);
        Assert.All(tests, test =>
        {
            Assert.IsType<TheoryAttribute>(Assert.Single(test.GetCustomAttributes<FactAttribute>()));
            Assert.Equal(typeof(YuHuanProtocol), test.GetParameters()[0].ParameterType);
            var rows = Assert.Single(test.GetCustomAttributes<MemberDataAttribute>()).GetData(test).ToList();
            var protocols = rows.Select(row => (YuHuanProtocol)row[0]).ToList();
            Assert.Equal(TestProtocols.Protocols, protocols.Distinct());
            Assert.All(TestProtocols.Protocols, protocol => Assert.Equal(rows.Count / TestProtocols.Protocols.Count, protocols.Count(p => p == protocol)));
        });
    }

    private static bool IsAccepted(YuHuanProtocol protocol)
    {
        try
        {
            new YuHuanChatClient(new YuHuanChatClientOptions { Protocol = protocol, ApiKey = "k" }).Dispose();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
