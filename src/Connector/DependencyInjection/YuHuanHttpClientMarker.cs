namespace YuHuan.Connector.DependencyInjection;

/// <summary>Marks a service collection whose named <see cref="HttpClient"/> for the gateway is already set up.</summary>
internal sealed class YuHuanHttpClientMarker;
