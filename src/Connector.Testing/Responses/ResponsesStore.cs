namespace YuHuan.Connector.Testing;

/// <summary>
/// The Responses responses an emulator keeps by id, as the real server keeps stored and background responses: the most
/// recent <see cref="Capacity"/> of them, the oldest forgotten first. Thread-safe.
/// </summary>
internal sealed class ResponsesStore
{
    /// <summary>How many responses are kept.</summary>
    public const int Capacity = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredResponse> _byId = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>Keeps a response, replacing one of the same id.</summary>
    public void Add(StoredResponse response)
    {
        lock (_gate)
        {
            if (!_byId.ContainsKey(response.Rendering.ResponseId))
            {
                _order.Enqueue(response.Rendering.ResponseId);
            }

            _byId[response.Rendering.ResponseId] = response;
            while (_byId.Count > Capacity)
            {
                _byId.Remove(_order.Dequeue());
            }
        }
    }

    /// <summary>Finds a kept response, or <see langword="null"/>.</summary>
    public StoredResponse? Find(string id)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(id);
        }
    }
}
