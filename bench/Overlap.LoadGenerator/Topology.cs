using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

/// <summary>
/// What the load runs against: one <c>overlap serve</c> on the embedded store in a fresh folder, or the trial topology
/// (<c>scripts/trial-cluster.sh</c>: PostgreSQL, a two-shard ClickHouse cluster and two instances). Disposing stops
/// it all.
/// </summary>
internal sealed class Topology : IDisposable
{
    private readonly string _root;
    private readonly string _folder;
    private readonly Process? _embedded;
    private readonly Dictionary<string, string> _settings;

    private Topology(string root, string folder, Process? embedded, Dictionary<string, string> settings)
    {
        _root = root;
        _folder = folder;
        _embedded = embedded;
        _settings = settings;
    }

    /// <summary>One client per instance, each with the admin key.</summary>
    public List<HttpClient> Clients { get; } = [];

    /// <summary>Each instance's process id, in the order of <see cref="Clients"/>.</summary>
    public List<int> Instances { get; } = [];

    private readonly List<(string Phase, List<double>[] Samples)> _phases = [];
    private Timer? _sampler;

    /// <summary>
    /// From now on, each instance's resident memory (sampled every second) counts toward <paramref name="name"/>, until
    /// the next phase: where in a run the memory goes, for <see cref="MemoryByPhase"/>.
    /// </summary>
    public void Phase(string name)
    {
        lock (_phases)
        {
            _phases.Add((name, [.. Instances.Select(_ => new List<double>())]));
        }
        _sampler ??= new Timer(
            _ =>
            {
                lock (_phases)
                {
                    var samples = _phases[^1].Samples;
                    for (var i = 0; i < Instances.Count; i++)
                    {
                        samples[i].Add(Status(Instances[i], "VmRSS"));
                    }
                }
            },
            null,
            TimeSpan.Zero,
            TimeSpan.FromSeconds(1)
        );
    }

    /// <summary>Per phase and instance: the resident memory's median, 90th percentile and greatest sample, in MiB.</summary>
    public IEnumerable<string> MemoryByPhase()
    {
        lock (_phases)
        {
            foreach (var (phase, samples) in _phases)
            {
                for (var i = 0; i < samples.Length; i++)
                {
                    var sorted = samples[i].Order().ToList();
                    if (sorted.Count > 0)
                    {
                        yield return $"instance {i + 1} {phase, -22} resident median {sorted[sorted.Count / 2]:N0}, "
                            + $"90th percentile {sorted[sorted.Count * 9 / 10]:N0}, greatest {sorted[^1]:N0} MiB "
                            + $"({sorted.Count} samples)";
                    }
                }
            }
        }
    }

    /// <summary>True for the trial topology (PostgreSQL and ClickHouse), false for the embedded store.</summary>
    public bool IsCluster => _embedded is null;

    /// <summary>The ClickHouse shards' HTTP addresses (the trial topology only).</summary>
    public string[] Shards =>
        [Base(_settings["OVERLAP_TRIAL_CLICKHOUSE"]), _settings["OVERLAP_TRIAL_CLICKHOUSE_SHARD2"]];

    /// <summary>Starts one <c>overlap serve</c> on the embedded store (the Release build) in a new folder.</summary>
    public static async Task<Topology> EmbeddedAsync(string root, int connections)
    {
        var overlap = Path.Combine(root, "src", "Overlap.Cli", "bin", "Release", "net10.0", "overlap.dll");
        if (!File.Exists(overlap))
        {
            throw new FileNotFoundException(
                $"{overlap} is missing; run 'dotnet build src/Overlap.Cli -c Release' first"
            );
        }
        var data = Directory.CreateTempSubdirectory("overlap-load-").FullName;
        var key = Run("dotnet", [overlap, "keys", "create", "--data", data, "--role", "admin"]).Trim();
        var port = FreePort();
        var server = Launch("dotnet", [overlap, "serve", "--data", data, "--urls", $"http://127.0.0.1:{port}"]);
        var topology = new Topology(root, data, server, []);
        topology.Add($"http://127.0.0.1:{port}", key, server.Id, connections);
        await topology.WaitHealthyAsync().ConfigureAwait(false);
        return topology;
    }

