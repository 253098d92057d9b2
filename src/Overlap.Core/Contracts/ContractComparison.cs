using Overlap.Core.Statements;

namespace Overlap.Core.Contracts;

/// <summary>
/// What changed between two versions of a contract, in sentences: bars raised, lowered, added or removed (a bar is
/// known by its metric, segment column and kind), and the threshold, confidence and costs. Other edits are left to
/// the line diff.
/// </summary>
public static class ContractComparison
{
    /// <summary>One sentence per change, bars first in the newer version's order; empty when none of these changed.</summary>
    public static IReadOnlyList<string> Describe(Contract before, Contract after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<string>();
        var old = before.Requirements.GroupBy(Key).ToDictionary(g => g.Key, g => g.ToList());
        var now = after.Requirements.GroupBy(Key).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var key in now.Keys.Concat(old.Keys).Distinct())
        {
            var was = old.GetValueOrDefault(key) ?? [];
            var @is = now.GetValueOrDefault(key) ?? [];
            // The same bar written twice is paired in order; what is left over was added or removed.
            for (var i = 0; i < Math.Max(was.Count, @is.Count); i++)
            {
                if (i >= was.Count)
                {
                    changes.Add("New bar: " + Phrasing.Promise(@is[i], after.Words));
                }
                else if (i >= @is.Count)
                {
                    changes.Add("Bar removed: " + Phrasing.Promise(was[i], before.Words));
                }
                else if (was[i].Value != @is[i].Value)
                {
                    changes.Add(Moved(was[i], @is[i].Value));
                }
            }
        }
        if (before.OptimizeThreshold != after.OptimizeThreshold)
        {
            changes.Add(
                after.OptimizeThreshold
                    ? $"The threshold is now the one with the lowest expected cost (was {Phrasing.Number(before.Threshold)})."
                    : $"The threshold is now {Phrasing.Number(after.Threshold)} (was the one with the lowest expected cost)."
            );
        }
        else if (!after.OptimizeThreshold && before.Threshold != after.Threshold)
        {
            changes.Add(
                $"The decision threshold moved from {Phrasing.Number(before.Threshold)} to {Phrasing.Number(after.Threshold)}."
            );
        }
        if (before.Confidence != after.Confidence)
        {
            changes.Add(
                $"Intervals are now judged at {Phrasing.Confidence(after.Confidence)} confidence (was {Phrasing.Confidence(before.Confidence)})."
            );
        }
        if (before.Costs.Given != after.Costs.Given)
        {
            var c = after.Costs;
            changes.Add(
                c.Given
                    ? $"Error costs are now written down: a false positive costs {Phrasing.Number(c.FalsePositive)} {c.Currency}, a false negative {Phrasing.Number(c.FalseNegative)} {c.Currency}."
                    : "Error costs are no longer written down: both kinds of error count the same."
            );
        }
        else
        {
            Cost(
                changes,
                "false positive",
                before.Costs.FalsePositive,
                after.Costs.FalsePositive,
                before.Costs.Currency,
                after.Costs.Currency
            );
            Cost(
                changes,
                "false negative",
                before.Costs.FalseNegative,
                after.Costs.FalseNegative,
                before.Costs.Currency,
                after.Costs.Currency
            );
        }
        return changes;
    }

    private static (string Metric, string? By, Bound Bound) Key(Requirement r) => (r.Metric, r.By, r.Bound);

    /// <summary>"The recall bar was raised from 0.7 to 0.75 (stricter)."</summary>
    private static string Moved(Requirement was, double value)
    {
        var up = value > was.Value;
        // A floor is stricter higher; a ceiling and a gap are stricter lower.
        var stricter = was.Bound == Bound.Min ? up : !up;
        var metric = Phrasing.Name(was.Metric);
        var scope = was.By is null ? string.Empty : $"per-{was.By} ";
        var what = was.Bound switch
        {
            Bound.Min => $"The {scope}{metric} bar was {(up ? "raised" : "lowered")}",
            Bound.Max => $"The {scope}{metric} ceiling was {(up ? "raised" : "lowered")}",
            _ => $"The largest {metric} gap allowed between {was.By} groups was {(up ? "widened" : "narrowed")}",
        };
        return $"{what} from {Phrasing.Number(was.Value)} to {Phrasing.Number(value)} ({(stricter ? "stricter" : "looser")}).";
    }

    private static void Cost(
        List<string> changes,
        string error,
        double was,
        double now,
        string wasCurrency,
        string nowCurrency
    )
    {
        if (was != now || wasCurrency != nowCurrency)
        {
            changes.Add(
                $"The cost of a {error} went from {Phrasing.Number(was)} {wasCurrency} to {Phrasing.Number(now)} {nowCurrency}."
            );
        }
    }
}
