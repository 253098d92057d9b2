namespace Overlap.Tests.Shared;

/// <summary>What a user sees when a command refuses: one line on stderr, never a stack trace.</summary>
internal static class OneLineError
{
    /// <summary>Asserts a user-facing error: one line, no stack trace, naming <paramref name="mentions"/>.</summary>
    public static void Assert(string err, params string[] mentions)
    {
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Xunit.Assert.True(lines.Length == 1, $"expected one line, got:\n{err}");
        Xunit.Assert.DoesNotContain("Exception", err, StringComparison.Ordinal);
        Xunit.Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        foreach (var m in mentions)
        {
            Xunit.Assert.Contains(m, err, StringComparison.Ordinal);
        }
    }
}
