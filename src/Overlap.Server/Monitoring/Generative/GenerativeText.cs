using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Generative;
using Overlap.Core.Statements;

namespace Overlap.Server.Monitoring.Generative;

/// <summary>
/// How the generative page writes its figures: a share as "80% (49% to 94%)", any other figure in its unit, and never
/// NaN, infinity or an empty cell; a figure without a value says why.
/// </summary>
internal static class GenerativeText
{
    /// <summary>"not enough data yet (12 of 200 needed)".</summary>
    public static string NotEnough(long n, int needed) =>
        string.Create(CultureInfo.InvariantCulture, $"not enough data yet ({n:#,0} of {needed:#,0} needed)");

    /// <summary>A metric's value with its interval in the metric's units, or why it has none.</summary>
    public static string Figure(string metric, MetricValue? m)
    {
        if (m is null)
        {
            return "not measured";
        }
        if (!double.IsFinite(m.Value))
        {
            return m.Reason ?? "not measured";
        }
        var value = IsShare(metric) ? Phrasing.Percent(m.Value) : Phrasing.Number(m.Value);
        return double.IsFinite(m.CiLow) && double.IsFinite(m.CiHigh)
            ? $"{value} ({Phrasing.Range(metric, m.CiLow, m.CiHigh)})"
            : value;
    }

    /// <summary>A share with its interval: "20% (6% to 51%)", or why it has none.</summary>
    public static string Share(MetricValue? m) => Figure("acceptable_rate", m);

    /// <summary>A share with its interval and what it rests on: "20% (6% to 51%) of 10".</summary>
    public static string ShareOf(MetricValue? m) =>
        m is { N: > 0 } && double.IsFinite(m.Value)
            ? string.Create(CultureInfo.InvariantCulture, $"{Share(m)} of {m.N:#,0}")
            : Share(m);

    /// <summary>Whether a metric is a share (its interval is read in percentages).</summary>
    public static bool IsShare(string metric) =>
        MetricCatalog.Find(metric)?.IsProportion ?? metric.EndsWith("_rate", StringComparison.Ordinal);

    /// <summary>What the model judge's agreement verdict means, in a few words.</summary>
    public static string Verdict(JudgeAgreementVerdict verdict) =>
        verdict switch
        {
            JudgeAgreementVerdict.CanStandIn => "can stand in for people",
            JudgeAgreementVerdict.CannotStandIn => "cannot stand in for people",
            _ => "not enough data yet",
        };

    /// <summary>A difference of shares in signed percentage points: 0.031 → "+3 points", −0.012 → "−1 point".</summary>
    public static string Points(double difference)
    {
        var points = (int)Math.Round(difference * 100, MidpointRounding.AwayFromZero);
        var sign =
            points > 0 ? "+"
            : points < 0 ? "\u2212"
            : "";
        var size = Math.Abs(points);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{size} {(size == 1 ? "point" : "points")}");
    }

    /// <summary>A number with two decimals and a true minus sign.</summary>
    public static string TwoDecimals(double value) =>
        value.ToString("0.00", CultureInfo.InvariantCulture).Replace("-", "\u2212", StringComparison.Ordinal);

    /// <summary>The contract's word for its outputs, in the number <paramref name="count"/> asks for.</summary>
    public static string Outputs(Contract contract, long count) => Phrasing.Count(count, contract.Words.Output);
}
