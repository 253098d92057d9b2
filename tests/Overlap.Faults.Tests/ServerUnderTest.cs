using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Overlap.Tests.Shared;

namespace Overlap.Faults.Tests;

/// <summary>
/// A real <c>overlap serve</c> process on a free loopback port over a data folder of its own, with an admin, an
/// ingest and a viewer key made by <c>overlap keys create</c> before it starts. Everything it writes to stderr is kept,
/// so a test can show what the server said when it fails.
/// </summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private Process _process = null!;

    private ServerUnderTest(string folder, IReadOnlyList<string> extraArgs)
    {
        Folder = folder;
        ExtraArgs = extraArgs;
    }

    public string Folder { get; }

    public IReadOnlyList<string> ExtraArgs { get; }

    public Uri Address { get; private set; } = null!;

    public string AdminKey { get; private set; } = "";

    public string IngestKey { get; private set; } = "";

    public string ViewerKey { get; private set; } = "";

    /// <summary>What the server wrote to stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public Process Process => _process;

    /// <summary>Makes the keys, then starts the server with <paramref name="extraArgs"/> and waits for it to be healthy.</summary>
    public static async Task<ServerUnderTest> StartAsync(params string[] extraArgs)
    {
        var folder = Directory.CreateTempSubdirectory("overlap-faults-").FullName;
        var server = new ServerUnderTest(folder, extraArgs);
        server.AdminKey = await CreateKeyAsync(folder, "admin");
        server.IngestKey = await CreateKeyAsync(folder, "ingest");
        server.ViewerKey = await CreateKeyAsync(folder, "viewer");
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the process again on a new port over the same folder (after it was killed or stopped).</summary>
    public async Task RestartAsync()
    {
        var port = ServeProcess.FreePort();
        Address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "overlap.dll"));
        foreach (
            var arg in (string[])["serve", "--data", Folder, "--urls", Address.ToString().TrimEnd('/'), .. ExtraArgs]
        )
        {
            start.ArgumentList.Add(arg);
        }
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        using var probe = Client(null);
        await ServeProcess.WaitUntilHealthyAsync(probe, _process);
    }

    /// <summary>A client with <paramref name="key"/> (none when null), a 30 s timeout.</summary>
    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return client;
    }

    /// <summary>Fails the test, with the server's own words, when the process is gone.</summary>
    public void AssertAlive(string when)
    {
        Assert.False(
            _process.HasExited,
            $"overlap serve exited {when} (exit code {(_process.HasExited ? _process.ExitCode : 0)}); it said:\n{Log}"
        );
    }

    /// <summary>SIGKILL, as a crash or an out-of-memory killer would.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException) { }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            // Bounded: a misbehaving server must not fill the test's memory.
            if (_log.Length < 1_000_000)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static async Task<string> CreateKeyAsync(string folder, string role)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (
            var arg in (string[])
                [
                    Path.Combine(AppContext.BaseDirectory, "overlap.dll"),
                    "keys",
                    "create",
                    "--data",
                    folder,
                    "--role",
                    role,
                ]
        )
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"overlap keys create --role {role} failed: {await error}");
        return (await output).Trim();
    }
}
