using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Protocol;

/// <summary>
/// A protocol's words for <see cref="ChatOptions.ToolMode"/>, and how <see cref="ChatOptions.AllowMultipleToolCalls"/> goes
/// with it. A mode is a string (<c>"auto"</c>), or with <paramref name="ModesAsObjects"/> an object (<c>{"type":"auto"}</c>);
/// a required function is always an object: <c>{"type": Named, "name"}</c>, or its <c>name</c> in an object under
/// <paramref name="NameUnder"/>.
/// </summary>
/// <param name="Auto">The word of <see cref="ChatToolMode.Auto"/> (and of an unset mode written for parallelism's sake).</param>
/// <param name="None">The word of <see cref="ChatToolMode.None"/>.</param>
/// <param name="Required">The word of <see cref="ChatToolMode.RequireAny"/>.</param>
/// <param name="Named">The <c>type</c> of a choice that requires one named function.</param>
/// <param name="NameUnder">The field whose object holds the required function's <c>name</c>, or <see langword="null"/> when <c>name</c> stands beside <c>type</c>.</param>
/// <param name="ModesAsObjects">Whether every mode is an object with a <c>type</c>, never a bare string.</param>
/// <param name="ParallelField">The top-level boolean field of <see cref="ChatOptions.AllowMultipleToolCalls"/>, or <see langword="null"/> when the protocol has none.</param>
/// <param name="DisableParallelField">
/// The field of the choice object that is <see langword="true"/> when <see cref="ChatOptions.AllowMultipleToolCalls"/> is
/// <see langword="false"/> (a choice is then written even without a mode), or <see langword="null"/> when the protocol has none.
/// </param>
internal sealed record ToolChoiceForm(
    string Auto,
    string None,
    string Required,
    string Named,
    string? NameUnder = null,
    bool ModesAsObjects = false,
    string? ParallelField = null,
    string? DisableParallelField = null);
