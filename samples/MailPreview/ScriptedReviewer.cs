using System.Text.RegularExpressions;

namespace Overlap.Samples.MailPreview;

/// <summary>
/// The scenario's people, scripted: they grade a preview on the rubric by a fixed rule, stated here and in the
/// walkthrough, so a run repeats exactly. They are not real reviewers; the rule stands in for what a person would say.
/// </summary>
/// <remarks>
/// <para><b>informative</b> (pass/fail): fails when the preview is empty, a greeting of six words or fewer ("Hi all,
/// quick question."), mailing-list boilerplate (it names unsubscribing, a mailing list or a link), or shorter than
/// eight words and sharing no word of four letters or more with the subject; passes otherwise.</para>
/// <para><b>clarity</b> (1–5): starts at 5 and loses a point for each of: longer than 100 characters, cut short
/// ("…"), holding a web or mail address, more than a quarter of its characters neither letters nor spaces; at least 1.</para>
/// <para><b>failure category</b> (in production, for a preview that fails either criterion): the first of <c>empty</c>,
/// <c>link</c> (a web or mail address), <c>boilerplate</c>, <c>greeting</c>, <c>off_topic</c> (uninformative for
/// another reason), <c>cut_short</c> (ends with "…"), <c>hard_to_read</c> that applies.</para>
/// </remarks>
internal static partial class ScriptedReviewer
{
    /// <summary>1 when the preview tells what the email is about, else 0.</summary>
    public static int Informative(string preview, string subject)
    {
        if (preview.Length == 0 || Boilerplate().IsMatch(preview))
        {
            return 0;
        }
        if (Greeting().IsMatch(preview) && MailText.Words(preview) <= 6)
        {
            return 0;
        }
        if (MailText.Words(preview) >= 8)
        {
            return 1;
        }
        var subjectWords = MailText.WordList(subject).Where(w => w.Length >= 4).ToHashSet();
        return MailText.WordList(preview).Any(subjectWords.Contains) ? 1 : 0;
    }

    /// <summary>The failure category of a preview that fails a criterion (see the remarks); null when it passes both.</summary>
    public static string? Category(string preview, string subject)
    {
        var informative = Informative(preview, subject) == 1;
        if (informative && Clarity(preview) >= ClarityPassesAt)
        {
            return null;
        }
        return preview.Length == 0 ? "empty"
            : MailText.HasAddress(preview) ? "link"
            : Boilerplate().IsMatch(preview) ? "boilerplate"
            : !informative && Greeting().IsMatch(preview) ? "greeting"
            : !informative ? "off_topic"
            : preview.EndsWith('…') ? "cut_short"
            : "hard_to_read";
    }

    /// <summary>The lowest clarity grade that passes, as the contract's <c>pass_at</c>.</summary>
    public const int ClarityPassesAt = 4;

    /// <summary>A grade from 1 to 5 for how easy the preview is to read at a glance.</summary>
    public static int Clarity(string preview)
    {
        if (preview.Length == 0)
        {
            return 1;
        }
        var grade = 5;
        if (preview.Length > 100)
        {
            grade--;
        }
        if (preview.EndsWith('…'))
        {
            grade--;
        }
        if (MailText.HasAddress(preview))
        {
            grade--;
        }
        var other = preview.Count(c => !char.IsLetter(c) && c != ' ');
        if (other > preview.Length / 4)
        {
            grade--;
        }
        return Math.Max(1, grade);
    }

    [GeneratedRegex(@"unsubscribe|mailing list|https?://|www\.|click here", RegexOptions.IgnoreCase)]
    private static partial Regex Boilerplate();

    [GeneratedRegex(@"^(hi|hello|hey|dear|greetings|thanks|thank you)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Greeting();
}
