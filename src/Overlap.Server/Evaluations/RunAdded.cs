using Overlap.Storage;

namespace Overlap.Server.Evaluations;

/// <summary>A run stored, or why not: a 400 (what to send instead) or a 404 (no such feature).</summary>
internal sealed record RunAdded(EvaluationRun? Run, int Status, string Title, string Detail)
{
    public static RunAdded Ok(EvaluationRun run) => new(run, 201, "", "");

    public static RunAdded Bad(string title, string detail) => new(null, 400, title, detail);

    public static RunAdded Missing(string feature) =>
        new(
            null,
            404,
            "No such feature",
            $"'{feature}' has no contract yet; PUT one at /v1/features/{feature}/contract."
        );
}
