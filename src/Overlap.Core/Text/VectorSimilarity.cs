namespace Overlap.Core.Text;

/// <summary>How close two embedding vectors are.</summary>
public static class VectorSimilarity
{
    /// <summary>
    /// The cosine of the angle between <paramref name="a"/> and <paramref name="b"/>, in [-1, 1], summed in double
    /// precision. 0 when either vector is all zeros (no direction to compare).
    /// </summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"the vectors differ in length ({a.Length} and {b.Length})", nameof(b));
        }
        double dot = 0,
            aa = 0,
            bb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }
        return aa == 0 || bb == 0 ? 0 : Math.Clamp(dot / Math.Sqrt(aa * bb), -1, 1);
    }
}
