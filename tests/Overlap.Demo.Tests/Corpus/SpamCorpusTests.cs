using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using Overlap.Demo.Corpus;

namespace Overlap.Demo.Tests.Corpus;

/// <summary>The real corpus, fetched with npm by the shared fixture.</summary>
[Collection("corpus")]
public sealed partial class SpamCorpusTests(CorpusFixture fixture)
{
    [Fact]
    public void Load_reads_every_message_and_checks_its_md5()
    {
        Assert.Equal(6046, fixture.Data.Messages.Count);
        Assert.Equal(6046 - SpamCorpus.KnownChecksumMismatches.Count, fixture.Data.ChecksumsVerified);
        Assert.Equal(SpamCorpus.KnownChecksumMismatches.Order(), fixture.Data.ChecksumMismatches.Order());
        Assert.Equal(6046, fixture.Data.Messages.Select(m => m.Id).Distinct().Count());
    }

    [Fact]
    public void Groups_and_labels_match_what_the_package_says()
    {
        // Counted here straight from the tarball: the group field of each JSON entry, and the README's stated sizes.
        var jsonGroups = new Dictionary<string, int>(StringComparer.Ordinal);
        string? readme = null;
        using (var file = File.OpenRead(fixture.Corpus.TarballPath))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { DataStream: { } data } entry)
            {
                if (entry.Name == "package/README.md")
                {
                    readme = new StreamReader(data).ReadToEnd();
                }
                else if (
                    entry.Name.StartsWith("package/data/", StringComparison.Ordinal)
                    && entry.Name.EndsWith(".json", StringComparison.Ordinal)
                    && entry.Name.Count(c => c == '/') == 3
                )
                {
                    var group = JsonDocument.Parse(data).RootElement.GetProperty("group").GetString()!;
                    jsonGroups[group] = jsonGroups.GetValueOrDefault(group) + 1;
                }
            }
        }
        var stated = ReadmeGroup()
            .Matches(readme!)
            .ToDictionary(
                m => m.Groups[1].Value,
                m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)
            );
        Assert.Equal(5, stated.Count);
        var parsed = fixture.Data.Messages.GroupBy(m => m.Group).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(stated.OrderBy(p => p.Key), jsonGroups.OrderBy(p => p.Key));
        Assert.Equal(stated.OrderBy(p => p.Key), parsed.OrderBy(p => p.Key));
        foreach (var group in fixture.Data.Messages.GroupBy(m => m.Group))
        {
            var spam = group.Key.Contains("spam", StringComparison.Ordinal);
            Assert.All(group, m => Assert.Equal(spam, m.IsSpam));
        }
        Assert.Equal(stated["spam-1"] + stated["spam-2"], fixture.Data.Messages.Count(m => m.IsSpam));
    }

    [Fact]
    public void Nearly_every_message_has_a_date_and_they_come_in_date_order()
    {
        var messages = fixture.Data.Messages;
        Assert.True(fixture.Data.Dated.Count >= 0.99 * messages.Count, $"{fixture.Data.Undated} undated");
        Assert.Equal(messages.Count - fixture.Data.Dated.Count, fixture.Data.Undated);
        Assert.All(messages.Skip(fixture.Data.Dated.Count), m => Assert.Equal(MessageDateSource.None, m.DateSource));
        for (var i = 1; i < fixture.Data.Dated.Count; i++)
        {
            Assert.True(fixture.Data.Dated[i - 1].Date <= fixture.Data.Dated[i].Date);
        }
        // Most dates come from the Date header; the fallbacks are each used, and rarely.
        Assert.True(messages.Count(m => m.DateSource == MessageDateSource.DateHeader) > 0.95 * messages.Count);
        Assert.Contains(messages, m => m.DateSource == MessageDateSource.MboxFromLine);
    }

    [Fact]
    public void Every_sender_kind_has_mail_in_the_early_period_and_in_production()
    {
        foreach (var slice in new[] { fixture.Split.Train, fixture.Split.Holdout, fixture.Split.Production })
        {
            Assert.Equal(SenderDomains.Types.Order(), slice.Select(m => m.SenderDomainType).Distinct().Order());
        }
    }

    [Fact]
    public void Messages_have_text_to_classify()
    {
        var messages = fixture.Data.Messages;
        Assert.True(messages.Count(m => m.Body.Length > 0) > 0.99 * messages.Count);
        Assert.True(messages.Count(m => m.Subject.Length > 0) > 0.99 * messages.Count);
        // 8-bit text read from the original bytes, not from the JSON's lossy UTF-8: no replacement characters in ham.
        Assert.True(
            messages.Where(m => !m.IsSpam).Count(m => m.Body.Contains('\uFFFD', StringComparison.Ordinal)) < 10
        );
        Assert.Contains(messages, m => m.Attachments > 0);
    }

    [GeneratedRegex(@"`([a-z]+(?:-[a-z]+)?-\d)`: [^\n]*\((\d+) messages\)")]
    private static partial Regex ReadmeGroup();
}
