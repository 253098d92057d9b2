using Overlap.Demo.Corpus;

namespace Overlap.Demo.Tests.Corpus;

public sealed class SenderDomainsTests
{
    [Theory]
    [InlineData("yahoo.com", SenderDomains.Freemail)]
    [InlineData("mail.yahoo.co.uk", SenderDomains.Freemail)]
    [InlineData("hotmail.fr", SenderDomains.Freemail)]
    [InlineData("mail.com", SenderDomains.Freemail)]
    [InlineData("example.com", SenderDomains.ComNet)]
    [InlineData("lists.sourceforge.net", SenderDomains.ComNet)]
    [InlineData("biz.info", SenderDomains.ComNet)]
    [InlineData("cs.example.edu", SenderDomains.EduOrg)]
    [InlineData("spamassassin.org", SenderDomains.EduOrg)]
    [InlineData("nasa.gov", SenderDomains.EduOrg)]
    [InlineData("linux.ie", SenderDomains.Other)]
    [InlineData("example.co.uk", SenderDomains.Other)]
    [InlineData("localhost", SenderDomains.Other)]
    [InlineData("", SenderDomains.Other)]
    [InlineData(null, SenderDomains.Other)]
    [InlineData("EXAMPLE.COM.", SenderDomains.ComNet)]
    public void Classify_sorts_domains_into_few_kinds(string? domain, string expected) =>
        Assert.Equal(expected, SenderDomains.Classify(domain));
}
