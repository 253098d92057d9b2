using FsCheck.Xunit;
using Overlap.Server.Contracts;

namespace Overlap.Server.Tests.Dashboard;

/// <summary>The contract page's line diff: examples, and invariants on arbitrary texts of few distinct lines.</summary>
public sealed class LineDiffTests
{
    /// <summary>Lines from bytes: four distinct lines, so texts share many lines in many orders.</summary>
    private static string[] Lines(byte[] raw) => [.. raw.Select(b => "line " + (char)('a' + (b % 4)))];

    private static string Text(string[] lines) => string.Concat(lines.Select(l => l + "\n"));

    /// <summary>The length of a longest common subsequence, by dynamic programming.</summary>
    private static int Lcs(string[] a, string[] b)
    {
        var row = new int[b.Length + 1];
        foreach (var x in a)
        {
            var diagonal = 0;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = x == b[j - 1] ? diagonal + 1 : Math.Max(row[j], row[j - 1]);
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    [Fact]
    public void Compute_AChangedLine_IsRemovedThenAdded_WithTheLineNumbersOfEachSide()
    {
        var lines = LineDiff.Compute("a\nb\nc\n", "a\nB\nc\nd\n");
        Assert.Equal(
            [
                new DiffLine(DiffKind.Same, "a", 1, 1),
                new DiffLine(DiffKind.Removed, "b", 2, 0),
                new DiffLine(DiffKind.Added, "B", 0, 2),
                new DiffLine(DiffKind.Same, "c", 3, 3),
                new DiffLine(DiffKind.Added, "d", 0, 4),
            ],
            lines
        );
    }

    [Fact]
    public void Compute_LineEndingsAndTheFinalNewline_AreNotChanges()
    {
        Assert.All(LineDiff.Compute("a\r\nb\r\n", "a\nb"), l => Assert.Equal(DiffKind.Same, l.Kind));
        Assert.Equal([new DiffLine(DiffKind.Added, "a", 0, 1)], LineDiff.Compute("", "a\n"));
    }

    [Fact]
    public void Collapse_KeepsThreeLinesOfContextEachSide_AndSaysHowManyAreLeftOut()
    {
        var before = Text([.. Enumerable.Range(1, 20).Select(i => $"l{i}")]);
        var after = before.Replace("l10\n", "ten\n", StringComparison.Ordinal);
        var shown = LineDiff.Collapse(LineDiff.Compute(before, after));
        Assert.Equal(
            ["skip 6 at 1", "l7", "l8", "l9", "-l10", "+ten", "l11", "l12", "l13", "skip 7 at 14"],
            shown.Select(l =>
                l.Kind switch
                {
                    DiffKind.Skipped => $"skip {l.Skipped} at {l.OldLine}",
                    DiffKind.Removed => "-" + l.Text,
                    DiffKind.Added => "+" + l.Text,
                    _ => l.Text,
                }
            )
        );
    }

    [Fact]
    public void Collapse_NeverHidesASingleLine()
    {
        var before = Text(["a", "b", "c", "d", "e", "f", "g", "h", "i"]);
        var after = Text(["A", "b", "c", "d", "e", "f", "g", "h", "I"]);
        Assert.DoesNotContain(LineDiff.Collapse(LineDiff.Compute(before, after)), l => l.Kind == DiffKind.Skipped);
    }

    [Property(MaxTest = 300)]
    public bool Compute_RebuildsBothTexts_AndKeepsALongestCommonSubsequence(byte[] rawBefore, byte[] rawAfter)
    {
        var (before, after) = (Lines(rawBefore), Lines(rawAfter));
        var diff = LineDiff.Compute(Text(before), Text(after));
        var old = diff.Where(l => l.Kind != DiffKind.Added).Select(l => l.Text);
        var @new = diff.Where(l => l.Kind != DiffKind.Removed).Select(l => l.Text);
        var numbered =
            diff.Where(l => l.Kind != DiffKind.Added)
                .Select(l => l.OldLine)
                .SequenceEqual(Enumerable.Range(1, before.Length))
            && diff.Where(l => l.Kind != DiffKind.Removed)
                .Select(l => l.NewLine)
                .SequenceEqual(Enumerable.Range(1, after.Length));
        return old.SequenceEqual(before)
            && @new.SequenceEqual(after)
            && numbered
            && diff.Count(l => l.Kind == DiffKind.Same) == Lcs(before, after);
    }

    [Property(MaxTest = 300)]
    public bool Collapse_KeepsEveryChangeInOrder_AccountsForEveryLine_AndShowsOnlyContext(
        byte[] rawBefore,
        byte[] rawAfter,
        byte contextByte
    )
    {
        var context = contextByte % 5;
        var full = LineDiff.Compute(Text(Lines(rawBefore)), Text(Lines(rawAfter)));
        var shown = LineDiff.Collapse(full, context);
        var changes = full.Where(l => l.Kind != DiffKind.Same);
        var accounted = shown.Sum(l => l.Kind == DiffKind.Skipped ? l.Skipped : 1) == full.Count;
        var noHiddenSingles = shown.All(l => l.Kind != DiffKind.Skipped || l.Skipped >= 2);
        // An unchanged line further than `context` from every change is shown only when cutting its run would hide one
        // line alone: so at most one such line per run of unchanged lines.
        var changeAt = full.Select((l, i) => (l, i)).Where(x => x.l.Kind != DiffKind.Same).Select(x => x.i).ToList();
        var index = full.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
        var farPerRun = shown
            .Where(l => l.Kind == DiffKind.Same)
            .Select(l => index[l])
            .Where(i => changeAt.All(c => Math.Abs(c - i) > context))
            .GroupBy(i => changeAt.Count(c => c < i));
        return changes.SequenceEqual(shown.Where(l => l.Kind is DiffKind.Added or DiffKind.Removed))
            && accounted
            && noHiddenSingles
            && farPerRun.All(run => run.Count() <= 1);
    }
}
