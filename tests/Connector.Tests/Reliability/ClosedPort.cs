using System.Net;
using System.Net.Sockets;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>A loopback port that nothing listens on: bound once to get a free number, then closed.</summary>
internal static class ClosedPort
{
    public static int Find()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
