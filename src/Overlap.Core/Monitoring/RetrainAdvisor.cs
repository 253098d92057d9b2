using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Monitoring;

/// <summary>
/// Applies a contract's <c>retrain_when</c> to production windows: retraining is recommended when the latest
/// <c>failed_windows</c> windows that have labels all failed a requirement, or the latest <c>drifted_windows</c>
/// windows that have traffic all drifted as a data set. Windows still waiting for labels neither break nor extend a
/// run of failures, so label delay does not hide one.
/// </summary>
public static class RetrainAdvisor
{
    /// <summary>The advice; null when the contract sets no <c>retrain_when</c>.</summary>
    public static RetrainRecommendation? Advise(RetrainPolicy? policy, IReadOnlyList<WindowReport> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (policy is null)
        {
            return null;
        }
        var failed = policy.FailedWindows is { } f
            ? TrailingRun(
                windows.Where(w => w.Evaluation is not null).ToList(),
                w => w.Evaluation!.Verdict == Verdict.Fail,
                f
            )
            : [];
        var drifted = policy.DriftedWindows is { } d
            ? TrailingRun(windows.Where(w => w.Drift is not null).ToList(), w => w.Drift!.DatasetDrift, d)
            : [];
        var evidence = new List<RetrainEvidence>();
        if (failed.Count > 0)
        {
            evidence.AddRange(
                failed.Select(w => new RetrainEvidence(
                    w.Start,
                    "failed",
                    [.. w.Evaluation!.Requirements.Where(r => r.Verdict == Verdict.Fail).Select(r => r.Statement)]
                ))
            );
        }
        if (drifted.Count > 0)
        {
            evidence.AddRange(
                drifted.Select(w => new RetrainEvidence(
                    w.Start,
                    "drifted",
                    [.. w.Drift!.Columns.Where(c => c.Drift).Select(c => c.Column)]
                ))
            );
        }
        var reasons = new List<string>();
        if (failed.Count > 0)
        {
            reasons.Add(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"the last {failed.Count} labelled windows each failed a requirement ({Days(failed)})"
                )
            );
        }
        if (drifted.Count > 0)
        {
            reasons.Add(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"the last {drifted.Count} windows each drifted from the reference ({Days(drifted)})"
                )
            );
        }
        var rule = string.Join(
            " or ",
            new[]
            {
                policy.FailedWindows is { } fw
                    ? string.Create(CultureInfo.InvariantCulture, $"{fw} labelled windows in a row fail a requirement")
                    : null,
                policy.DriftedWindows is { } dw
                    ? string.Create(CultureInfo.InvariantCulture, $"{dw} windows in a row drift")
                    : null,
            }.OfType<string>()
        );
        return new RetrainRecommendation
        {
            Recommended = reasons.Count > 0,
            Statement =
                reasons.Count > 0
                    ? $"Retrain recommended: {string.Join("; and ", reasons)}."
                    : $"No retraining needed yet: the contract asks for it when {rule}.",
            Evidence = [.. evidence.OrderBy(e => e.Start)],
        };
    }

    /// <summary>The last <paramref name="length"/> windows when every one of them holds; otherwise none.</summary>
    private static List<WindowReport> TrailingRun(
        List<WindowReport> windows,
        Func<WindowReport, bool> holds,
        int length
    ) => windows.Count >= length && windows.TakeLast(length).All(holds) ? [.. windows.TakeLast(length)] : [];

    private static string Days(List<WindowReport> windows) =>
        string.Join(
            ", ",
            windows.Select(w =>
                w.Start.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
                    .Replace(" 00:00", string.Empty, StringComparison.Ordinal)
            )
        );
}
