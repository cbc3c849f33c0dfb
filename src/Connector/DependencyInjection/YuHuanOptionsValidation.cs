using Microsoft.Extensions.Options;

namespace YuHuan.Connector.DependencyInjection;

/// <summary>Validates registered options when the host starts, through the same check as the client's constructor.</summary>
internal sealed class YuHuanOptionsValidation : IValidateOptions<YuHuanChatClientOptions>
{
    /// <summary>The start of the options name of a keyed registration, followed by its key.</summary>
    internal const string KeyedNamePrefix = "YuHuan:";

    public ValidateOptionsResult Validate(string? name, YuHuanChatClientOptions options) =>
        OptionsValidator.FindProblem(options) is { } problem
            ? ValidateOptionsResult.Fail(ForKey(name is not null && name.StartsWith(KeyedNamePrefix, StringComparison.Ordinal) ? name[KeyedNamePrefix.Length..] : null) + problem.Message)
            : ValidateOptionsResult.Success;

    /// <summary>Names a keyed registration at the start of a message about its settings; empty for the unkeyed one.</summary>
    internal static string ForKey(object? serviceKey) =>
        serviceKey is null ? string.Empty : $"The client registered with AddKeyedYuHuanChatClient(\"{serviceKey}\"): ";
}
