namespace Overlap.Demo.Corpus;

/// <summary>
/// Sorts a sender's domain into one of four kinds, few enough that every slice of the corpus has mail of each:
/// <list type="bullet">
/// <item><c>freemail</c>: well-known free providers (Yahoo, Hotmail, AOL, MSN, Gmail, Excite, Netscape, Lycos, Juno…) under any top-level domain;</item>
/// <item><c>edu_org</c>: <c>.edu</c>, <c>.org</c> and the other non-commercial generic domains (<c>.gov</c>, <c>.mil</c>, <c>.int</c>);</item>
/// <item><c>com_net</c>: <c>.com</c>, <c>.net</c> and the other commercial generic domains (<c>.biz</c>, <c>.info</c>…);</item>
/// <item><c>other</c>: a two-letter country domain (<c>.ie</c>, <c>.de</c>, <c>.co.uk</c>…), or no recognisable
/// domain at all (8 messages of the corpus, too few to be a segment of their own).</item>
/// </list>
/// </summary>
public static class SenderDomains
{
    /// <summary>A free mail provider.</summary>
    public const string Freemail = "freemail";

    /// <summary>An education, non-profit or government domain.</summary>
    public const string EduOrg = "edu_org";

    /// <summary>A commercial generic domain.</summary>
    public const string ComNet = "com_net";

    /// <summary>A country domain, or none recognisable.</summary>
    public const string Other = "other";

    /// <summary>Every kind, in the order reports list them.</summary>
    public static IReadOnlyList<string> Types { get; } = [Freemail, ComNet, EduOrg, Other];

    // Brands matched as any label of the domain, so yahoo.co.uk and hotmail.fr count too.
    private static readonly HashSet<string> FreemailBrands = new(StringComparer.Ordinal)
    {
        "yahoo",
        "hotmail",
        "aol",
        "msn",
        "gmail",
        "excite",
        "netscape",
        "lycos",
        "juno",
        "netzero",
        "rediffmail",
        "caramail",
        "gmx",
        "altavista",
        "bigfoot",
        "mailcity",
        "angelfire",
        "zdnetmail",
        "eudoramail",
        "fastmail",
    };

    // Providers whose name is too common a word to match as a label.
    private static readonly HashSet<string> FreemailDomains = new(StringComparer.Ordinal)
    {
        "mail.com",
        "email.com",
        "usa.net",
        "compuserve.com",
        "web.de",
        "mail.ru",
        "iname.com",
        "post.com",
        "operamail.com",
        "hushmail.com",
        "mailandnews.com",
        "cs.com",
        "wanadoo.fr",
    };

    private static readonly HashSet<string> EduOrgTlds = new(StringComparer.Ordinal)
    {
        "edu",
        "org",
        "gov",
        "mil",
        "int",
    };

    private static readonly HashSet<string> ComNetTlds = new(StringComparer.Ordinal)
    {
        "com",
        "net",
        "biz",
        "info",
        "name",
        "pro",
        "coop",
        "aero",
        "museum",
    };

    /// <summary>The kind of <paramref name="domain"/>: one of <see cref="Types"/>.</summary>
    public static string Classify(string? domain)
    {
        if (string.IsNullOrWhiteSpace(domain))
        {
            return Other;
        }
        var labels = domain.Trim().TrimEnd('.').ToLowerInvariant().Split('.');
        if (labels.Length < 2 || labels.Any(l => l.Length == 0))
        {
            return Other;
        }
        if (labels.Any(FreemailBrands.Contains) || FreemailDomains.Contains(string.Join('.', labels[^2..])))
        {
            return Freemail;
        }
        var tld = labels[^1];
        if (EduOrgTlds.Contains(tld))
        {
            return EduOrg;
        }
        if (ComNetTlds.Contains(tld))
        {
            return ComNet;
        }
        return Other;
    }
}
