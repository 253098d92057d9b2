using Overlap.Tests.Shared;

namespace Overlap.Cli.Tests;

/// <summary>Runs the real <c>overlap</c> entry point in process and captures what it prints.</summary>
internal static class CliRun
{
    public static Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => RunWithInputAsync("", args);

    /// <summary>Runs with <paramref name="input"/> piped to standard input.</summary>
    public static async Task<(int Code, string Out, string Err)> RunWithInputAsync(string input, params string[] args)
    {
        using var stdin = new StringReader(input);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await OverlapCli.RunAsync(args, stdin, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>An evaluation report's JSON without its provenance: the figures alone, to compare runs of other files or places.</summary>
    public static string WithoutProvenance(string json) =>
        Overlap.Core.Reports.ReportJson.Write(Overlap.Core.Reports.ReportJson.ReadEvaluation(json)! with { Provenance = null });

    /// <summary>The repository root: the folder holding Overlap.slnx.</summary>
    public static string Root => RepositoryRoot.Path;

    /// <summary>A file of the repository, by its path from the root.</summary>
    public static string RepoFile(string relative) => RepositoryRoot.File(relative);

    /// <summary>Asserts a user-facing error: one line, no stack trace, naming <paramref name="mentions"/>.</summary>
    public static void AssertOneLineError(string err, params string[] mentions)
    {
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line, got:\n{err}");
        Assert.DoesNotContain("Exception", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        foreach (var m in mentions)
        {
            Assert.Contains(m, err, StringComparison.Ordinal);
        }
    }
}

/// <summary>A temporary folder deleted when disposed.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "overlap-tests-" + Guid.NewGuid().ToString("N"));

    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(file, content);
        return file;
    }

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
