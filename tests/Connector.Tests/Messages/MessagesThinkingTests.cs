using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Http;
using YuHuan.Connector.Messages;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>
/// How <see cref="ChatOptions.Reasoning"/> reaches the Messages body: adaptive thinking with <c>output_config.effort</c>,
/// as current Claude models take it, or budgeted thinking for older models when the client is set up for it.
/// </summary>
public sealed class MessagesThinkingTests
{
    private static readonly JsonElement Schema = JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""");

    [Fact]
    public void Write_ReasoningEffortHigh_WholeBodyHasAdaptiveThinkingAndEffort()
    {
        var body = Write(new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } });

        JsonAssert.BodyEqual(
            """
            {
              "model": "claude-test",
              "max_tokens": 4096,
              "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}],
              "stream": false,
              "thinking": {"type": "adaptive", "display": "summarized"},
              "output_config": {"effort": "high"}
            }
            """,
            body);
    }

    [Theory]
    [InlineData(ReasoningEffort.Low, "low")]
    [InlineData(ReasoningEffort.Medium, "medium")]
    [InlineData(ReasoningEffort.High, "high")]
    [InlineData(ReasoningEffort.ExtraHigh, "xhigh")]
    public void Write_EveryEffort_ItsOutputConfigEffortAndNoBudget(ReasoningEffort effort, string name)
    {
        var body = Parse(Write(new ChatOptions { Reasoning = new ReasoningOptions { Effort = effort } }));

        JsonAssert.Equal("""{"type":"adaptive","display":"summarized"}""", body.GetProperty("thinking"));
        JsonAssert.Equal($$"""{"effort":"{{name}}"}""", body.GetProperty("output_config"));
        Assert.Equal(4096, body.GetProperty("max_tokens").GetInt32());
    }

    [Theory]
    [InlineData(ReasoningOutput.None, "omitted")]
    [InlineData(ReasoningOutput.Summary, "summarized")]
    [InlineData(ReasoningOutput.Full, "summarized")]
    public void Write_ReasoningOutput_Display(ReasoningOutput output, string display)
    {
        var body = Parse(Write(new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium, Output = output } }));

        JsonAssert.Equal($$"""{"type":"adaptive","display":"{{display}}"}""", body.GetProperty("thinking"));
        JsonAssert.Equal("""{"effort":"medium"}""", body.GetProperty("output_config"));
    }

    [Fact]
    public void Write_OutputWithoutEffort_AdaptiveThinkingAtTheServersEffort()
    {
        var body = Parse(Write(new ChatOptions { Reasoning = new ReasoningOptions { Output = ReasoningOutput.Summary } }));

        JsonAssert.Equal("""{"type":"adaptive","display":"summarized"}""", body.GetProperty("thinking"));
        Assert.False(body.TryGetProperty("output_config", out _));
    }

    [Fact]
    public void Write_OutputNoneWithoutEffort_NoThinkingAsked()
    {
        var body = Parse(Write(new ChatOptions { Reasoning = new ReasoningOptions { Output = ReasoningOutput.None } }));

        Assert.False(body.TryGetProperty("thinking", out _));
        Assert.False(body.TryGetProperty("output_config", out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_EffortNone_ThinkingDisabledAndNoEffort(bool useThinkingBudget)
    {
        var body = Parse(Write(new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None, Output = ReasoningOutput.Summary } }, useThinkingBudget: useThinkingBudget));

        JsonAssert.Equal("""{"type":"disabled"}""", body.GetProperty("thinking"));
        Assert.False(body.TryGetProperty("output_config", out _));
        Assert.Equal(4096, body.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public void Write_EffortAndSchema_OneOutputConfigWithBoth()
    {
        var body = Parse(Write(new ChatOptions
        {
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.ExtraHigh },
            ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "weather"),
        }));

        JsonAssert.Equal(
            """{"effort":"xhigh","format":{"type":"json_schema","schema":{"type":"object","properties":{"city":{"type":"string"}},"additionalProperties":false}}}""",
            body.GetProperty("output_config"));
        Assert.Single(body.EnumerateObject(), p => p.Name == "output_config");
    }

    [Fact]
    public void Write_ThinkingSuppliedByTheCaller_ReasoningNotMappedAtAll()
    {
        var reasoning = new ReasoningOptions { Effort = ReasoningEffort.High };
        var additional = Parse(Write(new ChatOptions
        {
            Reasoning = reasoning,
            AdditionalProperties = new() { ["thinking"] = new Dictionary<string, object?> { ["type"] = "enabled", ["budget_tokens"] = 2000 } },
        }));
        var fromBase = Parse(Write(new ChatOptions { Reasoning = reasoning }, raw: new JsonObject { ["thinking"] = new JsonObject { ["type"] = "adaptive" } }));

        JsonAssert.Equal("""{"type":"enabled","budget_tokens":2000}""", additional.GetProperty("thinking"));
        Assert.False(additional.TryGetProperty("output_config", out _));
        Assert.Equal(4096, additional.GetProperty("max_tokens").GetInt32());
        JsonAssert.Equal("""{"type":"adaptive"}""", fromBase.GetProperty("thinking"));
        Assert.False(fromBase.TryGetProperty("output_config", out _));
    }

    [Fact]
    public void Write_OutputConfigSuppliedByTheCaller_WinsWhole()
    {
        var body = Parse(Write(new ChatOptions
        {
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low },
            ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema),
            AdditionalProperties = new() { ["output_config"] = new Dictionary<string, object?> { ["effort"] = "max" } },
        }));

        JsonAssert.Equal("""{"type":"adaptive","display":"summarized"}""", body.GetProperty("thinking"));
        JsonAssert.Equal("""{"effort":"max"}""", body.GetProperty("output_config"));
    }

    [Theory]
    [InlineData(ReasoningEffort.Low, 1024)]
    [InlineData(ReasoningEffort.Medium, 4096)]
    public void Write_ThinkingBudgetWithinTheLimit_BudgetedThinkingOfTheTable(ReasoningEffort effort, int budget)
    {
        var body = Parse(Write(new ChatOptions { Reasoning = new ReasoningOptions { Effort = effort }, MaxOutputTokens = 20000 }, useThinkingBudget: true));

        JsonAssert.Equal($$"""{"type":"enabled","budget_tokens":{{budget}}}""", body.GetProperty("thinking"));
        Assert.Equal(20000, body.GetProperty("max_tokens").GetInt32());
        Assert.False(body.TryGetProperty("output_config", out _));
    }

    [Theory]
    [InlineData(ReasoningEffort.Low, 1024)]
    [InlineData(ReasoningEffort.Medium, 4096)]
    [InlineData(ReasoningEffort.High, 16384)]
    [InlineData(ReasoningEffort.ExtraHigh, 32768)]
    public void ThinkingBudget_EveryEffort_TheDocumentedTable(ReasoningEffort effort, int budget) =>
        Assert.Equal(budget, MessagesRequestWriter.ThinkingBudget(effort));

    [Fact]
    public void Write_ThinkingBudgetWithOutputNone_DisplayOmitted()
    {
        var body = Parse(Write(new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low, Output = ReasoningOutput.None }, MaxOutputTokens = 20000 }, useThinkingBudget: true));

        JsonAssert.Equal("""{"type":"enabled","budget_tokens":1024,"display":"omitted"}""", body.GetProperty("thinking"));
    }

    [Fact]
    public void Write_BudgetNotBelowTheDefaultLimit_MaxTokensRaisedByTheDefault()
    {
        var body = Parse(Write(new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } }, useThinkingBudget: true));

        JsonAssert.Equal("""{"type":"enabled","budget_tokens":16384}""", body.GetProperty("thinking"));
        Assert.Equal(16384 + 4096, body.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public void Write_BudgetNotBelowTheCallersLimit_BudgetShrunkBelowIt()
    {
        var body = Parse(Write(new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.ExtraHigh }, MaxOutputTokens = 8000 }, useThinkingBudget: true));

        JsonAssert.Equal("""{"type":"enabled","budget_tokens":7999}""", body.GetProperty("thinking"));
        Assert.Equal(8000, body.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public void Write_CallersLimitTooSmallForABudget_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => Write(new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low }, MaxOutputTokens = 1024 }, useThinkingBudget: true));

        Assert.Contains("MaxOutputTokens", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1025", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_AdaptiveThinkingWithASmallLimit_LimitKeptAndNoError()
    {
        var body = Parse(Write(new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low }, MaxOutputTokens = 512 }));

        Assert.Equal(512, body.GetProperty("max_tokens").GetInt32());
        JsonAssert.Equal("""{"effort":"low"}""", body.GetProperty("output_config"));
    }

    private static JsonElement Parse(ReadOnlyMemory<byte> body) => JsonElement.Parse(body.Span);

    private static ReadOnlyMemory<byte> Write(ChatOptions options, object? raw = null, bool useThinkingBudget = false) =>
        MessagesRequestWriter.Write(new ChatRequest
        {
            Messages = [new ChatMessage(ChatRole.User, "hi")],
            Options = options,
            Model = "claude-test",
            RawRepresentation = raw,
        },
        useThinkingBudget);
}
