namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>One damage to a stream: its kind and three random numbers that pick where and what (each taken modulo what is there).</summary>
/// <param name="Kind">The kind of damage.</param>
/// <param name="A">Usually which line or event.</param>
/// <param name="B">Usually where in it, or which value.</param>
/// <param name="C">Usually which replacement.</param>
internal readonly record struct Mutation(MutationKind Kind, int A, int B, int C)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind}({A},{B},{C})";
}
