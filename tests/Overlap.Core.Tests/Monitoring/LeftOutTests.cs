using Overlap.Core.Data;
using Overlap.Core.Monitoring;

namespace Overlap.Core.Tests.Monitoring;

/// <summary>What a report leaves out of its figures: counted by reason, capped, kept in the stored summary.</summary>
public sealed class LeftOutTests
{
    private static readonly DateTimeOffset Day = new(2026, 3, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Tally_ManyDistinctReasons_KeepsTheFirstTwentyAndCountsTheRestTogether()
    {
        var tally = new LeftOutTally();
        tally.Add("label 'x' is not a label", 12);
        for (var i = 0; i < 30; i++)
        {
            tally.Add($"score {i + 2} is outside 0 to 1");
        }
        tally.Add("label 'x' is not a label");
        var list = tally.ToList()!;
        Assert.Equal(LeftOutTally.MaxReasons + 1, list.Count);
        Assert.Equal(new LeftOut(13, "label 'x' is not a label"), list[0]);
        Assert.Equal(new LeftOut(11, LeftOutTally.OtherReasons), list[1]);
        Assert.Equal(43, tally.Total);
        Assert.Equal(43, list.Sum(l => l.Count));
        Assert.Null(new LeftOutTally().ToList());
    }

    [Fact]
    public void Repair_NulAndLoneSurrogates_BecomeReplacementCharacters_PairsStay()
    {
        Assert.Equal(("w\uFFFDeb\uFFFD", true), TextRepair.Repair("w\0eb\ud800"));
        Assert.Equal(("\uFFFDx", true), TextRepair.Repair("\udc00x"));
        Assert.Equal(("emoji 😀", false), TextRepair.Repair("emoji 😀"));
        Assert.Equal("a\uFFFDb", LeftOutTally.Show("a\nb"));
        Assert.Equal(40, LeftOutTally.Show(new string('x', 100)).Length);
    }

    [Fact]
    public void Summary_LeftOutCounts_SurviveBytesAndMerge()
    {
        var a = WindowSummary.Merge([new WindowSummary { Start = Day, End = Day.AddDays(1) }]);
        a.LeftOut.Add("label 'x' is not a label of contract version 3", 12);
        var b = WindowSummary.Merge([new WindowSummary { Start = Day.AddDays(1), End = Day.AddDays(2) }]);
        b.LeftOut.Add("label 'x' is not a label of contract version 3", 2);
        b.LeftOut.Add("cost Infinity is not a finite number");
        var merged = WindowSummary.Merge([
            WindowSummary.FromBytes(a.ToBytes())!,
            WindowSummary.FromBytes(b.ToBytes())!,
        ]);
        Assert.Equal(
            [
                new LeftOut(14, "label 'x' is not a label of contract version 3"),
                new LeftOut(1, "cost Infinity is not a finite number"),
            ],
            merged.LeftOut.ToList()
        );
    }

    [Fact]
    public void Summary_StoredInFormatVersionOne_IsStillRead()
    {
        var summary = WindowSummary.Merge([new WindowSummary { Start = Day, End = Day.AddDays(1) }]);
        var bytes = summary.ToBytes();
        // Version 1 is version 2 without the left-out section at the end (here an empty list: one Int32 count).
        var v1 = bytes[..^4];
        BitConverter.GetBytes(1).CopyTo(v1, 0);
        var read = WindowSummary.FromBytes(v1);
        Assert.NotNull(read);
        Assert.Equal((Day, Day.AddDays(1), 1), (read.Start, read.End, read.Windows));
        Assert.Null(read.LeftOut.ToList());
    }

    [Fact]
    public void TryAddRow_AValueBreakingItsRule_AddsNothingAndSaysWhy()
    {
        var builder = new TableBuilder(
            new TableReadOptions
            {
                Columns = ["label", "score"],
                Rules = new Dictionary<string, ColumnRule>
                {
                    ["score"] = new(ColumnKind.Numeric, Required: true, Min: 0, Max: 1, Role: "score"),
                },
                Source = "rows",
            }
        );
        Assert.True(builder.TryAddRow(["fraud", 0.5], out var none));
        Assert.Null(none);
        Assert.False(builder.TryAddRow(["legit", 7.0], out var outside));
        Assert.Equal("7 is out of range; the score (column 'score') must be between 0 to 1", outside);
        Assert.False(builder.TryAddRow(["legit", null], out var missing));
        Assert.Equal("the score (column 'score') is missing; every row needs one", missing);
        Assert.False(builder.TryAddRow(["legit", "high"], out var text));
        Assert.Equal("'high' is not a number; the score (column 'score') must be numeric", text);
        var table = builder.Build();
        Assert.Equal(1, table.RowCount);
        Assert.All(table.Columns, c => Assert.Equal(1, c.Count));
    }
}
