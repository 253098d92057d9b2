using Overlap.Core.Drift;
using Overlap.Core.Statistics;

namespace Overlap.Core.Tests.Drift;

public sealed class DomainClassifierTests
{
    /// <summary>Rows of independent standard normals in <paramref name="dims"/> dimensions, the first shifted by <paramref name="shift"/>.</summary>
    private static List<float[]> Normals(int rows, int dims, double shift, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return
        [
            .. Enumerable
                .Range(0, rows)
                .Select(_ => Enumerable.Range(0, dims).Select(d => (float)(Normal() + (d == 0 ? shift : 0))).ToArray()),
        ];
    }

    [Fact]
    public void Test_SameDistribution_DoesNotDrift()
    {
        for (ulong seed = 1; seed <= 5; seed++)
        {
            var r = DomainClassifier.Test(Normals(200, 16, 0, seed), Normals(200, 16, 0, seed + 100));
            Assert.False(r.Drift, $"seed {seed}: AUC {r.Auc} over bar {r.Bar}");
            Assert.InRange(r.ChanceAuc, 0.5, 0.7);
            Assert.InRange(r.PValue, 1.0 / 200, 1.0);
        }
    }

    [Fact]
    public void Test_ShiftedMean_DriftsWithTheAucTheShiftGives()
    {
        // A shift of 1 standard deviation along one axis: the best classifier's AUC is Φ(1/√2) = 0.760.
        var r = DomainClassifier.Test(Normals(400, 8, 0, 7), Normals(400, 8, 1, 8));
        Assert.True(r.Drift);
        Assert.InRange(r.Auc, 0.70, 0.80);
        Assert.Equal(1.0 / 200, r.PValue, 12);
        Assert.Equal(Math.Max(DomainClassifier.MinAuc, r.ChanceAuc), r.Bar);
    }

    [Fact]
    public void Test_SameInput_SameResult()
    {
        var a = Normals(50, 4, 0, 3);
        var b = Normals(50, 4, 0.3, 4);
        Assert.Equal(DomainClassifier.Test(a, b), DomainClassifier.Test(a, b));
    }
}
