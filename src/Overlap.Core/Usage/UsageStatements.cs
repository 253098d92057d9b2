using System.Globalization;
using Overlap.Core.Contracts;
using static Overlap.Core.Statements.Phrasing;

namespace Overlap.Core.Usage;

/// <summary>A usage report in words: the range, what followed the predictions, what errors cost, and the users.</summary>
internal static class UsageStatements
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static IReadOnlyList<string> Of(Contract contract, UsageReport report)
    {
        var words = contract.Words;
        var noun = contract.Task == TaskKind.Generative ? words.Output : words.Example;
        var periods = report.Periods.Count;
        var span = report.Period == UsagePeriod.Week ? Count(periods, "week") : Count(periods, "day");
        var lines = new List<string>
        {
            string.Create(Inv, $"{Capitalize(span)} from {report.From:yyyy-MM-dd}: {Count(report.Predictions, noun)}")
                + (report.Users is { } u ? $" from {Count(u.Users, "user")}." : "."),
        };
        var positive = contract.Labels.Positive;
        foreach (var name in report.BusinessNames)
        {
            var figure = report.Business[name];
            var line = $"'{name}' followed {ShareText(figure.Conversion, noun, report.Confidence)}";
            if (figure.Value.Value is { } mean)
            {
                line += $" and came to {Number(mean)} per {noun} on average{MeanRange(figure.Value)}";
            }
            if (contract.Task == TaskKind.Binary && positive is not null && report.BusinessByDecision.Count > 1)
            {
                var parts = report
                    .BusinessByDecision.Where(d => d.Value[name].Conversion.Of > 0)
                    .Select(d =>
                        $"{(d.Key == positive ? $"{Plural(noun)} {words.Action}" : $"the other {Plural(noun)}")}: {Percent(d.Value[name].Conversion.Value ?? 0)}{ShareRange(d.Value[name].Conversion)}"
                    );
                line += $"; after {string.Join("; after ", parts)}";
            }
            lines.Add(line + ".");
        }
        if (report.Errors is { } errors)
        {
            lines.Add(errors.Statement);
        }
        if (report.Users is { } users)
        {
            lines.Add(users.ActivationStatement);
            lines.Add(users.RetentionStatement);
        }
        return lines;
    }

    /// <summary>
    /// "In the week of 2026-01-26, 72 of 137 payments were held for review. Among the 93 with a label, 20 legitimate
    /// payments were held for review by mistake and 9 fraudulent payments were missed: about 305 USD by the contract's costs."
    /// </summary>
    public static string Errors(
        Contract contract,
        UsagePeriod period,
        DateTimeOffset? start,
        long predictions,
        ErrorCost errors
    )
    {
        var words = contract.Words;
        var when = start switch
        {
            null => "Over the range",
            { } s when period == UsagePeriod.Week => string.Create(Inv, $"In the week of {s:yyyy-MM-dd}"),
            { } s => string.Create(Inv, $"On {s:yyyy-MM-dd}"),
        };
        var head =
            $"{when}, {errors.Flagged.ToString("#,0", Inv)} of {Count(predictions, words.Example)} {(errors.Flagged == 1 ? "was" : "were")} {words.Action}.";
        if (errors.Labelled == 0)
        {
            return $"{head} None has a label yet, so what its errors cost is not known.";
        }
        var mistakes =
            $"{Count(errors.FalsePositives, words.Negative)} {(errors.FalsePositives == 1 ? "was" : "were")} {words.Action} by mistake and {Count(errors.FalseNegatives, words.Positive)} {(errors.FalseNegatives == 1 ? "was" : "were")} missed";
        var price = contract.Costs.Given
            ? $": about {Number(errors.Cost)} {errors.Currency} by the contract's costs."
            : "; write 'costs' into the contract to see what they cost.";
        return $"{head} Among the {errors.Labelled.ToString("#,0", Inv)} with a label, {mistakes}{price}";
    }

    public static string Activation(Contract contract, ShareFigure activation, int days, double confidence)
    {
        var window = Count(days, "day");
        if (activation.Value is not { } value)
        {
            return $"No new user has been seen for the {window} after their first day yet, so activation cannot be measured.";
        }
        return $"{Percent(value)} of new users came back within {window} of their first day{ShareRange(activation, confidence)}; {Count(activation.Of, "new user")} seen long enough.";
    }

    public static string Retention(ShareFigure retention, double confidence)
    {
        if (retention.Value is not { } value)
        {
            return "No weekly cohort has had its following week end yet, so week-1 retention cannot be measured.";
        }
        return $"{Percent(value)} of new users used the feature again the week after the week they started{ShareRange(retention, confidence)}; {Count(retention.Of, "user")} in cohorts whose next week has ended.";
    }

    private static string ShareText(ShareFigure share, string noun, double confidence) =>
        share.Value is { } v
            ? $"{Percent(v)} of {Plural(noun)}{ShareRange(share, confidence)}"
            : $"no {noun} (none in the range)";

    private static string ShareRange(ShareFigure share, double confidence) =>
        share is { Low: { } low, High: { } high }
            ? $" ({Percent(low)} to {Percent(high)}, {Confidence(confidence)} confidence)"
            : string.Empty;

    private static string ShareRange(ShareFigure share) =>
        share is { Low: { } low, High: { } high } ? $" ({Percent(low)} to {Percent(high)})" : string.Empty;

    private static string MeanRange(MeanFigure mean) =>
        mean is { Low: { } low, High: { } high } ? $" ({Number(low)} to {Number(high)})" : string.Empty;
}
