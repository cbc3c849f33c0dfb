using Microsoft.Extensions.Options;

namespace YuHuan.Connector.DependencyInjection;

/// <summary>Validates registered options when the host starts, with messages that name the setting.</summary>
internal sealed class YuHuanOptionsValidation : IValidateOptions<YuHuanChatClientOptions>
{
    public ValidateOptionsResult Validate(string? name, YuHuanChatClientOptions options)
    {
        if (options.Endpoint is null || !options.Endpoint.IsAbsoluteUri)
        {
            return ValidateOptionsResult.Fail("The YuHuan setting 'Endpoint' must be an absolute http or https address.");
        }

        if (string.IsNullOrEmpty(options.ApiKey) && !options.Endpoint.IsLoopback)
        {
            return ValidateOptionsResult.Fail(
                $"The YuHuan setting 'ApiKey' is missing (configuration key '{YuHuanConfigurationBinder.DefaultPrefix}:ApiKey'); the gateway at {options.Endpoint.Host} needs one.");
        }

        try
        {
            OptionsValidator.Validate(options);
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }

        return ValidateOptionsResult.Success;
    }
}
