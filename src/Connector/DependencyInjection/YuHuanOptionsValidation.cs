using Microsoft.Extensions.Options;

namespace YuHuan.Connector.DependencyInjection;

/// <summary>Validates registered options when the host starts, through the same check as the client's constructor.</summary>
internal sealed class YuHuanOptionsValidation : IValidateOptions<YuHuanChatClientOptions>
{
    public ValidateOptionsResult Validate(string? name, YuHuanChatClientOptions options) =>
        OptionsValidator.FindProblem(options, requireApiKey: true) is { } problem
            ? ValidateOptionsResult.Fail(problem.Message)
            : ValidateOptionsResult.Success;
}
