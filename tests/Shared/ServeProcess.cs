using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Overlap.Tests.Shared;

/// <summary>A real <c>overlap</c> process from the test's output folder (<c>overlap.dll</c>), for tests that run it as a user would.</summary>
internal static class ServeProcess
{
    /// <summary>Starts <c>dotnet overlap.dll</c> with <paramref name="args"/>; stderr is drained, and stdout too unless the caller reads it.</summary>
    public static Process Start(IEnumerable<string> args, bool drainOutput = true) =>
        Start("overlap.dll", args, drainOutput);

    /// <summary>Starts <c>dotnet <paramref name="assembly"/></c> (a program beside the test, such as the spam-filter sample's <c>SpamDemo.dll</c>) with <paramref name="args"/>.</summary>
    public static Process Start(string assembly, IEnumerable<string> args, bool drainOutput = true)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        if (drainOutput)
        {
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
        }
        return process;
    }

    /// <summary>Waits up to 30 s for <c>/healthz</c>, failing at once if the server exits.</summary>
    public static async Task WaitUntilHealthyAsync(HttpClient client, Process server)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            Assert.False(server.HasExited, "overlap serve exited before it was healthy");
            try
            {
                if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        Assert.Fail("overlap serve did not answer /healthz within 30 s");
    }

    /// <summary>A loopback port free right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
