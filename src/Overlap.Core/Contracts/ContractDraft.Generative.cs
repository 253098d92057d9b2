using System.Globalization;
using System.Text;

namespace Overlap.Core.Contracts;

// The generative template: a case file's columns with a check of each common kind, a two-criterion rubric, the
// acceptable rule, people and a model judge, and placeholder requirements on the acceptable rate and a check.
public sealed partial record ContractDraft
{
    /// <summary>
    /// A commented generative contract (<c>task: generative</c>) for a case file: its output column (required), and its
    /// id, input and reference columns when known; checks, a rubric, <c>acceptable: all</c>, judges and placeholder
    /// requirements to edit. <see cref="ContractParser"/> accepts it as written.
    /// </summary>
    /// <param name="feature">The feature's name.</param>
    /// <param name="output">The column with the feature's output text.</param>
    /// <param name="input">The column with what the feature was given, or null.</param>
    /// <param name="reference">The column with a reference answer (what a person wrote), or null.</param>
    /// <param name="id">The column with one id per case, or null.</param>
    /// <param name="dataFile">The file the columns came from, for the header comment, or null.</param>
    public static string GenerativeYaml(
        string feature,
        string output,
        string? input,
        string? reference,
        string? id,
        string? dataFile
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentNullException.ThrowIfNull(output);
        var inv = CultureInfo.InvariantCulture;
        var y = new StringBuilder();
        y.AppendLine("# overlap.yaml: what \"good enough\" means for this feature (every key: docs/contract.md,");
        y.AppendLine("# generative features: docs/generative.md).");
        if (dataFile is not null)
        {
            y.AppendLine(
                inv,
                $"# Drafted by 'overlap contract init' from {dataFile}; check each line, then run 'overlap contract validate'."
            );
        }
        y.AppendLine(inv, $"feature: {feature}            # lowercase letters, digits and dashes");
        y.AppendLine("description: What this feature writes, in one sentence a stakeholder understands.");
        y.AppendLine("task: generative               # text outputs judged by checks, a rubric and judges");
        y.AppendLine("columns:");
        Column(y, "id", id, "one id per case: pairs runs, matches people's and the model's grades");
        Column(y, "input", input, "what the feature was given");
        Column(y, "output", output, "the text the feature wrote");
        Column(y, "reference", reference, "what a person wrote, for similar_to checks and the judge");
        y.AppendLine("words: { example: case, output: output }   # how statements name a case and an output");
        y.AppendLine("# Deterministic checks, run on every output (kinds: regex, contains, not_contains, min_length,");
        y.AppendLine("# max_length, json_schema, similar_to).");
        y.AppendLine("checks:");
        y.AppendLine("  - { name: says_something, min_length: 20 }");
        y.AppendLine("  - { name: short_enough, max_length: 1200 }");
        y.AppendLine("  - { name: no_promise, not_contains: [\"I guarantee\"] }");
        if (reference is not null)
        {
            y.AppendLine(
                inv,
                $"  - {{ name: on_topic, similar_to: {Quote(reference)}, min: 0.5 }}   # cosine of sentence embeddings"
            );
        }
        y.AppendLine("# Graded by people (columns rubric.<name> in the cases) and by the model judge.");
        y.AppendLine("rubric:");
        y.AppendLine(
            "  - { name: correct, question: \"Is every fact in the output supported by the input?\", scale: pass_fail }"
        );
        y.AppendLine("  - { name: tone, question: \"Is the tone clear and professional?\", scale: 1-5, pass_at: 4 }");
        y.AppendLine("acceptable: all                # an output is acceptable when every check and criterion passes");
        y.AppendLine("judges:");
        y.AppendLine("  people: { sample: 0.05 }     # the share of production outputs sent to the review queue");
        y.AppendLine("  # The model judge: any OpenAI-compatible endpoint; env:NAME reads an environment variable.");
        y.AppendLine(
            "  model: { endpoint: env:OVERLAP_JUDGE_ENDPOINT, model: env:OVERLAP_JUDGE_MODEL, key: env:OVERLAP_JUDGE_KEY, budget_per_day: 5.00 }"
        );
        y.AppendLine("  min_agreement: 0.8           # the model's grades count where it agrees with people this well");
        y.AppendLine("confidence: 0.95              # every figure comes with an interval at this confidence");
        y.AppendLine(
            "# Starting bars: placeholders, set them to what the product needs. A verdict is judged on the interval."
        );
        y.AppendLine("requirements:");
        y.AppendLine("  - { metric: acceptable_rate, min: 0.8 }");
        y.AppendLine("  - { metric: check.no_promise.pass_rate, min: 0.99 }");
        y.AppendLine("  - { metric: rubric.tone.mean, min: 3.5 }");
        return y.ToString();
    }
}
