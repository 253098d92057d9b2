using System.Text.Json;
using Overlap.Core.Generative;

namespace Overlap.Judges;

/// <summary>
/// Reads a judge's answer strictly: one JSON object with exactly <c>grade</c> (a whole number on the criterion's
/// scale) and <c>reason</c> (a non-empty string), with nothing around it but white space. Anything else is malformed
/// and says why; nothing is guessed.
/// </summary>
internal static class JudgeAnswerParser
{
    /// <summary>The grade and reason, or the problem with the answer.</summary>
    public static (int Grade, string Reason)? Parse(string? text, RubricCriterion criterion, out string problem)
    {
        problem = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "the answer was empty";
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException)
        {
            problem = "the answer was not one JSON object";
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "the answer was JSON but not an object";
                return null;
            }
            var names = root.EnumerateObject().Select(p => p.Name).ToList();
            if (names.Count != 2 || !names.Contains("grade") || !names.Contains("reason"))
            {
                problem = $"the object must have exactly \"grade\" and \"reason\", it had {Names(names)}";
                return null;
            }
            var grade = root.GetProperty("grade");
            var (low, high) = Range(criterion);
            if (grade.ValueKind != JsonValueKind.Number || !grade.TryGetInt32(out var g) || !InRange(g, criterion))
            {
                problem =
                    $"\"grade\" must be a whole number from {low} to {high}, it was {Shorten(grade.GetRawText())}";
                return null;
            }
            var reason = root.GetProperty("reason");
            if (reason.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(reason.GetString()))
            {
                problem = "\"reason\" must be a non-empty string";
                return null;
            }
            return (g, reason.GetString()!.Trim());
        }
    }

    /// <summary>True when a grade is on the criterion's scale.</summary>
    public static bool InRange(int grade, RubricCriterion criterion)
    {
        var (low, high) = Range(criterion);
        return grade >= low && grade <= high;
    }

    private static (int Low, int High) Range(RubricCriterion criterion) =>
        criterion.Scale == RubricScale.PassFail ? (0, 1) : (1, 5);

    private static string Names(List<string> names) =>
        names.Count == 0 ? "none" : string.Join(", ", names.Select(n => $"\"{Shorten(n)}\""));

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
