namespace YuHuan.Connector.Protocol;

/// <summary>
/// The shape of a function's definition in a protocol's <c>tools</c>: <c>name</c>, <c>description</c> (when there is one),
/// the parameters' schema and <c>strict</c>, after a <c>type</c> and inside an object of their own when the protocol says.
/// </summary>
/// <param name="SchemaField">The field of the parameters' schema (such as <c>parameters</c>).</param>
/// <param name="Type">The definition's <c>type</c> (such as <c>function</c>), or <see langword="null"/> when it has none.</param>
/// <param name="Wrapper">The field after <paramref name="Type"/> whose object holds the function's fields, or <see langword="null"/> when they stand in the definition itself.</param>
/// <param name="StrictWhenUnset">
/// The <c>strict</c> written when neither the function nor the caller says (<see langword="false"/> for a protocol that
/// makes functions strict unless told not to), or <see langword="null"/> to write none.
/// </param>
internal sealed record FunctionToolForm(string SchemaField, string? Type = null, string? Wrapper = null, bool? StrictWhenUnset = null);
