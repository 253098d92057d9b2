using System.Buffers.Binary;
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

    /// <summary>The version of <see cref="ToBytes"/>'s layout, its first byte.</summary>
    private const byte Layout = 1;

    /// <summary>
    /// The calibration as bytes, for a store to keep so another server (or this one after a restart) reads it instead of
    /// fitting it again: the layout version, whether isotonic regression is used, both ECEs, then the fitted points
    /// (scores, then probabilities), little-endian. <see cref="FromBytes"/> reads it back.
    /// </summary>
    public byte[] ToBytes()
    {
        var points = _isotonic?.Scores.Count ?? 0;
        var bytes = new byte[2 + 8 + 8 + 4 + (16 * points)];
        bytes[0] = Layout;
        bytes[1] = _isotonic is null ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(2), EceRaw);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(10), EceCalibrated);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), points);
        for (var i = 0; i < points; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(22 + (8 * i)), _isotonic!.Scores[i]);
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(22 + (8 * (points + i))), _isotonic.Probabilities[i]);
        }
        return bytes;
    }

    /// <summary>The calibration <see cref="ToBytes"/> wrote: the same probabilities and ECEs.</summary>
    /// <exception cref="FormatException">The bytes are not a calibration of this layout.</exception>
    public static ScoreCalibration FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 22 || bytes[0] != Layout || bytes[1] > 1)
        {
            throw new FormatException(
                $"not a stored score calibration of layout {Layout} ({bytes.Length} bytes, layout {(bytes.IsEmpty ? "none" : bytes[0])})"
            );
        }
        var eceRaw = BinaryPrimitives.ReadDoubleLittleEndian(bytes[2..]);
        var eceCalibrated = BinaryPrimitives.ReadDoubleLittleEndian(bytes[10..]);
        var points = BinaryPrimitives.ReadInt32LittleEndian(bytes[18..]);
        var isotonic = bytes[1] == 1;
        if (points < 0 || bytes.Length != 22 + (16L * points) || isotonic != points > 0)
        {
            throw new FormatException(
                $"a stored score calibration of {bytes.Length} bytes cannot hold {points} fitted points"
            );
        }
        if (!isotonic)
        {
            return double.IsNaN(eceRaw) && double.IsNaN(eceCalibrated)
                ? Identity
                : new ScoreCalibration(null, eceRaw, eceCalibrated);
        }
        var scores = new double[points];
        var probabilities = new double[points];
        for (var i = 0; i < points; i++)
        {
            scores[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(22 + (8 * i))..]);
            probabilities[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(22 + (8 * (points + i)))..]);
        }
        return new ScoreCalibration(IsotonicCalibrator.Of(scores, probabilities), eceRaw, eceCalibrated);
    }
}
