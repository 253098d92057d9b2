using Overlap.Tests.Shared;

namespace Overlap.Cli.Tests;

/// <summary>Runs the real <c>overlap</c> entry point in process and captures what it prints.</summary>
internal static class CliRun
{
    public static Task<(int Code, string Out, string Err)> RunAsync(params string[] args) =>
        RunWithInputAsync("", args);

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
        Overlap.Core.Reports.ReportJson.Write(
            Overlap.Core.Reports.ReportJson.ReadEvaluation(json)! with
            {
                Provenance = null,
            }
        );

    /// <summary>The repository root: the folder holding Overlap.slnx.</summary>
    public static string Root => RepositoryRoot.Path;

    /// <summary>A file of the repository, by its path from the root.</summary>
    public static string RepoFile(string relative) => RepositoryRoot.File(relative);

    /// <summary>Asserts a user-facing error: one line, no stack trace, naming <paramref name="mentions"/>.</summary>
    public static void AssertOneLineError(string err, params string[] mentions) => OneLineError.Assert(err, mentions);
}
