using System.Text;
using System.Text.Json;
using Overlap.Core.Generative;

namespace Overlap.Judges;

/// <summary>
/// The judge's prompt for one criterion and one output: the rubric's question, scale and examples, the case, and the
/// strict JSON answer asked for. The text is part of every cache key, so any change to it bumps <see cref="Version"/>.
/// </summary>
internal static class JudgePrompt
{
    /// <summary>The prompt format's version, part of every cache key.</summary>
    public const int Version = 1;

    /// <summary>The system message: the grader's role and the answer's form.</summary>
    public const string System =
        "You grade one output of an AI feature against one criterion of its rubric. "
        + "Read the criterion, its scale and any examples, then the case. "
        + "Answer with one JSON object and nothing else: no code fence, no text before or after it.";

    /// <summary>The user message: criterion, scale, examples, the case and the answer's exact shape.</summary>
    public static string User(RubricCriterion criterion, JudgeCase @case)
    {
        var text = new StringBuilder();
        text.Append("Criterion: ").AppendLine(criterion.Name);
        text.Append("Question: ").AppendLine(criterion.Question);
        text.Append("Scale: ").AppendLine(ScaleWords(criterion));
        Block(text, "An output that meets the criterion", criterion.GoodExample);
        Block(text, "An output that was rejected on this criterion", criterion.RejectedExample);
        Block(text, "Input given to the feature", @case.Input);
        Block(text, "Reference answer", @case.Reference);
        Block(text, "Output to grade", @case.Output);
        text.Append("Answer with exactly this JSON object: ").AppendLine(Shape(criterion));
        return text.ToString();
    }

    /// <summary>What is asked when an answer was not in the asked form, after that answer.</summary>
    public static string Again(string problem, RubricCriterion criterion) =>
        $"That answer was not in the asked form ({problem}). Answer again with exactly this JSON object and nothing "
        + $"else: {Shape(criterion)}";

    /// <summary>The JSON schema of the answer, for clients that support structured output.</summary>
    public static JsonElement Schema(RubricCriterion criterion)
    {
        var grades = criterion.Scale == RubricScale.PassFail ? "[0, 1]" : "[1, 2, 3, 4, 5]";
        return JsonDocument
            .Parse(
                $$$"""
                {"type": "object",
                 "properties": {"grade": {"type": "integer", "enum": {{{grades}}}}, "reason": {"type": "string"}},
                 "required": ["grade", "reason"], "additionalProperties": false}
                """
            )
            .RootElement.Clone();
    }

    private static string ScaleWords(RubricCriterion criterion) =>
        criterion.Scale == RubricScale.PassFail
            ? "pass_fail: grade 1 if the output meets the criterion, 0 if it does not."
            : $"1-5: grade from 1 (worst) to 5 (best), a whole number; {criterion.PassAt} or above passes.";

    private static string Shape(RubricCriterion criterion) =>
        criterion.Scale == RubricScale.PassFail
            ? """{"grade": 1 or 0, "reason": "one sentence saying why"}"""
            : """{"grade": a whole number from 1 to 5, "reason": "one sentence saying why"}""";

    private static void Block(StringBuilder text, string title, string? content)
    {
        if (content is null)
        {
            return;
        }
        text.Append(title).AppendLine(":").AppendLine("<<<").AppendLine(content).AppendLine(">>>");
    }
}
