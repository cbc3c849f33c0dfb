namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>A hosted-tool or unknown part of a generated script, as far as what a client makes of it depends on it.</summary>
/// <param name="Kind">The kind of part.</param>
/// <param name="PartialImages">The number of partial images (image generation only).</param>
/// <param name="RawType">The <c>type</c> of a raw block or item (<see cref="HostedKind.Raw"/> only).</param>
internal sealed record HostedSpec(HostedKind Kind, int PartialImages, string RawType);
