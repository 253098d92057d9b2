using System.Diagnostics;

namespace Overlap.Tests.Shared;

/// <summary>
/// The real services a test run starts itself when scripts/test.sh did not (dotnet test alone): each
/// scripts/services/NAME.sh starts its service in a folder and prints the KEY=VALUE lines tests read.
/// </summary>
internal static class ServiceScript
{
    /// <summary>
    /// Starts scripts/services/<paramref name="service"/>.sh in a new temporary folder: its KEY=VALUE lines, and the
    /// folder. With <paramref name="stopWithThisProcess"/>, it is stopped (and its folder removed) once this process is
    /// gone, however it ends.
    /// </summary>
    public static (Dictionary<string, string> Values, string Script, string Folder) Start(
        string service,
        bool stopWithThisProcess
    )
    {
        var script = RepositoryRoot.File($"scripts/services/{service}.sh");
        var folder = Directory.CreateTempSubdirectory($"overlap-{service}-").FullName;
        var values = Run(script, "start", folder)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (stopWithThisProcess)
        {
            StopWhenThisProcessEnds(script, folder, service);
        }
        return (values, script, folder);
    }

    /// <summary>Runs <c>bash SCRIPT ACTION FOLDER</c>; its standard output, or an exception with its errors.</summary>
    public static string Run(string script, string action, string folder)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { script, action, folder },
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {action} failed ({process.ExitCode}): {errors.Result}");
        }
        return output;
    }

    /// <summary>
    /// Stops the service (and removes its folder) once this process is gone, however it ends: the test host may be
    /// killed rather than exit, and then no exit handler runs. The watcher is a session of its own, outside this
    /// process's tree, with nothing of ours open.
    /// </summary>
    private static void StopWhenThisProcessEnds(string script, string folder, string service)
    {
        const string Watch = """
            exec </dev/null >/dev/null 2>&1
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
            bash "$2" stop "$3"
            exec rm -rf "$3"
            """;
        var watcher = new ProcessStartInfo("setsid")
        {
            ArgumentList =
            {
                "-f",
                "bash",
                "-c",
                Watch,
                $"overlap-{service}-watch",
                Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                script,
                folder,
            },
        };
        using var started = Process.Start(watcher)!;
        started.WaitForExit();
    }
}
