namespace Overlap.Core.Statistics;

/// <summary>
/// ROC AUC of two samples of scores: the chance that a score from <c>positives</c> is above one from
/// <c>negatives</c>, ties counting half (the Mann–Whitney U over the product of the sizes, as
/// <c>sklearn.metrics.roc_auc_score</c> gives). NaN when either sample is empty.
/// </summary>
internal static class RankAuc
{
    /// <summary>The AUC, with positives as the class that should score higher.</summary>
    public static double Of(ReadOnlySpan<double> positives, ReadOnlySpan<double> negatives)
    {
        if (positives.IsEmpty || negatives.IsEmpty)
        {
            return double.NaN;
        }
        var n = positives.Length + negatives.Length;
        var scores = new double[n];
        var isPositive = new bool[n];
        positives.CopyTo(scores);
        negatives.CopyTo(scores.AsSpan(positives.Length));
        isPositive.AsSpan(0, positives.Length).Fill(true);
        Array.Sort(scores, isPositive);
        // Sum of the positives' ranks, tied scores sharing their mean rank.
        var rankSum = 0.0;
        for (var i = 0; i < n; )
        {
            var j = i;
            var tiedPositives = 0;
            while (j < n && scores[j] == scores[i])
            {
                tiedPositives += isPositive[j] ? 1 : 0;
                j++;
            }
            rankSum += tiedPositives * ((i + 1 + j) / 2.0);
            i = j;
        }
        var p = (double)positives.Length;
        return (rankSum - (p * (p + 1) / 2)) / (p * negatives.Length);
    }
}
