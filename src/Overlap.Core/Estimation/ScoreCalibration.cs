using Overlap.Core.Metrics;

namespace Overlap.Core.Estimation;

/// <summary>
/// How scores become probabilities for estimation. Fitted on the labelled reference: isotonic regression is used
/// only when it lowers the expected calibration error, judged out of sample (5 folds by position, each fold's scores
/// calibrated by a fit on the other four), since in sample it always would; otherwise the scores are taken as they are.
/// </summary>
public sealed class ScoreCalibration
{
    private const int Folds = 5;
    private readonly IsotonicCalibrator? _isotonic;

    private ScoreCalibration(IsotonicCalibrator? isotonic, double eceRaw, double eceCalibrated)
    {
        _isotonic = isotonic;
        EceRaw = eceRaw;
        EceCalibrated = eceCalibrated;
    }

    /// <summary>Whether isotonic recalibration is used.</summary>
    public bool Recalibrated => _isotonic is not null;

    /// <summary>The reference's ECE with the scores as they are.</summary>
    public double EceRaw { get; }

    /// <summary>The reference's out-of-sample ECE after isotonic calibration (NaN when too few examples to fold).</summary>
    public double EceCalibrated { get; }

    /// <summary>Scores taken as probabilities, unchanged.</summary>
    public static ScoreCalibration Identity { get; } = new(null, double.NaN, double.NaN);

    /// <summary>Chooses the calibration on labelled reference scores (labels 1 positive, 0 negative).</summary>
    public static ScoreCalibration Fit(ReadOnlySpan<double> scores, ReadOnlySpan<byte> labels)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"{labels.Length} labels for {scores.Length} scores", nameof(labels));
        }
        if (scores.Length < 2 * Folds)
        {
            return Identity;
        }
        var raw = Calibration.Compute(scores, labels, 0.95).Ece;
        var heldOut = new double[scores.Length];
        for (var fold = 0; fold < Folds; fold++)
        {
            var trainScores = new List<double>();
            var trainLabels = new List<byte>();
            for (var i = 0; i < scores.Length; i++)
            {
                if (i % Folds != fold)
                {
                    trainScores.Add(scores[i]);
                    trainLabels.Add(labels[i]);
                }
            }
            var fit = IsotonicCalibrator.Fit([.. trainScores], [.. trainLabels]);
            for (var i = fold; i < scores.Length; i += Folds)
            {
                heldOut[i] = fit.Predict(scores[i]);
            }
        }
        var calibrated = Calibration.Compute(heldOut, labels, 0.95).Ece;
        return calibrated < raw
            ? new ScoreCalibration(IsotonicCalibrator.Fit(scores, labels), raw, calibrated)
            : new ScoreCalibration(null, raw, calibrated);
    }

    /// <summary>The probability for a score.</summary>
    public double Probability(double score) => _isotonic?.Predict(score) ?? score;
}
