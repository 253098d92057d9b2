using System.Text.Json;
using Overlap.Demo.Corpus;

namespace Overlap.Demo.Tests.Corpus;

/// <summary>The parser against Python's <c>email</c> package on hand-written emails (Fixtures/make_email_fixtures.py).</summary>
public sealed class SpamMessageParserTests
{
    private static readonly JsonElement Expected = JsonDocument
        .Parse(File.ReadAllText(Fixtures.Path("email_expected.json")))
        .RootElement;

    public static TheoryData<string> Emails()
    {
        var data = new TheoryData<string>();
        foreach (var name in Expected.EnumerateObject().Select(p => p.Name))
        {
            data.Add(name);
        }
        return data;
    }

    [Fact]
    public void Fixtures_cover_every_committed_email()
    {
        var files = Directory
            .GetFiles(Fixtures.Path("emails"), "*.eml")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal);
        Assert.Equal(files, Expected.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.True(Expected.EnumerateObject().Count() >= 10);
    }

    [Theory]
    [MemberData(nameof(Emails))]
    public void Parse_reads_what_pythons_email_package_reads(string name)
    {
        var expected = Expected.GetProperty(name);
        var message = SpamMessageParser.Parse(
            File.ReadAllBytes(Fixtures.Path("emails", name)),
            "fixtures/" + name,
            "easy-ham-1"
        );

        Assert.Equal(expected.GetProperty("subject").GetString(), message.Subject);
        Assert.Equal(expected.GetProperty("date_source").GetString(), message.DateSource.ToString());
        var date = expected.GetProperty("date").GetString();
        Assert.Equal(
            date is null ? null : DateTimeOffset.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
            message.Date
        );
        if (message.Date is { } d)
        {
            Assert.Equal(
                DateTimeOffset.Parse(date!, System.Globalization.CultureInfo.InvariantCulture).Offset,
                d.Offset
            );
        }
        Assert.Equal(expected.GetProperty("attachments").GetInt32(), message.Attachments);
        Assert.Equal(expected.GetProperty("sender_domain").GetString(), message.SenderDomain);
        var body = expected.GetProperty("body").GetString()!;
        if (expected.GetProperty("body_kind").GetString() == "html")
        {
            // Both put line breaks at block elements, but not always the same number: compare the words.
            Assert.Equal(Words(body), Words(message.Body));
            Assert.DoesNotContain("<", message.Body, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(body.TrimEnd(), message.Body.TrimEnd());
        }
        Assert.False(message.IsSpam);
    }

    [Fact]
    public void Parse_takes_the_label_from_the_group_and_counts_links()
    {
        var message = SpamMessageParser.Parse(
            File.ReadAllBytes(Fixtures.Path("emails", "html-only.eml")),
            "spam-1/00001",
            "spam-1"
        );

        Assert.True(message.IsSpam);
        Assert.Equal("spam", message.Label);
        Assert.Equal(SenderDomains.Freemail, message.SenderDomainType);
        Assert.Equal(1, message.Links);
    }

    [Theory]
    [InlineData("")]
    [InlineData("From someone@example.com  Tue Aug  6 11:51:02 2002\n")]
    [InlineData("no headers at all, just text\n")]
    public void Parse_never_throws_on_a_broken_message(string text)
    {
        var message = SpamMessageParser.Parse(System.Text.Encoding.UTF8.GetBytes(text), "spam-1/99999", "spam-1");

        Assert.True(message.IsSpam);
        Assert.Equal(0, message.Attachments);
        Assert.Equal(
            text.StartsWith("From ", StringComparison.Ordinal)
                ? MessageDateSource.MboxFromLine
                : MessageDateSource.None,
            message.DateSource
        );
    }

    private static string Words(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
