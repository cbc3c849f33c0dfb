using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Protocol;

/// <summary>
/// Logs, once per client and option, at Information, that a <see cref="ChatOptions"/> member the caller set has no field in
/// the client's protocol and is not sent: an option never vanishes silently, and a log is not flooded by every request.
/// </summary>
internal sealed class UnsentOptions
{
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, bool> _logged = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="UnsentOptions"/> class.</summary>
    public UnsentOptions(ILogger logger) => _logger = logger;

    /// <summary>Notes that <paramref name="option"/> (a member of <see cref="ChatOptions"/>, such as <c>Seed</c>) is not sent, when <paramref name="isSet"/>.</summary>
    public void NoteIf(bool isSet, string option, string protocol)
    {
        if (ShouldLog(isSet, option))
        {
            GatewayLog.OptionNotSent(_logger, option, protocol);
        }
    }

    /// <summary>
    /// Notes that <paramref name="option"/> is not sent, when <paramref name="isSet"/>, because the protocol carries it only
    /// together with <paramref name="needed"/> (such as another option), which the caller did not set.
    /// </summary>
    public void NoteIf(bool isSet, string option, string protocol, string needed)
    {
        if (ShouldLog(isSet, option))
        {
            GatewayLog.OptionNotSentWithout(_logger, option, protocol, needed);
        }
    }

    // An option noted while Information was off is noted again once it is on.
    private bool ShouldLog(bool isSet, string option) =>
        isSet && _logger.IsEnabled(LogLevel.Information) && _logged.TryAdd(option, true);
}
