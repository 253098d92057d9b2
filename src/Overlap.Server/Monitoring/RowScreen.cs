using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;

namespace Overlap.Server.Monitoring;

/// <summary>
/// Checks stored values against the contract a report is judged by, as they are read: a value a reader cannot use
/// (a label the contract does not name, a score outside its range, a negative latency, a cost that is not finite) is
/// left out and counted with the reason, and text holding a NUL or a lone surrogate is kept with U+FFFD in its place.
/// The store keeps what it was sent (an older contract may have named other labels), so no stored row can fail a report.
/// </summary>
internal sealed class RowScreen(Contract contract, int version)
{
    private readonly ColumnRule? _score = contract.Columns.Score is { } score
        ? Evaluator.ReadOptions(contract, contract.Feature).Rules![score]
        : null;

    /// <summary>The range of scores the contract admits (all numbers without a score column).</summary>
    public (double Min, double Max) ScoreRange =>
        _score is null ? (double.NegativeInfinity, double.PositiveInfinity) : (_score.Min, _score.Max);

    /// <summary>
    /// What was left out or repaired, by reason. Each check below counts one prediction, or <c>count</c> of them when
    /// it checks a group of predictions that share the value (a window read in groups).
    /// </summary>
    public LeftOutTally LeftOut { get; } = new();

    /// <summary>The score, or NaN (counted) when the contract cannot take it; NaN (not sent) stays NaN.</summary>
    public double Score(double score, long count = 1)
    {
        if (double.IsNaN(score) || _score is null || _score.Admits(score))
        {
            return score;
        }
        LeftOut.Add(
            $"score {LeftOutTally.Show(score)} is outside {_score.Range}, the range contract version {version} allows (the prediction counts, its score does not)",
            count
        );
        return double.NaN;
    }

    /// <summary>The latency, or NaN (counted) when it is negative or not finite.</summary>
    public double Latency(double latency, long count = 1)
    {
        if (double.IsNaN(latency) || (latency >= 0 && double.IsFinite(latency)))
        {
            return latency;
        }
        LeftOut.Add($"latency {LeftOutTally.Show(latency)} ms is not a finite number of milliseconds ≥ 0", count);
        return double.NaN;
    }

    /// <summary>The cost, or NaN (counted) when it is not finite.</summary>
    public double Cost(double cost, long count = 1)
    {
        if (double.IsNaN(cost) || double.IsFinite(cost))
        {
            return cost;
        }
        LeftOut.Add($"cost {LeftOutTally.Show(cost)} is not a finite number", count);
        return double.NaN;
    }

    /// <summary>An attribute's text with a NUL or lone surrogate replaced by U+FFFD (counted).</summary>
    public string? Text(string name, string? value, long count = 1)
    {
        if (value is null)
        {
            return null;
        }
        var (text, repaired) = TextRepair.Repair(value);
        if (repaired)
        {
            LeftOut.Add(TextRepair.Reason($"a value of '{LeftOutTally.Show(name)}'"), count);
        }
        return text;
    }

    /// <summary>The label, or null (counted: the prediction is judged as unlabelled) when the contract does not name it.</summary>
    public string? Label(string? label, long count = 1) => Named(label, "label", count);

    /// <summary>Whether a labelled row's prediction can be judged (counted when not); a missing one is left to the column rule.</summary>
    public bool Prediction(string? prediction, long count = 1) =>
        prediction is null || Named(prediction, "prediction", count) is not null;

    /// <summary>Counts a row the table refused (a column rule), with the rule's words.</summary>
    public void Refused(string refusal, long count = 1) =>
        LeftOut.Add($"a labelled prediction was left out: {refusal}", count);

    private string? Named(string? value, string role, long count)
    {
        if (value is null || Evaluator.NamesLabel(contract, value))
        {
            return value;
        }
        LeftOut.Add($"{role} '{LeftOutTally.Show(value)}' is not a label of contract version {version}", count);
        return null;
    }
}
