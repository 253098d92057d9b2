using Overlap.Core.Contracts;
using Overlap.Core.Statements;

namespace Overlap.Core.Workflow;

/// <summary>
/// The price of sending a band of scores to people instead of deciding them: a case whose score lies in
/// [<see cref="Low"/>, <see cref="High"/>] goes to a person at the review cost, and the person decides it rightly;
/// outside it the model decides by the threshold. Without a band, <see cref="Low"/> and <see cref="High"/> are null.
/// </summary>
/// <param name="Low">The lowest score sent to a person.</param>
/// <param name="High">The highest score sent to a person.</param>
/// <param name="Reviewed">How many cases the band sends to people.</param>
/// <param name="ShareReviewed">The share of all cases that is.</param>
/// <param name="FalsePositives">Negatives the model still flags (outside the band).</param>
/// <param name="FalseNegatives">Positives the model still misses (outside the band).</param>
/// <param name="CostPer1000">Review cost of the band plus the cost of the errors left, per 1,000 cases.</param>
public sealed record BandCost(
    double? Low,
    double? High,
    long Reviewed,
    double ShareReviewed,
    long FalsePositives,
    long FalseNegatives,
    [property: System.Text.Json.Serialization.JsonPropertyName("cost_per_1000")] double CostPer1000
);