    /// <summary>Starts the trial topology with two instances through <c>scripts/trial-cluster.sh</c>.</summary>
    public static async Task<Topology> ClusterAsync(string root, int connections)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"overlap-trial-{Environment.ProcessId}");
        var script = Path.Combine(root, "scripts", "trial-cluster.sh");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Run("bash", [script, "start", folder, "--instances", "2"]).Split('\n'))
        {
            if (line.Split('=', 2) is [var name, var value])
            {
                settings[name] = value;
            }
        }
        var topology = new Topology(root, folder, null, settings);
        for (var i = 1; settings.TryGetValue($"OVERLAP_TRIAL_INSTANCE_{i}", out var url); i++)
        {
            topology.Add(
                url,
                settings["OVERLAP_TRIAL_KEY"],
                int.Parse(settings[$"OVERLAP_TRIAL_PID_{i}"], CultureInfo.InvariantCulture),
                connections
            );
        }
        await topology.WaitHealthyAsync().ConfigureAwait(false);
        return topology;
    }

    /// <summary>The memory lines: each instance's peak, and on the trial topology ClickHouse's and
    /// PostgreSQL's.</summary>
    public IEnumerable<string> Memory()
    {
        for (var i = 0; i < Instances.Count; i++)
        {
            yield return $"instance {i + 1} peak resident {Status(Instances[i], "VmHWM"):N0} MiB (target <= 1,024 MiB)";
        }
        if (!IsCluster)
        {
            yield break;
        }
        var clickhouse = Path.Combine(_folder, "clickhouse");
        foreach (var shard in (string[])["shard1", "shard2"])
        {
            var pid = int.Parse(
                File.ReadAllText(Path.Combine(clickhouse, shard, "pid")).Trim(),
                CultureInfo.InvariantCulture
            );
            yield return $"ClickHouse {shard} peak resident {Status(pid, "VmHWM"):N0} MiB, "
                + $"now {Status(pid, "VmRSS"):N0} MiB";
        }
        var postgres = Path.Combine(_folder, "postgres");
        var cluster = Path.Combine(postgres, "cluster");
        var home = File.Exists(cluster) ? File.ReadAllText(cluster).Trim() : postgres;
        var postmaster = int.Parse(
            File.ReadLines(Path.Combine(home, "data", "postmaster.pid")).First().Trim(),
            CultureInfo.InvariantCulture
        );
        var tree = Children(postmaster).Prepend(postmaster).ToList();
        yield return $"PostgreSQL resident now {tree.Sum(p => Status(p, "VmRSS")):N0} MiB over {tree.Count} processes "
            + "(shared buffers counted once per process that touched them)";
    }

    public void Dispose()
    {
        _sampler?.Dispose();
        foreach (var client in Clients)
        {
            client.Dispose();
        }
        if (_embedded is { HasExited: false })
        {
            _embedded.Kill(entireProcessTree: true);
            _embedded.WaitForExit();
        }
        if (IsCluster)
        {
            Run("bash", [Path.Combine(_root, "scripts", "trial-cluster.sh"), "stop", _folder]);
        }
        else
        {
            Directory.Delete(_folder, recursive: true);
        }
        _embedded?.Dispose();
    }

    private void Add(string url, string key, int pid, int connections)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections })
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromMinutes(60),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Clients.Add(http);
        Instances.Add(pid);
    }

    private async Task WaitHealthyAsync()
    {
        foreach (var http in Clients)
        {
            for (var i = 0; ; i++)
            {
                try
                {
                    if (
                        (
                            await http.GetAsync(new Uri("/healthz", UriKind.Relative)).ConfigureAwait(false)
                        ).IsSuccessStatusCode
                    )
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (i < 300) { }
                if (i >= 300)
                {
                    throw new TimeoutException($"{http.BaseAddress} did not become healthy in 30 s");
                }
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    private static string Base(string url) => new Uri(url).GetLeftPart(UriPartial.Authority);

    /// <summary>A field of /proc/PID/status in MiB (0 when the process is gone).</summary>
    private static double Status(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    return double.Parse(
                            line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
                            CultureInfo.InvariantCulture
                        ) / 1024;
                }
            }
        }
        catch (IOException) { }
        return 0;
    }

    /// <summary>The processes whose parent is <paramref name="parent"/>.</summary>
    private static IEnumerable<int> Children(int parent)
    {
        foreach (var stat in Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "stat")))
        {
            string text;
            try
            {
                text = File.ReadAllText(stat);
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            // pid (comm) state ppid …: the command may hold spaces, so read after its closing parenthesis.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
            {
                yield return int.Parse(
                    text[..text.IndexOf(' ', StringComparison.Ordinal)],
                    CultureInfo.InvariantCulture
                );
            }
        }
    }

    /// <summary>Runs a command to its end and returns its output; a failure stops the run with its error
    /// output.</summary>
    private static string Run(string file, string[] arguments)
    {
        using var process = Launch(file, arguments, echo: false);
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}");
    }

    /// <summary>Starts a command; its error output (and with <paramref name="echo"/> its output) is shown.</summary>
    private static Process Launch(string file, string[] arguments, bool echo = true)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start)!;
        void Echo(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is { } line)
            {
                Console.Error.WriteLine($"{Path.GetFileName(file)}: {line}");
            }
        }
        process.ErrorDataReceived += Echo;
        process.BeginErrorReadLine();
        if (echo)
        {
            process.OutputDataReceived += Echo;
            process.BeginOutputReadLine();
        }
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
