using System.Globalization;
using Overlap.Core.Contracts;

namespace Overlap.Core.Statements;

/// <summary>Turns metrics, bars and results into sentences a stakeholder can act on, in the contract's words.</summary>
public static class Phrasing
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>"spam email" → "spam emails".</summary>
    public static string Plural(string noun) =>
        noun.EndsWith('s') || noun.EndsWith("data", StringComparison.Ordinal) ? noun : noun + "s";

    /// <summary>
    /// A share as a whole percentage, with decimals when small or just short of all: 0.9 → "90%", 0.012 → "1.2%",
    /// 0.999 → "99.9%" (never "100%" for less than all).
    /// </summary>
    public static string Percent(double share)
    {
        var p = share * 100;
        if (p > 99 && p < 100)
        {
            var text = p.ToString("0.#", Invariant);
            return (text == "100" ? p.ToString("0.###", Invariant) : text) + "%";
        }
        return Math.Abs(p) < 10 && Math.Round(p) != p
            ? p.ToString("0.#", Invariant) + "%"
            : p.ToString("0", Invariant) + "%";
    }

    /// <summary>A confidence level to the precision the contract gives it: 0.95 → "95%", 0.9999 → "99.99%".</summary>
    public static string Confidence(double confidence) =>
        (Math.Round(confidence * 100, 10)).ToString("0.##########", Invariant) + "%";

    /// <summary>A count with its noun in the right number: (1, "payment") → "1 payment", (1200, "payment") → "1,200 payments".</summary>
    public static string Count(long count, string noun) =>
        count.ToString("#,0", Invariant) + " " + (count == 1 ? noun : Plural(noun));

    /// <summary>
    /// Why a metric has no value on a group of examples, in the contract's words: "no fraudulent payment among these
    /// payments, so recall cannot be measured".
    /// </summary>
    public static string Undefined(string metric, ContractWords words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var name = Name(metric);
        var these = $"these {Plural(words.Example)}";
        var why = MetricCatalog.Find(metric)?.Undefined?.Invoke(words, these)
            ?? $"{these} do not give enough to work with";
        return $"{why}, so {name} cannot be measured";
    }

    /// <summary>A number for prose: at most four significant digits.</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value))
        {
            return "n/a";
        }
        if (Math.Abs(value) >= 1000)
        {
            return value.ToString("#,0", Invariant);
        }
        // Four significant digits: 139.0771 → 139.1, 0.97472 → 0.9747, 0.057812 → 0.05781.
        var decimals = value == 0 ? 0 : Math.Clamp(3 - (int)Math.Floor(Math.Log10(Math.Abs(value))), 0, 12);
        return Math.Round(value, decimals).ToString("0." + new string('#', Math.Max(decimals, 1)), Invariant);
    }

    /// <summary>A rate as "1 in 20" when it is rare, else "12 of every 100".</summary>
    public static string Frequency(double rate)
    {
        if (double.IsNaN(rate))
        {
            return "an unmeasurable share of the";
        }
        if (rate <= 0)
        {
            return "none of the";
        }
        if (rate >= 1)
        {
            return "all of the";
        }
        if (rate < 0.2)
        {
            var n = Math.Round(1 / rate);
            return $"1 in {n.ToString("#,0", Invariant)}";
        }
        return $"{Math.Round(rate * 100).ToString("0", Invariant)} of every 100";
    }

    /// <summary>The promise a requirement makes, as a sentence ("Catch at least 90% of spam emails.").</summary>
    public static string Promise(Requirement requirement, ContractWords words)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        ArgumentNullException.ThrowIfNull(words);
        var info = MetricCatalog.Find(requirement.Metric);
        var bar = info?.IsProportion == true ? Percent(requirement.Value) : Number(requirement.Value);
        var atLeast = requirement.Bound == Bound.Min ? "at least" : "at most";
        if (requirement.Bound == Bound.MaxGap)
        {
            var points = Number(requirement.Value * (info?.Bounded == true ? 100 : 1));
            var unit = info?.Bounded == true ? " percentage points" : string.Empty;
            var direction = info?.HigherIsBetter == false ? "worse" : "below";
            return $"No {requirement.By} group may fall more than {points}{unit} {direction} the overall {Name(requirement.Metric)}.";
        }
        var scope = requirement.By is null ? string.Empty : $"In every {requirement.By} group, ";
        var sentence = info?.Promise?.Invoke(words, atLeast, bar) ?? $"keep {Name(requirement.Metric)} {atLeast} {bar}";
        var body = scope.Length == 0 ? Capitalize(sentence) : scope + sentence;
        return $"{body}.";
    }

    /// <summary>What a measured metric means, in words ("Catches 89 of every 100 spam emails (81 to 93 at 95% confidence).").</summary>
    public static string Result(
        string metric,
        double value,
        double low,
        double high,
        double confidence,
        ContractWords words,
        string? segment = null
    )
    {
        ArgumentNullException.ThrowIfNull(words);
        var where = segment is null ? string.Empty : $"For {segment}: ";
        if (double.IsNaN(value))
        {
            var why = Undefined(metric, words);
            return where.Length == 0 ? Capitalize(why) + "." : where + why + ".";
        }
        var ci = double.IsNaN(low)
            ? string.Empty
            : $" ({Range(metric, low, high)} at {Confidence(confidence)} confidence)";
        var core = MetricCatalog.Find(metric)?.Result?.Invoke(words, value) ?? $"{Name(metric)} is {Number(value)}";
        var sentence = Capitalize(core) + ci + ".";
        return where.Length == 0 ? sentence : where + core + ci + ".";
    }

    /// <summary>An interval in the units of its metric: rates as "81 to 93" out of 100 or percentages, others as numbers.</summary>
    public static string Range(string metric, double low, double high)
    {
        var info = MetricCatalog.Find(metric);
        if (info?.IsProportion == true)
        {
            return $"{Percent(low)} to {Percent(high)}";
        }
        var unit = info?.Unit is { } u ? " " + u : string.Empty;
        return $"{Number(low)} to {Number(high)}{unit}";
    }

    /// <summary>A metric name for prose: "false_positive_rate" → "false positive rate".</summary>
    public static string Name(string metric) => MetricCatalog.Find(metric)?.ProseName ?? metric.Replace('_', ' ');

    /// <summary>A p-value as people read it: "p = 0.0123", or "p &lt; 0.0001" for anything smaller.</summary>
    public static string PValue(double p) => p < 0.0001 ? "p < 0.0001" : "p = " + p.ToString("0.####", Invariant);

    /// <summary>Upper-cases the first letter.</summary>
    public static string Capitalize(string text) =>
        string.IsNullOrEmpty(text) ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
