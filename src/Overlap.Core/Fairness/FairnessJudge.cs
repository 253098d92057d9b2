using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Statements;

namespace Overlap.Core.Fairness;

/// <summary>
/// Judges a fairness measure against its bar with the usual rules (<see cref="Evaluation.Judge"/>): on the interval, never
/// the point; a group with fewer examples behind its rate than the minimum group size makes it "not enough data" whatever
/// the interval says, with the number that group still needs. Every figure is put in words; none is NaN in a sentence.
/// </summary>
internal static class FairnessJudge
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static FairnessResult Judge(
        MeasureFigure f,
        FairnessRequirement? requirement,
        int minGroupSize,
        ContractWords words
    )
    {
        var small = f
            .Groups.Select(g => (Group: g, Count: Basis(f.Measure, g)))
            .Where(x => x.Count < minGroupSize)
            .ToList();
        Verdict? verdict = null;
        long? more = null;
        if (requirement is not null)
        {
            if (double.IsNaN(f.Value))
            {
                verdict = Verdict.Inconclusive;
            }
            else if (small.Count > 0)
            {
                verdict = Verdict.Inconclusive;
                more = small.Max(x => minGroupSize - x.Count);
            }
            else
            {
                verdict = Evaluation.Judge.Interval(
                    requirement.Bound,
                    requirement.Value,
                    f.Interval.Low,
                    f.Interval.High
                );
                if (verdict == Verdict.Inconclusive)
                {
                    more = Evaluation.Judge.MoreNeeded(
                        f.Value,
                        f.Interval.Low,
                        f.Interval.High,
                        f.Groups.Sum(g => Basis(f.Measure, g)),
                        requirement.Value
                    );
                }
            }
        }
        var reason = double.IsNaN(f.Value) ? Undefined(f, words) : null;
        var statement = reason is null
            ? Figure(f, requirement, small.Count > 0 ? null : verdict, words)
            : Phrasing.Capitalize(reason) + ".";
        if (requirement is not null && small.Count > 0)
        {
            var worst = small.MinBy(x => x.Count);
            statement +=
                " "
                + string.Create(
                    Inv,
                    $"Not enough data to judge it: {Who(f.Attributes, worst.Group.Value)} has only {Phrasing.Count(worst.Count, Noun(f.Measure, words))} (the contract asks for at least {minGroupSize:#,0} per group), so about {more:#,0} more are needed."
                );
        }
        else if (verdict == Verdict.Inconclusive && more is { } needed && !double.IsNaN(f.Value))
        {
            statement += string.Create(
                Inv,
                $" About {needed:#,0} more {Phrasing.Plural(Noun(f.Measure, words))} would settle it if the figure held."
            );
        }
        return new FairnessResult
        {
            Metric = f.Measure.Name,
            Value = f.Value,
            CiLow = f.Interval.Low,
            CiHigh = f.Interval.High,
            Lowest = f.Lowest?.Value,
            Highest = f.Highest?.Value,
            LowestRate = f.Lowest is { } lo ? RateOf(lo, f.Rate) : null,
            HighestRate = f.Highest is { } hi ? RateOf(hi, f.Rate) : null,
            Min = requirement?.Bound == Bound.Min ? requirement.Value : null,
            Max = requirement?.Bound == Bound.Max ? requirement.Value : null,
            Verdict = verdict,
            SmallGroups = [.. small.Select(x => x.Group.Value)],
            MoreExamplesNeeded = more,
            Reason = reason,
            Statement = statement,
        };
    }

    /// <summary>The result as one of the report's requirements, so it gates, tallies and renders like every other bar.</summary>
    public static RequirementResult Requirement(FairnessResult r, FairnessRequirement requirement) =>
        new()
        {
            Metric = r.Metric,
            Min = r.Min,
            Max = r.Max,
            By = FairnessPolicy.Name(requirement.By),
            Verdict = r.Verdict ?? Verdict.Inconclusive,
            Value = double.IsNaN(r.Value) ? null : r.Value,
            CiLow = double.IsNaN(r.CiLow) ? null : r.CiLow,
            CiHigh = double.IsNaN(r.CiHigh) ? null : r.CiHigh,
            Reason = r.Reason,
            MoreExamplesNeeded = r.MoreExamplesNeeded,
            Statement = r.Statement,
        };

    /// <summary>How many examples a group's rate rests on for this measure: all of them, its positives, its negatives or the fewer of both.</summary>
    private static long Basis(FairnessMeasure measure, FairnessGroup g) =>
        measure.Rates.Min(r =>
            r switch
            {
                GroupRate.TruePositiveRate => g.Positives,
                GroupRate.FalsePositiveRate => g.Negatives,
                // In production the selection rate is over every prediction of the group, labelled or not.
                GroupRate.SelectionRate => g.SelectionRate.N,
                _ => g.N,
            }
        );

    private static string Noun(FairnessMeasure measure, ContractWords words) =>
        measure.Rates switch
        {
            [GroupRate.TruePositiveRate] => words.Positive,
            [GroupRate.FalsePositiveRate] => words.Negative,
            [_] => words.Example,
            _ => $"{words.Positive} or {words.Negative}",
        };

    private static double? RateOf(FairnessGroup g, GroupRate rate)
    {
        var v = rate switch
        {
            GroupRate.SelectionRate => g.SelectionRate.Value,
            GroupRate.TruePositiveRate => g.TruePositiveRate.Value,
            GroupRate.FalsePositiveRate => g.FalsePositiveRate.Value,
            _ => g.CalibrationError ?? double.NaN,
        };
        return double.IsNaN(v) ? null : v;
    }

    /// <summary>"sex = F", "sex = F and race = black".</summary>
    private static string Who(IReadOnlyList<string> attributes, string value)
    {
        var parts = attributes.Count == 1 ? [value] : value.Split(" & ");
        return parts.Length == attributes.Count
            ? string.Join(" and ", attributes.Select((a, i) => $"{a} = {parts[i]}"))
            : $"{FairnessPolicy.Name(attributes)} = {value}";
    }

    private static string Figure(MeasureFigure f, FairnessRequirement? requirement, Verdict? verdict, ContractWords w)
    {
        var examples = Phrasing.Plural(w.Example);
        var lo = Who(f.Attributes, f.Lowest!.Value);
        var hi = Who(f.Attributes, f.Highest!.Value);
        var low = RateOf(f.Lowest, f.Rate) ?? double.NaN;
        var high = RateOf(f.Highest, f.Rate) ?? double.NaN;
        var interval = f.Interval.IsKnown ? $" ({Short(f.Interval.Low)} to {Short(f.Interval.High)})" : string.Empty;
        var value = Short(f.Value);
        var text = f.Measure.Name switch
        {
            "selection_rate_ratio" =>
                $"{Phrasing.Capitalize(examples)} with {lo} are {w.Action} {value} times as often as those with {hi}{interval}",
            "selection_rate_difference" =>
                $"{Phrasing.Capitalize(examples)} with {hi} are {w.Action} {Phrasing.Percent(high)} of the time and those with {lo} {Phrasing.Percent(low)}: a difference of {value}{interval}",
            "equal_opportunity_difference" =>
                $"Of the {Phrasing.Plural(w.Positive)}, those with {hi} are {w.Action} {Phrasing.Percent(high)} of the time and those with {lo} {Phrasing.Percent(low)}: a difference of {value}{interval}",
            "false_positive_rate_difference" =>
                $"Of the {Phrasing.Plural(w.Negative)}, those with {hi} are {w.Action} {Phrasing.Percent(high)} of the time and those with {lo} {Phrasing.Percent(low)}: a difference of {value}{interval}",
            "equalized_odds_difference" =>
                $"Across {FairnessPolicy.Name(f.Attributes)}, the larger of the gaps in how often {Phrasing.Plural(w.Positive)} and {Phrasing.Plural(w.Negative)} are {w.Action} is {value}{interval}, between {hi} ({Phrasing.Percent(high)}) and {lo} ({Phrasing.Percent(low)}) for {Phrasing.Plural(f.Rate == GroupRate.TruePositiveRate ? w.Positive : w.Negative)}",
            _ =>
                $"Scores are off from the observed rate by {Phrasing.Percent(high)} on average for {hi} and by {Phrasing.Percent(low)} for {lo} (calibration error): a gap of {value}{interval}",
        };
        return text + Tail(requirement, verdict) + ".";
    }

    /// <summary>A ratio or difference for prose, to two decimals ("0.72"), as a reader compares it with a bar such as 0.8.</summary>
    internal static string Short(double value) => Phrasing.Number(Math.Round(value, 2));

    private static string Tail(FairnessRequirement? requirement, Verdict? verdict)
    {
        if (requirement is null || verdict is null)
        {
            return string.Empty;
        }
        var bar =
            requirement.Bound == Bound.Min && Math.Abs(requirement.Value - 0.8) < 1e-12
                ? "the four-fifths bar"
                : $"the bar of {Phrasing.Number(requirement.Value)}";
        return verdict switch
        {
            Verdict.Pass => requirement.Bound == Bound.Min ? $": clear of {bar}" : $": within {bar}",
            Verdict.Fail => requirement.Bound == Bound.Min ? $": below {bar}" : $": above {bar}",
            _ => $": too close to {bar} to tell",
        };
    }

    private static string Undefined(MeasureFigure f, ContractWords w)
    {
        var by = FairnessPolicy.Name(f.Attributes);
        var name = f.Measure.Name.Replace('_', ' ');
        if (f.Groups.Count < 2)
        {
            return $"the data has {(f.Groups.Count == 0 ? "no group" : "only one group")} of {by}, so {name} cannot be measured";
        }
        if (f.Measure.Rates.Any(r => r != GroupRate.SelectionRate) && f.Groups.All(g => g.N == 0))
        {
            // Production before the first outcome: the groups are there, their labels are not.
            return $"no {w.Example} has a label yet, so {name} cannot be measured";
        }
        if (f.Measure.IsRatio)
        {
            return $"no {w.Example} in any group of {by} is {w.Action}, so {name} cannot be measured";
        }
        var noun =
            f.Measure.Rates.Count > 1
                ? $"both {Phrasing.Plural(w.Positive)} and {Phrasing.Plural(w.Negative)}"
                : Phrasing.Plural(Noun(f.Measure, w));
        return $"fewer than two groups of {by} have {noun}, so {name} cannot be measured";
    }
}
