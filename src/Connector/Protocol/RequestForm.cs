using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Protocol;

/// <summary>The tables a protocol's <see cref="RequestWriter"/> fills in: where the options go, its effort words and schema rules, the shapes of its functions and tool choice.</summary>
/// <param name="Options">Where each <see cref="ChatOptions"/> member goes.</param>
/// <param name="Efforts">The words of the levels of <see cref="ReasoningOptions.Effort"/>.</param>
/// <param name="StrictRules">The rules the schema of a strict function or response format meets (see <see cref="StrictSchema"/>).</param>
/// <param name="Functions">The shape of a function's definition.</param>
/// <param name="ToolChoice">The words and shape of the tool choice.</param>
internal sealed record RequestForm(OptionFields Options, ReasoningEffortWords Efforts, StrictSchemaRules StrictRules, FunctionToolForm Functions, ToolChoiceForm ToolChoice);
