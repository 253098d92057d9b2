using DiffPlex;

namespace Overlap.Server.Contracts;

/// <summary>What a line of a diff is.</summary>
internal enum DiffKind
{
    /// <summary>In both texts.</summary>
    Same,

    /// <summary>Only in the newer text.</summary>
    Added,

    /// <summary>Only in the older text.</summary>
    Removed,

    /// <summary>A run of unchanged lines left out (<see cref="DiffLine.Skipped"/> of them).</summary>
    Skipped,
}

/// <summary>One line of a diff with its 1-based numbers in the older and newer text (0 where it is not in that text).</summary>
internal readonly record struct DiffLine(DiffKind Kind, string Text, int OldLine, int NewLine, int Skipped = 0);

/// <summary>
/// A line diff of two texts (DiffPlex's Myers diff, so the unchanged lines are a longest common subsequence), and the
/// same with long runs of unchanged lines collapsed to a marker, as a reviewer reads a change.
/// </summary>
internal static class LineDiff
{
    /// <summary>Every line of both texts in order: unchanged, removed, added. Line endings are normalised first.</summary>
    public static IReadOnlyList<DiffLine> Compute(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var result = Differ.Instance.CreateLineDiffs(Normalise(before), Normalise(after), ignoreWhitespace: false);
        var (old, @new) = (result.PiecesOld, result.PiecesNew);
        var lines = new List<DiffLine>(Math.Max(old.Count, @new.Count));
        var (a, b) = (0, 0);
        void Same(int untilA)
        {
            for (; a < untilA; a++, b++)
            {
                lines.Add(new DiffLine(DiffKind.Same, old[a], a + 1, b + 1));
            }
        }
        foreach (var block in result.DiffBlocks)
        {
            Same(block.DeleteStartA);
            for (var i = 0; i < block.DeleteCountA; i++, a++)
            {
                lines.Add(new DiffLine(DiffKind.Removed, old[a], a + 1, 0));
            }
            for (var i = 0; i < block.InsertCountB; i++, b++)
            {
                lines.Add(new DiffLine(DiffKind.Added, @new[b], 0, b + 1));
            }
        }
        Same(old.Count);
        return lines;
    }

    /// <summary>
    /// <paramref name="lines"/> with each run of unchanged lines cut to the <paramref name="context"/> lines next to a
    /// change on either side; what is cut (two lines or more) becomes one <see cref="DiffKind.Skipped"/> line.
    /// </summary>
    public static IReadOnlyList<DiffLine> Collapse(IReadOnlyList<DiffLine> lines, int context = 3)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        var shown = new List<DiffLine>(lines.Count);
        for (var i = 0; i < lines.Count; )
        {
            if (lines[i].Kind != DiffKind.Same)
            {
                shown.Add(lines[i++]);
                continue;
            }
            var end = i;
            while (end < lines.Count && lines[end].Kind == DiffKind.Same)
            {
                end++;
            }
            // Keep context after the change before the run and before the change after it.
            var keepHead = i == 0 ? 0 : context;
            var keepTail = end == lines.Count ? 0 : context;
            var hidden = end - i - keepHead - keepTail;
            if (hidden < 2)
            {
                shown.AddRange(lines.Skip(i).Take(end - i));
            }
            else
            {
                shown.AddRange(lines.Skip(i).Take(keepHead));
                shown.Add(
                    new DiffLine(DiffKind.Skipped, "", lines[i + keepHead].OldLine, lines[i + keepHead].NewLine, hidden)
                );
                shown.AddRange(lines.Skip(end - keepTail).Take(keepTail));
            }
            i = end;
        }
        return shown;
    }

    /// <summary>One kind of line ending, and no empty last line for the final newline.</summary>
    private static string Normalise(string text)
    {
        text = text.ReplaceLineEndings("\n");
        return text.EndsWith('\n') ? text[..^1] : text;
    }
}
