using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Drift;
using Overlap.Core.Statistics;
using Overlap.Core.Tests.Statistics;

namespace Overlap.Core.Tests.Drift;

public class DriftAnalyzerTests
{
    private static NumericColumn Num(string name, double[] values) => new(name, values, values.Length);

    private static CategoricalColumn Cat(string name, string?[] values)
    {
        var categories = new List<string>();
        var codes = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is null)
            {
                codes[i] = -1;
                continue;
            }
            var code = categories.IndexOf(values[i]!);
            if (code < 0)
            {
                code = categories.Count;
                categories.Add(values[i]!);
            }
            codes[i] = code;
        }
        return new CategoricalColumn(name, codes, values.Length, categories);
    }

    private static Table TableOf(params Column[] columns) => new(columns, columns.Length == 0 ? 0 : columns[0].Count);

    private static (Table Reference, Table Current) FixtureTables(string size)
    {
        var c = DriftFixtures.Get("analyzer").GetProperty(size);
        var r = c.GetProperty("reference");
        var k = c.GetProperty("current");
        return (
            TableOf(Num("amount", r.Doubles("amount")), Cat("channel", r.Strings("channel"))),
            TableOf(Num("amount", k.Doubles("amount")), Cat("channel", k.Strings("channel")))
        );
    }

    private static ColumnDrift Column(DriftReport report, string name) => report.Columns.Single(c => c.Column == name);

    [Fact]
    public void Analyze_SmallReference_UsesKsAndChiSquareWithScipyFigures()
    {
        var (reference, current) = FixtureTables("small");
        var expected = DriftFixtures.Get("analyzer").GetProperty("small");
        var report = DriftAnalyzer.Analyze(reference, current, new DriftOptions());

        var amount = Column(report, "amount");
        Assert.Equal("ks", amount.Test);
        Assert.Equal("numeric", amount.Kind);
        DriftFixtures.AssertStatistic(expected.GetProperty("amount_ks").Number("statistic"), amount.Statistic, "ks D");
        DriftFixtures.AssertPValue(expected.GetProperty("amount_ks").Number("p_value"), amount.PValue!.Value, "ks p");
        Assert.True(amount.Drift);
        Assert.Equal(0.05, amount.Threshold);

        var channel = Column(report, "channel");
        Assert.Equal("chi_square", channel.Test);
        DriftFixtures.AssertStatistic(
            expected.GetProperty("channel_chi_square").Number("statistic"),
            channel.Statistic,
            "chi2"
        );
        DriftFixtures.AssertPValue(
            expected.GetProperty("channel_chi_square").Number("p_value"),
            channel.PValue!.Value,
            "chi2 p"
        );
        Assert.True(channel.Drift);
        Assert.True(report.DatasetDrift);
        Assert.Equal(1.0, report.DriftedShare);
        Assert.Empty(report.Schema);
    }

    [Fact]
    public void Analyze_LargeReference_UsesNormalisedWassersteinAndJensenShannon()
    {
        var (reference, current) = FixtureTables("large");
        var expected = DriftFixtures.Get("analyzer").GetProperty("large");
        var report = DriftAnalyzer.Analyze(reference, current, new DriftOptions());

        var amount = Column(report, "amount");
        Assert.Equal("wasserstein", amount.Test);
        Assert.Null(amount.PValue);
        DriftFixtures.AssertStatistic(
            expected.Number("amount_wasserstein_norm"),
            amount.Statistic,
            "wasserstein / std"
        );
        Assert.True(amount.Drift);
        Assert.Equal(0.1, amount.Threshold);

        var channel = Column(report, "channel");
        Assert.Equal("jensen_shannon", channel.Test);
        DriftFixtures.AssertStatistic(expected.Number("channel_jensen_shannon"), channel.Statistic, "js");
        Assert.True(channel.Drift);
        Assert.Equal(5000, channel.ReferenceN);
        Assert.Equal(4000, channel.CurrentN);
    }

    [Fact]
    public void Analyze_ForcedPsiForOneColumn_RunsNumericPsi()
    {
        var (reference, current) = FixtureTables("large");
        var expected = DriftFixtures.Get("analyzer").GetProperty("large");
        var policy = new DriftPolicy
        {
            Columns = new Dictionary<string, DriftTestKind?> { ["amount"] = DriftTestKind.Psi },
        };
        var report = DriftAnalyzer.Analyze(reference, current, new DriftOptions { Policy = policy });

        var amount = Column(report, "amount");
        Assert.Equal("psi", amount.Test);
        DriftFixtures.AssertStatistic(expected.Number("amount_psi"), amount.Statistic, "psi");
        Assert.Equal(0.25, amount.Threshold);
        Assert.Equal(expected.Number("amount_psi") >= 0.25, amount.Drift);
        Assert.Equal("jensen_shannon", Column(report, "channel").Test);
    }

    [Fact]
    public void Analyze_ForcedKsForAll_OnCategories_IsADataError()
    {
        var (reference, current) = FixtureTables("small");
        var options = new DriftOptions { Policy = new DriftPolicy { Test = DriftTestKind.Ks } };
        var e = Assert.Throws<DataException>(() => DriftAnalyzer.Analyze(reference, current, options));
        Assert.Contains("'channel' holds categories", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_ForcedKsOnLowCardinalityNumber_RunsKsOnTheNumbers()
    {
        double[] r = [.. Enumerable.Range(0, 200).Select(i => (double)(i % 3))];
        double[] c = [.. Enumerable.Range(0, 200).Select(i => (double)(i % 4 == 0 ? 2 : i % 3))];
        var options = new DriftOptions { Policy = new DriftPolicy { Test = DriftTestKind.Ks } };
        var report = DriftAnalyzer.Analyze(TableOf(Num("items", r)), TableOf(Num("items", c)), options);
        var items = Column(report, "items");
        Assert.Equal("ks", items.Test);
        var rs = (double[])r.Clone();
        var cs = (double[])c.Clone();
        Array.Sort(rs);
        Array.Sort(cs);
        Assert.Equal(KolmogorovSmirnov.TwoSample(rs, cs).Statistic, items.Statistic);
    }

    [Fact]
    public void Analyze_LowCardinalityNumber_IsTestedAsCategoriesWithUnseenValues()
    {
        double[] r = [.. Enumerable.Range(0, 300).Select(i => (double)(1 + (i % 3)))];
        double[] c = [.. Enumerable.Range(0, 300).Select(i => (double)(1 + (i % 4)))];
        var report = DriftAnalyzer.Analyze(TableOf(Num("items", r)), TableOf(Num("items", c)), new DriftOptions());
        var items = Column(report, "items");
        Assert.Equal("chi_square", items.Test);
        Assert.Equal("numeric", items.Kind);
        var expected = ChiSquare.Homogeneity([100, 100, 100, 0], [75, 75, 75, 75]);
        Assert.Equal(expected.Statistic, items.Statistic, 12);
        Assert.Equal(expected.PValue, items.PValue!.Value, 12);
        var unseen = Assert.Single(report.Schema, s => s.Change == "unseen_categories");
        Assert.Contains("'4'", unseen.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_MissingAndNewColumns_AreSchemaChangesAndNotTested()
    {
        var reference = TableOf(Num("a", [1, 2, 3, 4, 5, 6, 7]), Num("gone", [1, 2, 3, 4, 5, 6, 7]));
        var current = TableOf(Num("a", [1, 2, 3, 4, 5, 6, 7]), Num("fresh", [1, 2, 3, 4, 5, 6, 7]));
        // Seven rows a side: enough here, and the same values on both sides, so 'a' is no id.
        var report = DriftAnalyzer.Analyze(reference, current, new DriftOptions { MinSamples = 7 });
        Assert.Equal(["a", "gone"], report.Columns.Select(c => c.Column));
        Assert.Contains(report.Schema, s => s is { Column: "gone", Change: "missing_column" });
        Assert.Contains(report.Schema, s => s is { Column: "fresh", Change: "new_column" });
        Assert.Equal("schema", Column(report, "gone").Test);
        Assert.Equal(0, Column(report, "a").Statistic);
        Assert.Equal(1, Column(report, "a").PValue);
    }

    [Fact]
    public void Analyze_NullShareJump_IsASchemaChange()
    {
        var reference = TableOf(Cat("region", ["eu", "us", "eu", "us", "eu", "us", "eu", "us", "eu", "us"]));
        var current = TableOf(Cat("region", ["eu", null, "eu", "us", null, "us", "eu", "us", "eu", "us"]));
        var report = DriftAnalyzer.Analyze(reference, current, new DriftOptions { MinSamples = 8 });
        var jump = Assert.Single(report.Schema);
        Assert.Equal("null_share_jump", jump.Change);
        Assert.Equal(8, Column(report, "region").CurrentN);
    }

    [Fact]
    public void Analyze_HalfTheColumnsDrifted_IsDatasetDrift()
    {
        double[] same = [.. Enumerable.Range(0, 100).Select(i => (double)i)];
        double[] shifted = [.. Enumerable.Range(0, 100).Select(i => i + 60.0)];
        var reference = TableOf(Num("a", same), Num("b", same), Num("c", same), Num("d", same));
        var half = TableOf(Num("a", shifted), Num("b", shifted), Num("c", same), Num("d", same));
        var report = DriftAnalyzer.Analyze(reference, half, new DriftOptions());
        Assert.Equal(0.5, report.DriftedShare);
        Assert.True(report.DatasetDrift);

        var quarter = TableOf(Num("a", shifted), Num("b", same), Num("c", same), Num("d", same));
        report = DriftAnalyzer.Analyze(reference, quarter, new DriftOptions());
        Assert.Equal(0.25, report.DriftedShare);
        Assert.False(report.DatasetDrift);
        Assert.Contains("1 of 4 columns drifted", report.Statements[0], StringComparison.Ordinal);
    }

    [Fact]
    public void NumericDrift_ConstantReference_FloorsTheStd()
    {
        double[] reference = [.. Enumerable.Repeat(3.0, 2000)];
        double[] current = [.. Enumerable.Repeat(3.0, 1000), .. Enumerable.Repeat(4.0, 1000)];
        var same = NumericDrift.Run(reference, reference, null);
        Assert.Equal(0, same.Statistic);
        Assert.False(same.Drift);
        var moved = NumericDrift.Run(reference, current, null);
        Assert.Equal(0.5 / NumericDrift.MinimumStd, moved.Statistic, 9);
        Assert.True(moved.Drift);
    }

    [Fact]
    public void CategoricalDrift_ForcedNumericTest_Throws() =>
        Assert.Throws<ArgumentException>(() => CategoricalDrift.Run([1, 2], [2, 1], DriftTestKind.Wasserstein));

    [Fact]
    public void CategoricalDrift_ForcedPsi_UsesShares()
    {
        var result = CategoricalDrift.Run([500, 300, 200], [700, 300, 0], DriftTestKind.Psi);
        var expected = DriftFixtures
            .Cases("psi_categorical")
            .First(c => c.GetProperty("name").GetString() == "vanished")
            .Number("psi");
        DriftFixtures.AssertStatistic(expected, result.Statistic, "psi");
        Assert.True(result.Drift);
    }

    [Fact]
    public void IdentifiersAndTimestamps_AreNotTested_UnlessNamed()
    {
        string?[] Ids(int offset) => [.. Enumerable.Range(offset, 200).Select(i => $"id{i}")];
        string?[] Times(int day) =>
            [.. Enumerable.Range(0, 200).Select(i => $"2026-01-{day:00}T{i % 24:00}:{i % 60:00}:00Z")];
        string?[] Plans() => [.. Enumerable.Range(0, 200).Select(i => i % 3 == 0 ? "pro" : "free")];
        var reference = TableOf(Cat("id", Ids(0)), Cat("at", Times(1)), Cat("plan", Plans()));
        var current = TableOf(Cat("id", Ids(1000)), Cat("at", Times(9)), Cat("plan", Plans()));

        var report = DriftAnalyzer.Analyze(reference, current, new DriftOptions());
        Assert.Equal(["plan"], report.Columns.Select(c => c.Column));
        Assert.Equal(["id", "at"], report.Skipped.Select(k => k.Column));
        Assert.Contains(
            "identifier (200 distinct values in 200 reference rows)",
            report.Skipped[0].Reason,
            StringComparison.Ordinal
        );
        Assert.Contains("timestamp", report.Skipped[1].Reason, StringComparison.Ordinal);
        // Guessed skips say how to override them without naming a CLI flag, and are marked so a caller can name its own.
        Assert.All(report.Skipped, k => Assert.True(k.Overridable));
        Assert.All(report.Skipped, k =>
            Assert.EndsWith("to test it anyway, name it among the columns to test", k.Reason, StringComparison.Ordinal)
        );

        var named = DriftAnalyzer.Analyze(reference, current, new DriftOptions { Columns = ["id", "at"] });
        Assert.Empty(named.Skipped);
        Assert.Equal(["id", "at"], named.Columns.Select(c => c.Column));
    }

    private static double[] Spread(int n, double shift = 0) =>
        [.. Enumerable.Range(0, n).Select(i => (i * 7 % 101) + shift + 0.5)];

    [Fact]
    public void Analyze_NumericIdWithoutContract_IsSkippedAsAnId()
    {
        double[] Ids(int first) => [.. Enumerable.Range(first, 200).Select(i => (double)i)];
        var reference = TableOf(Num("order_no", Ids(1)), Num("amount", Spread(200)));
        var current = TableOf(Num("order_no", Ids(5001)), Num("amount", Spread(200)));

        var report = DriftAnalyzer.Analyze(reference, current, new DriftOptions());

        Assert.Equal(["amount"], report.Columns.Select(c => c.Column));
        var skipped = Assert.Single(report.Skipped);
        Assert.Equal("order_no", skipped.Column);
        Assert.Contains("every value is distinct", skipped.Reason, StringComparison.Ordinal);
        Assert.Contains("looks like an id", skipped.Reason, StringComparison.Ordinal);
        Assert.False(report.DatasetDrift);
    }

    [Fact]
    public void Analyze_DistinctContinuousNumbers_AreStillTested()
    {
        double[] Amounts(double shift) => [.. Enumerable.Range(0, 200).Select(i => (i * 1.37) + shift)];
        var report = DriftAnalyzer.Analyze(
            TableOf(Num("amount", Amounts(0))),
            TableOf(Num("amount", Amounts(0.11))),
            new DriftOptions()
        );
        Assert.Equal(["amount"], report.Columns.Select(c => c.Column));
        Assert.Empty(report.Skipped);
    }

    [Fact]
    public void Analyze_OneCurrentRow_IsNotEnoughDataAndNotDrift()
    {
        var reference = TableOf(
            Num("amount", Spread(500)),
            Cat("plan", [.. Enumerable.Range(0, 500).Select(i => i % 3 == 0 ? "pro" : "free")])
        );
        var current = TableOf(Num("amount", [900.0]), Cat("plan", ["enterprise"]));

        var report = DriftAnalyzer.Analyze(reference, current, new DriftOptions());

        Assert.False(report.DatasetDrift);
        Assert.Equal(2, report.NotJudged);
        Assert.Equal(0, report.DriftedShare);
        foreach (var column in report.Columns)
        {
            Assert.False(column.Drift);
            Assert.Null(column.DriftVerdict);
            Assert.True(double.IsNaN(column.Statistic));
            Assert.Null(column.PValue);
            Assert.Contains("not enough data", column.Reason, StringComparison.Ordinal);
            Assert.Contains("1 value in the current data", column.Reason, StringComparison.Ordinal);
            Assert.Contains("at least 30", column.Reason, StringComparison.Ordinal);
        }
        Assert.Contains("None of the 2 columns could be judged", report.Statements[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_MinSamplesOption_SetsTheBar()
    {
        var reference = TableOf(Num("amount", Spread(20)));
        var current = TableOf(Num("amount", Spread(20, 60)));
        Assert.Null(Column(DriftAnalyzer.Analyze(reference, current, new DriftOptions()), "amount").DriftVerdict);
        var judged = Column(DriftAnalyzer.Analyze(reference, current, new DriftOptions { MinSamples = 20 }), "amount");
        Assert.True(judged.Drift);
        Assert.Null(judged.Reason);
    }

    [Fact]
    public void Analyze_ColumnMissingFromCurrent_IsDatasetDrift()
    {
        var reference = TableOf(
            Num("a", Spread(100)),
            Num("b", Spread(100)),
            Num("c", Spread(100)),
            Num("gone", Spread(100))
        );
        var current = TableOf(Num("a", Spread(100)), Num("b", Spread(100)), Num("c", Spread(100)));

        var report = DriftAnalyzer.Analyze(reference, current, new DriftOptions());

        Assert.True(report.DatasetDrift);
        var gone = Column(report, "gone");
        Assert.True(gone.Drift);
        Assert.True(gone.DriftVerdict);
        Assert.Equal("schema", gone.Test);
        Assert.Contains("missing from the current data", gone.Reason, StringComparison.Ordinal);
        Assert.Contains(report.Schema, s => s is { Column: "gone", Change: "missing_column" });
        Assert.Contains("'gone' is missing from the current data", report.Statements[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_NumberTurnedToText_IsDriftAndNotTestedAsCategories()
    {
        double[] zips = [.. Enumerable.Range(0, 100).Select(i => (double)(1000 + (i % 40)))];
        string?[] text =
        [
            .. zips.Select(
                (z, i) => i == 3 ? "unknown" : z.ToString(System.Globalization.CultureInfo.InvariantCulture)
            ),
        ];
        var reference = TableOf(Num("zip", zips), Num("a", Spread(100)), Num("b", Spread(100)));
        var current = TableOf(Cat("zip", text), Num("a", Spread(100)), Num("b", Spread(100)));

        var report = DriftAnalyzer.Analyze(reference, current, new DriftOptions());

        var zip = Column(report, "zip");
        Assert.True(zip.Drift);
        Assert.Equal("schema", zip.Test);
        Assert.True(double.IsNaN(zip.Statistic));
        Assert.Contains("was numeric in the reference and is text now", zip.Reason, StringComparison.Ordinal);
        Assert.Contains("'unknown'", zip.Reason, StringComparison.Ordinal);
        Assert.True(report.DatasetDrift);
        Assert.DoesNotContain(report.Schema, s => s.Change == "unseen_categories");
    }

    [Fact]
    public void Analyze_NewColumn_IsASchemaChangeButNotDrift()
    {
        var reference = TableOf(Num("a", Spread(100)));
        var current = TableOf(Num("a", Spread(100)), Num("fresh", Spread(100)));
        var report = DriftAnalyzer.Analyze(reference, current, new DriftOptions());
        Assert.False(report.DatasetDrift);
        Assert.Contains(report.Schema, s => s is { Column: "fresh", Change: "new_column" });
        Assert.Equal(["a"], report.Columns.Select(c => c.Column));
    }

    [Fact]
    public void Analyze_ContractRoleColumns_AreNeverTestedAsInputs()
    {
        var reference = TableOf(
            Num("amount", Spread(100)),
            Cat("outcome", [.. Enumerable.Range(0, 100).Select(i => i % 9 == 0 ? "fraud" : "legit")]),
            Num("p_fraud", Spread(100))
        );
        var current = TableOf(
            Num("amount", Spread(100)),
            Cat("outcome", [.. Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? "fraud" : "legit")]),
            Num("p_fraud", Spread(100, 50))
        );
        var roles = new Dictionary<string, string> { ["outcome"] = "label", ["p_fraud"] = "score" };

        var report = DriftAnalyzer.Analyze(
            reference,
            current,
            new DriftOptions { Columns = ["amount", "outcome", "p_fraud"], Roles = roles }
        );

        Assert.Equal(["amount"], report.Columns.Select(c => c.Column));
        Assert.Equal(["outcome", "p_fraud"], report.Skipped.Select(k => k.Column));
        Assert.Contains(
            "the contract names it as the label column",
            report.Skipped[0].Reason,
            StringComparison.Ordinal
        );
        Assert.False(report.DatasetDrift);
    }

    [Fact]
    public void Analyze_EveryStatistic_SaysWhatItMeansAndItsThreshold()
    {
        var (small, smallCurrent) = FixtureTables("small");
        var report = DriftAnalyzer.Analyze(small, smallCurrent, new DriftOptions());
        var ks = Column(report, "amount").Meaning!;
        Assert.StartsWith("Kolmogorov–Smirnov D = ", ks, StringComparison.Ordinal);
        Assert.Contains(
            "(below 0.05: the two samples are unlikely to come from one distribution)",
            ks,
            StringComparison.Ordinal
        );
        var chi = Column(report, "channel").Meaning!;
        Assert.StartsWith("chi-square ", chi, StringComparison.Ordinal);
        Assert.Contains("below 0.05", chi, StringComparison.Ordinal);

        var (large, largeCurrent) = FixtureTables("large");
        report = DriftAnalyzer.Analyze(large, largeCurrent, new DriftOptions());
        var amount = Column(report, "amount");
        Assert.Equal(
            $"Wasserstein distance {Overlap.Core.Statements.Phrasing.Number(amount.Statistic)} reference standard deviations (drift at 0.1): the typical value moved by about {Overlap.Core.Statements.Phrasing.Percent(amount.Statistic)} of the reference's usual spread",
            amount.Meaning
        );
        Assert.Contains(
            "(0 = same shares, 1 = no overlap; drift at 0.1)",
            Column(report, "channel").Meaning,
            StringComparison.Ordinal
        );

        var psi = DriftAnalyzer.Analyze(
            large,
            largeCurrent,
            new DriftOptions { Policy = new DriftPolicy { Test = DriftTestKind.Psi } }
        );
        Assert.Contains(
            "under 0.1 stable, 0.1 to 0.25 a moderate shift worth watching, 0.25 or more drift",
            Column(psi, "amount").Meaning,
            StringComparison.Ordinal
        );
    }
}
