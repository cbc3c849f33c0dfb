using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Tests.Shared;

public sealed class ToolCallAccumulatorTests
{
    [Fact]
    public void Receive_FirstIdAndFirstNameWin_PiecesAppendEscaped()
    {
        var calls = new ToolCallAccumulator();
        var call = calls.GetOrAdd(0);
        call.Receive("call_1", "get_weather", "{\\\"city\\\":"u8, argumentsAreObject: false);
        call.Receive("call_other", "other", "\\\"Par"u8, argumentsAreObject: false);
        call.Receive(string.Empty, string.Empty, "is\\\"}"u8, argumentsAreObject: false);

        var done = Assert.IsType<FunctionCallContent>(calls.Complete(0));
        Assert.Equal("call_1", done.CallId);
        Assert.Equal("get_weather", done.Name);
        Assert.Equal("Paris", done.Arguments!["city"]!.ToString());
        Assert.False(calls.HasPending);
    }

    [Fact]
    public void Receive_ObjectInput_KeptAsJsonText()
    {
        var calls = new ToolCallAccumulator();
        calls.GetOrAdd(3).Receive("toolu_1", "f", """{"a":[1,"é"]}"""u8, argumentsAreObject: true);

        var done = Assert.IsType<FunctionCallContent>(calls.Complete(3));
        Assert.Null(done.Exception);
        Assert.Equal("""[1,"é"]""", done.Arguments!["a"]!.ToString()!.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void CompleteAll_CompletesInKeyOrder_AndFindsById()
    {
        var calls = new ToolCallAccumulator();
        calls.GetOrAdd(2).Receive("c", "third", "{}"u8, argumentsAreObject: false);
        calls.GetOrAdd(0).Receive("a", "first", "{}"u8, argumentsAreObject: false);
        calls.Add(0).Receive("b", "second", "{}"u8, argumentsAreObject: false);
        Assert.Same(calls.GetOrAdd(0), calls.FindById("b"));

        var contents = new List<AIContent>();
        calls.CompleteAll(contents);

        Assert.Equal(["first", "second", "third"], contents.Cast<FunctionCallContent>().Select(c => c.Name));
        Assert.Null(calls.FindById("a"));
        Assert.Equal(0, calls.AddNext().Key);
    }

    [Fact]
    public void Add_BeyondTheLimit_IsResponseTooLarge()
    {
        var calls = new ToolCallAccumulator();
        for (var i = 0; i < ResponseLimits.MaxToolCalls; i++)
        {
            calls.GetOrAdd(i).Receive("call_" + i, "f", "{}"u8, argumentsAreObject: false);
        }

        Assert.Same(calls.GetOrAdd(ResponseLimits.MaxToolCalls - 1), calls.FindById("call_" + (ResponseLimits.MaxToolCalls - 1)));
        var error = Assert.Throws<YuHuanApiException>(() => calls.AddNext());
        Assert.Equal(YuHuanErrorTypes.ResponseTooLarge, error.ErrorType);
        Assert.Null(error.StatusCode);
    }
}
