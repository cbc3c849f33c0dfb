using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Protocol;

/// <summary>
/// A protocol's table of <see cref="ChatOptions"/> members: for each, the top-level field its value goes in as it is,
/// <see cref="OptionField.Mapped"/> (the protocol's writer maps it), or <see cref="OptionField.NotSent"/> (noted by
/// <see cref="UnsentOptions"/>, once per client). Every entry is required: a protocol says where each member goes.
/// </summary>
/// <remarks>
/// <see cref="RequestWriter"/> writes the entries that name a field in this order, each when the caller set it and nobody
/// else supplies the field (<see cref="Shared.RequestFields"/>). <paramref name="ConversationId"/> and
/// <paramref name="ReasoningOutput"/> have no value a field takes as it is: they are <see cref="OptionField.Mapped"/> or
/// <see cref="OptionField.NotSent"/>.
/// </remarks>
/// <param name="Temperature">Where <see cref="ChatOptions.Temperature"/> goes.</param>
/// <param name="TopP">Where <see cref="ChatOptions.TopP"/> goes.</param>
/// <param name="TopK">Where <see cref="ChatOptions.TopK"/> goes.</param>
/// <param name="MaxOutputTokens">Where <see cref="ChatOptions.MaxOutputTokens"/> goes.</param>
/// <param name="StopSequences">Where <see cref="ChatOptions.StopSequences"/> goes (an array, when there is a sequence).</param>
/// <param name="Seed">Where <see cref="ChatOptions.Seed"/> goes.</param>
/// <param name="FrequencyPenalty">Where <see cref="ChatOptions.FrequencyPenalty"/> goes.</param>
/// <param name="PresencePenalty">Where <see cref="ChatOptions.PresencePenalty"/> goes.</param>
/// <param name="ConversationId">Where <see cref="ChatOptions.ConversationId"/> goes.</param>
/// <param name="ReasoningOutput">Where <see cref="ReasoningOptions.Output"/> goes.</param>
internal sealed record OptionFields(
    OptionField Temperature,
    OptionField TopP,
    OptionField TopK,
    OptionField MaxOutputTokens,
    OptionField StopSequences,
    OptionField Seed,
    OptionField FrequencyPenalty,
    OptionField PresencePenalty,
    OptionField ConversationId,
    OptionField ReasoningOutput);
