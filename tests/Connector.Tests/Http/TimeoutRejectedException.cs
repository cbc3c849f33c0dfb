namespace YuHuan.Connector.Tests.Http;

/// <summary>Stands in for Polly's <c>TimeoutRejectedException</c> (which <c>AddStandardResilienceHandler</c> throws): same name, no Polly.</summary>
public sealed class TimeoutRejectedException : Exception
{
    public TimeoutRejectedException()
        : base("The operation didn't complete within the allowed timeout of '00:00:10'.")
    {
    }

    public TimeoutRejectedException(string message)
        : base(message)
    {
    }

    public TimeoutRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
