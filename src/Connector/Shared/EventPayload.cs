namespace YuHuan.Connector.Shared;

/// <summary>The payload of one server-sent event as the mappers read it.</summary>
internal static class EventPayload
{
    /// <summary>
    /// Returns the event's data without surrounding white space. Data that already starts with <c>{</c> and ends with
    /// <c>}</c>, as nearly every event does, is returned as it is, without a scan.
    /// </summary>
    public static ReadOnlySpan<byte> Of(ReadOnlySpan<byte> data) =>
        data.Length > 1 && data[0] == (byte)'{' && data[^1] == (byte)'}' ? data : data.Trim(" \t\r\n"u8);
}
