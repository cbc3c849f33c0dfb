using static YuHuan.Connector.Tests.Responses.ResponsesSse;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>An error a Responses stream reports carries its type in every shape: an <c>error</c> event flat or nested, or <c>response.failed</c>.</summary>
public sealed class ResponsesErrorShapeTests
{
    [Theory]
    [InlineData("""{"type":"error","error":{"type":"overloaded_error","code":null,"message":"Busy."}}""", "overloaded_error")]
    [InlineData("""{"type":"error","code":"overloaded_error","message":"Busy.","param":null}""", "overloaded_error")]
    [InlineData("""{"message":"Busy.","code":"overloaded_error","type":"error"}""", "overloaded_error")]
    [InlineData("""{"type":"response.failed","response":{"id":"resp_1","status":"failed","error":{"type":"overloaded_error","message":"Busy."}}}""", "overloaded_error")]
    [InlineData("""{"type":"response.failed","response":{"id":"resp_1","status":"failed","error":{"code":"overloaded_error","message":"Busy."}}}""", "overloaded_error")]
    public void ResponsesErrorShapes_CarryTheErrorType(string errorEvent, string expected)
    {
        var (_, failure) = FeedUntilFailure(NewMapper(), Created(), errorEvent);

        Assert.Equal(expected, failure.ErrorType);
        Assert.Contains("Busy.", failure.Message, StringComparison.Ordinal);
    }
}
