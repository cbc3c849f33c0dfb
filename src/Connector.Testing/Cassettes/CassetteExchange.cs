namespace YuHuan.Connector.Testing;

/// <summary>One recorded request and what the server answered to it.</summary>
public sealed class CassetteExchange
{
    internal CassetteExchange(CassetteRequest request, CassetteResponse? response, CassetteOutcome outcome, TimeSpan endedAt, string? failure)
    {
        Request = request;
        Response = response;
        Outcome = outcome;
        EndedAt = endedAt;
        Failure = failure;
    }

    /// <summary>Gets the request, secrets scrubbed.</summary>
    public CassetteRequest Request { get; }

    /// <summary>Gets the HTTP status code of the response, or <see langword="null"/> when none arrived
    /// (<see cref="CassetteOutcome.Failed"/>).</summary>
    public int? StatusCode => Response?.StatusCode;

    /// <summary>Gets how the exchange ended.</summary>
    public CassetteOutcome Outcome { get; }

    /// <summary>Gets the response, or <see langword="null"/> when the exchange <see cref="CassetteOutcome.Failed"/>.</summary>
    internal CassetteResponse? Response { get; }

    /// <summary>Gets when the exchange ended, from the start of the request.</summary>
    internal TimeSpan EndedAt { get; }

    /// <summary>Gets what went wrong when no response arrived.</summary>
    internal string? Failure { get; }
}