/// <summary>
/// The abstain band's trade-off on labelled cases, priced with the contract's costs and a review cost per case: no band,
/// the band the contract has (if any), the band that costs least, and bands of widening width around the threshold for
/// a chart.
/// </summary>
/// <param name="Threshold">The model's decision threshold (positive when the score is at least it).</param>
/// <param name="ReviewCost">What a person's review of one case costs, in the contract's currency.</param>
/// <param name="N">The labelled cases it is computed on.</param>
/// <param name="None">Every case decided by the model.</param>
/// <param name="Current">The contract's band, when it has one.</param>
/// <param name="Optimal">The band that costs least (the narrowest of equal cost); no band when none pays.</param>
/// <param name="Curve">Bands from threshold − w to threshold + w for w = 0.01, 0.02, …, 0.50 (cut at 0 and 1, rounded to 10 decimals).</param>
public sealed record AbstainTradeOff(
    double Threshold,
    double ReviewCost,
    long N,
    BandCost None,
    BandCost? Current,
    BandCost Optimal,
    IReadOnlyList<BandPoint> Curve
)
{
    /// <summary>What the band that costs least does, in the contract's words (see <see cref="Say"/>).</summary>
    public string? Statement { get; init; }

    /// <summary>
    /// Computes the trade-off on <paramref name="scores"/> and <paramref name="labels"/> (1 positive, 0 negative; at least
    /// one case). Each side of the threshold is chosen on its own, since a case below it costs the same whatever is
    /// sent to people above it: below, the cut whose reviews plus missed positives cost least; above, the cut whose
    /// reviews plus false flags cost least.
    /// </summary>
    public static AbstainTradeOff Compute(
        ReadOnlySpan<double> scores,
        ReadOnlySpan<byte> labels,
        ReadOnlySpan<int> frequencies,
        double threshold,
        double falsePositiveCost,
        double falseNegativeCost,
        double reviewCost,
        (double Low, double High)? current
    )
    {
        if (
            scores.Length == 0
            || scores.Length != labels.Length
            || (!frequencies.IsEmpty && frequencies.Length != scores.Length)
        )
        {
            throw new ArgumentException(
                "one label (and frequency) for each score, and at least one case",
                nameof(labels)
            );
        }
        var below = new List<(double Score, byte Label, long Count)>();
        var above = new List<(double Score, byte Label, long Count)>();
        for (var i = 0; i < scores.Length; i++)
        {
            var count = frequencies.IsEmpty ? 1 : frequencies[i];
            if (count > 0)
            {
                (scores[i] >= threshold ? above : below).Add((scores[i], labels[i], count));
            }
        }
        below.Sort((a, b) => a.Score.CompareTo(b.Score));
        above.Sort((a, b) => a.Score.CompareTo(b.Score));

        // Below: reviewing from the case at index k up (k = count: none) leaves the positives before k missed.
        var missedBefore = 0L;
        var belowCases = below.Sum(c => c.Count);
        var before = 0L;
        var belowPositives = below.Sum(c => c.Label * c.Count);
        (int Cut, double Cost) bestLow = (below.Count, falseNegativeCost * belowPositives);
        for (var k = 0; k < below.Count; k++)
        {
            if (k == 0 || below[k].Score != below[k - 1].Score)
            {
                var cost = (reviewCost * (belowCases - before)) + (falseNegativeCost * missedBefore);
                // The narrowest of equal cost: a later cut reviews fewer, so it wins a tie.
                if (cost < bestLow.Cost || (cost == bestLow.Cost && k > bestLow.Cut))
                {
                    bestLow = (k, cost);
                }
            }
            missedBefore += below[k].Label * below[k].Count;
            before += below[k].Count;
        }
        // Above: reviewing up to the case before index j (j = 0: none) leaves the negatives from j flagged.
        var aboveNegatives = above.Sum(c => (1 - c.Label) * c.Count);
        var flaggedFrom = aboveNegatives;
        var reviewedUpTo = 0L;
        (int Cut, double Cost) bestHigh = (0, falsePositiveCost * aboveNegatives);
        for (var j = 1; j <= above.Count; j++)
        {
            flaggedFrom -= (1 - above[j - 1].Label) * above[j - 1].Count;
            reviewedUpTo += above[j - 1].Count;
            if (j == above.Count || above[j].Score != above[j - 1].Score)
            {
                var cost = (reviewCost * reviewedUpTo) + (falsePositiveCost * flaggedFrom);
                if (cost < bestHigh.Cost)
                {
                    bestHigh = (j, cost);
                }
            }
        }
        var lowReviews = bestLow.Cut < below.Count;
        var highReviews = bestHigh.Cut > 0;
        var optimal =
            !lowReviews && !highReviews
                ? Band(scores, labels, frequencies, threshold, falsePositiveCost, falseNegativeCost, reviewCost, null)
                : Band(
                    scores,
                    labels,
                    frequencies,
                    threshold,
                    falsePositiveCost,
                    falseNegativeCost,
                    reviewCost,
                    (
                        lowReviews ? below[bestLow.Cut].Score : threshold,
                        highReviews ? above[bestHigh.Cut - 1].Score : below[^1].Score
                    )
                );
        var curve = new List<BandPoint>(50);
        for (var w = 1; w <= 50; w++)
        {
            var width = w / 100.0;
            curve.Add(
                new BandPoint(
                    width,
                    Band(
                        scores,
                        labels,
                        frequencies,
                        threshold,
                        falsePositiveCost,
                        falseNegativeCost,
                        reviewCost,
                        (Math.Max(0, Math.Round(threshold - width, 10)), Math.Min(1, Math.Round(threshold + width, 10)))
                    )
                )
            );
        }
        return new AbstainTradeOff(
            threshold,
            reviewCost,
            belowCases + above.Sum(c => c.Count),
            Band(scores, labels, frequencies, threshold, falsePositiveCost, falseNegativeCost, reviewCost, null),
            current is { } band
                ? Band(scores, labels, frequencies, threshold, falsePositiveCost, falseNegativeCost, reviewCost, band)
                : null,
            optimal,
            curve
        );
    }

    /// <summary>
    /// What the band that costs least does, in the contract's words and currency: "Sending payments scored 0.0952 to
    /// 0.2232 to a person (511 payments, 8.5%, at 1.5 EUR each) would cost 227.1 EUR per 1,000 payments instead of 284.7
    /// with every payment decided by the model: 32 fewer fraudulent payments missed and 156 fewer false flags."
    /// </summary>
    public string Say(ContractWords words, string currency)
    {
        ArgumentNullException.ThrowIfNull(words);
        var examples = Phrasing.Plural(words.Example);
        if (Optimal.Low is not { } low || Optimal.High is not { } high)
        {
            return $"No band of scores sent to a person at {Phrasing.Number(ReviewCost)} {currency} each would cost less "
                + $"than letting the model decide every {words.Example} ({Phrasing.Number(None.CostPer1000)} {currency} "
                + $"per 1,000 {examples}).";
        }
        var statement =
            $"Sending {examples} scored {Phrasing.Number(low)} to {Phrasing.Number(high)} to a person "
            + $"({Phrasing.Count(Optimal.Reviewed, words.Example)}, {Phrasing.Percent(Optimal.ShareReviewed)}, at "
            + $"{Phrasing.Number(ReviewCost)} {currency} each) would cost {Phrasing.Number(Optimal.CostPer1000)} {currency} "
            + $"per 1,000 {examples} instead of {Phrasing.Number(None.CostPer1000)} with every {words.Example} decided by "
            + $"the model: {Fewer(None.FalseNegatives - Optimal.FalseNegatives, words.Positive)} missed and "
            + $"{Fewer(None.FalsePositives - Optimal.FalsePositives, "false flag")}.";
        if (Current is { Low: { } l, High: { } h } current)
        {
            statement +=
                $" The contract's band, {Phrasing.Number(l)} to {Phrasing.Number(h)}, costs "
                + $"{Phrasing.Number(current.CostPer1000)} {currency} per 1,000 "
                + $"({Phrasing.Percent(current.ShareReviewed)} of {examples} to people).";
        }
        return statement;
    }

    // "32 fewer fraudulent payments", "1 fewer false flag".
    private static string Fewer(long count, string noun)
    {
        var counted = Phrasing.Count(count, noun);
        var space = counted.IndexOf(' ', StringComparison.Ordinal);
        return $"{counted[..space]} fewer {counted[(space + 1)..]}";
    }

    /// <summary>The counts and cost of one band (null: no band) on the cases (each standing for its frequency; empty: one).</summary>
    public static BandCost Band(
        ReadOnlySpan<double> scores,
        ReadOnlySpan<byte> labels,
        ReadOnlySpan<int> frequencies,
        double threshold,
        double falsePositiveCost,
        double falseNegativeCost,
        double reviewCost,
        (double Low, double High)? band
    )
    {
        long reviewed = 0,
            fp = 0,
            fn = 0,
            n = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var s = scores[i];
            long count = frequencies.IsEmpty ? 1 : frequencies[i];
            n += count;
            if (band is { } b && s >= b.Low && s <= b.High)
            {
                reviewed += count;
            }
            else if (s >= threshold)
            {
                fp += (1 - labels[i]) * count;
            }
            else
            {
                fn += labels[i] * count;
            }
        }
        return new BandCost(
            band?.Low,
            band?.High,
            reviewed,
            (double)reviewed / n,
            fp,
            fn,
            1000.0 * ((reviewCost * reviewed) + (falsePositiveCost * fp) + (falseNegativeCost * fn)) / n
        );
    }
}

/// <summary>A band from threshold − <see cref="Width"/> to threshold + <see cref="Width"/>, and what it costs.</summary>
public sealed record BandPoint(double Width, BandCost Band);
