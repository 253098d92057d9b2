using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Drift;
using Overlap.Core.Tests.Contracts;

namespace Overlap.Core.Tests.Drift;

/// <summary>
/// Walks the drift test registry and checks that every place derived from it covers every test: the contract's
/// words, docs/drift.md's table, the engines, the defaults and the sentences.
/// </summary>
public sealed class DriftTestCatalogTests
{
    private static readonly string DriftDoc = File.ReadAllText(
        Path.Combine(ContractSchemaTests.Root, "docs", "drift.md")
    );

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var t in DriftTests.All)
        {
            data.Add(t.Name);
        }
        return data;
    }

    [Fact]
    public void EveryKind_IsDeclaredOnce_AndEveryWordParses()
    {
        Assert.Equal(Enum.GetValues<DriftTestKind>(), DriftTests.All.Select(t => t.Kind).Order());
        Assert.Equal(["auto", "ks", "wasserstein", "chi_square", "jensen_shannon", "psi"], ContractKeys.DriftTests);
        foreach (var t in DriftTests.All)
        {
            Assert.True(DriftTests.TryParse(t.Name.ToUpperInvariant(), out var kind));
            Assert.Equal(t.Kind, kind);
        }
        Assert.True(DriftTests.TryParse("auto", out var auto));
        Assert.Null(auto);
        Assert.False(DriftTests.TryParse("kss", out _));
        Assert.Equal("auto, ks, wasserstein, chi_square, jensen_shannon or psi", DriftTests.WordList);
    }

    [Fact]
    public void EachColumnKind_HasOneDefault_ForSmallAndLargeReferences()
    {
        Assert.Equal(DriftTestKind.Ks, DriftTests.Default(ColumnKind.Numeric, DriftTests.LargeReference).Kind);
        Assert.Equal(
            DriftTestKind.Wasserstein,
            DriftTests.Default(ColumnKind.Numeric, DriftTests.LargeReference + 1).Kind
        );
        Assert.Equal(
            DriftTestKind.ChiSquare,
            DriftTests.Default(ColumnKind.Categorical, DriftTests.LargeReference).Kind
        );
        Assert.Equal(
            DriftTestKind.JensenShannon,
            DriftTests.Default(ColumnKind.Categorical, DriftTests.LargeReference + 1).Kind
        );
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryTest_HasItsDocRow_RunsOnTheColumnsItTakes_AndIsPutInWords(string name)
    {
        var t = DriftTests.Find(name)!;
        Assert.False(string.IsNullOrWhiteSpace(t.Title));
        Assert.NotEmpty(t.Columns);
        var bar = t.Threshold.ToString(CultureInfo.InvariantCulture);
        Assert.Contains(
            $"| `{name}` | {t.Measures} | {(t.HasPValue ? "p < " + bar : "≥ " + bar)} |",
            DriftDoc,
            StringComparison.Ordinal
        );

        double[] reference = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        double[] current = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
        if (t.Takes(ColumnKind.Numeric))
        {
            var result = NumericDrift.Run(reference, current, t.Kind);
            Assert.Equal(t.Kind, result.Test);
            Assert.Equal(t.Threshold, result.Threshold);
            Assert.Equal(t.HasPValue, result.PValue is not null);
            Assert.False(string.IsNullOrWhiteSpace(DriftMeaning.Of(result)));
        }
        else
        {
            Assert.Throws<ArgumentException>(() => NumericDrift.Run(reference, current, t.Kind));
        }
        if (t.Takes(ColumnKind.Categorical))
        {
            var result = CategoricalDrift.Run([50, 30, 20], [20, 30, 50], t.Kind);
            Assert.Equal(t.Kind, result.Test);
            Assert.True(result.Drift);
            Assert.False(string.IsNullOrWhiteSpace(DriftMeaning.Of(result)));
        }
        else
        {
            Assert.Throws<ArgumentException>(() => CategoricalDrift.Run([50, 30, 20], [20, 30, 50], t.Kind));
        }
    }
}
