using System.Net;
using System.Net.Mail;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Overlap.Core.Privacy;

/// <summary>
/// Finds personal data inside free text and masks it: e-mail addresses (<c>[email]</c>), IBANs checked by ISO 13616's
/// mod-97 and their country's length (<c>[iban]</c>), card numbers checked by Luhn (<c>[card]</c>), IPv6 and IPv4
/// addresses as <see cref="IPAddress"/> parses them (<c>[ip]</c>) and phone numbers (<c>[phone]</c>). Each detector
/// first matches a candidate by shape, then keeps only what its check confirms, so a 16-digit number failing Luhn is
/// not a card and an order number is not a phone. Detectors run in that order: a mask holds no digit or '@', so a later
/// detector never re-reads an earlier one's find.
/// </summary>
public static partial class PersonalData
{
    /// <summary>The masks, one per kind of personal data.</summary>
    public const string EmailMask = "[email]",
        IbanMask = "[iban]",
        CardMask = "[card]",
        IpMask = "[ip]",
        PhoneMask = "[phone]";

    /// <summary>The text with every e-mail address, IBAN, card number, IP address and phone number masked.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < 6)
        {
            return text;
        }
        text = EmailCandidate().Replace(text, m => MailAddress.TryCreate(m.Value, out _) ? EmailMask : m.Value);
        text = IbanCandidate().Replace(text, MaskIban);
        text = CardCandidate().Replace(text, m => Luhn(Digits(m.Value)) && CardGroups(m.Value) ? CardMask : m.Value);
        text = Ipv6Candidate().Replace(text, m => IsIpv6(m.Value) ? IpMask : m.Value);
        text = Ipv4Candidate().Replace(text, m => IsIpv4(m.Value) ? IpMask : m.Value);
        return PhoneCandidate().Replace(text, m => IsPhone(text, m) ? PhoneMask : m.Value);
    }

    /// <summary>True when the digits pass the Luhn check (ISO/IEC 7812) and are 13 to 19 long, as card numbers are.</summary>
    public static bool Luhn(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (digits.Length is < 13 or > 19 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /// <summary>
    /// True when <paramref name="iban"/> (no spaces, upper case) is an IBAN: a country with its registered length, two
    /// check digits, and the ISO 13616 check (country and check digits moved to the end, letters as 10–35, mod 97 = 1).
    /// </summary>
    public static bool IsIban(string iban)
    {
        ArgumentNullException.ThrowIfNull(iban);
        if (
            iban.Length < 15
            || !IbanLengths.TryGetValue(iban[..2], out var length)
            || iban.Length != length
            || !char.IsAsciiDigit(iban[2])
            || !char.IsAsciiDigit(iban[3])
        )
        {
            return false;
        }
        var remainder = 0;
        foreach (var c in iban[4..] + iban[..4])
        {
            if (char.IsAsciiDigit(c))
            {
                remainder = (remainder * 10 + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
            }
            else
            {
                return false;
            }
        }
        return remainder == 1;
    }

    // A candidate is read up to the country's length (spaces allowed every few characters), so a word that follows an
    // IBAN is not taken for part of it.
    private static string MaskIban(Match m)
    {
        var text = m.Value;
        if (!IbanLengths.TryGetValue(text[..2], out var length))
        {
            return text;
        }
        var kept = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != ' ' && ++kept == length)
            {
                return IsIban(text[..(i + 1)].Replace(" ", "", StringComparison.Ordinal))
                    ? IbanMask + text[(i + 1)..]
                    : text;
            }
        }
        return text;
    }

    /// <summary>
    /// A card number is written in one run, in groups of four (the last of three or four digits, for 15 to 19 digits),
    /// or as American Express and Diners print theirs (4-6-5, 4-6-4); a Luhn-valid run grouped otherwise (an account
    /// number, the end of an IBAN that failed its check) is not taken for one.
    /// </summary>
    private static bool CardGroups(string text)
    {
        var groups = text.Split(' ', '-');
        if (groups.Length == 1)
        {
            return true;
        }
        var lengths = string.Join('-', groups.Select(g => g.Length));
        return lengths is "4-6-5" or "4-6-4"
            || (groups[..^1].All(g => g.Length == 4) && groups[^1].Length is 3 or 4 && groups.Length >= 4);
    }

    private static bool IsIpv4(string text) =>
        text.Split('.')
            .All(part => part.Length <= 3 && int.Parse(part, System.Globalization.CultureInfo.InvariantCulture) <= 255)
        && IPAddress.TryParse(text, out var a)
        && a.AddressFamily == AddressFamily.InterNetwork;

    private static bool IsIpv6(string text) =>
        text.Count(c => c == ':') >= 2
        && text.Split(':').Count(g => g.Length > 0) >= 2
        && IPAddress.TryParse(text, out var a)
        && a.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>
    /// A phone number has 7 to 15 digits (E.164's most) and is written as one: an international '+', an area code in
    /// parentheses, or at least three groups split by spaces, dashes or dots. A bare run of digits, a date, a decimal,
    /// or a number that follows "order", "invoice", "ticket", "ref" or '#' is not taken for one.
    /// </summary>
    private static bool IsPhone(string text, Match m)
    {
        var value = m.Value;
        var digits = Digits(value).Length;
        if (digits is < 7 or > 15 || DateLike().IsMatch(value) || DottedQuad().IsMatch(value))
        {
            return false;
        }
        if (value.StartsWith('+') || value.Contains('(', StringComparison.Ordinal))
        {
            return true;
        }
        var before = text[..m.Index].TrimEnd();
        if (before.EndsWith('#') || ReferenceWord().IsMatch(before))
        {
            return false;
        }
        var groups = GroupSplit().Split(value).Count(g => g.Length > 0);
        return groups >= 3;
    }

    private static string Digits(string text) => new([.. text.Where(char.IsAsciiDigit)]);

    /// <summary>IBAN length per country, from the SWIFT IBAN registry.</summary>
    private static readonly Dictionary<string, int> IbanLengths = new(StringComparer.Ordinal)
    {
        ["AD"] = 24,
        ["AE"] = 23,
        ["AL"] = 28,
        ["AT"] = 20,
        ["AZ"] = 28,
        ["BA"] = 20,
        ["BE"] = 16,
        ["BG"] = 22,
        ["BH"] = 22,
        ["BR"] = 29,
        ["BY"] = 28,
        ["CH"] = 21,
        ["CR"] = 22,
        ["CY"] = 28,
        ["CZ"] = 24,
        ["DE"] = 22,
        ["DK"] = 18,
        ["DO"] = 28,
        ["EE"] = 20,
        ["EG"] = 29,
        ["ES"] = 24,
        ["FI"] = 18,
        ["FO"] = 18,
        ["FR"] = 27,
        ["GB"] = 22,
        ["GE"] = 22,
        ["GI"] = 23,
        ["GL"] = 18,
        ["GR"] = 27,
        ["GT"] = 28,
        ["HR"] = 21,
        ["HU"] = 28,
        ["IE"] = 22,
        ["IL"] = 23,
        ["IQ"] = 23,
        ["IS"] = 26,
        ["IT"] = 27,
        ["JO"] = 30,
        ["KW"] = 30,
        ["KZ"] = 20,
        ["LB"] = 28,
        ["LC"] = 32,
        ["LI"] = 21,
        ["LT"] = 20,
        ["LU"] = 20,
        ["LV"] = 21,
        ["MC"] = 27,
        ["MD"] = 24,
        ["ME"] = 22,
        ["MK"] = 19,
        ["MR"] = 27,
        ["MT"] = 31,
        ["MU"] = 30,
        ["NL"] = 18,
        ["NO"] = 15,
        ["PK"] = 24,
        ["PL"] = 28,
        ["PS"] = 29,
        ["PT"] = 25,
        ["QA"] = 29,
        ["RO"] = 24,
        ["RS"] = 22,
        ["SA"] = 24,
        ["SC"] = 31,
        ["SE"] = 24,
        ["SI"] = 19,
        ["SK"] = 24,
        ["SM"] = 27,
        ["ST"] = 25,
        ["SV"] = 28,
        ["TL"] = 23,
        ["TN"] = 24,
        ["TR"] = 26,
        ["UA"] = 29,
        ["VA"] = 22,
        ["VG"] = 24,
        ["XK"] = 20,
    };

    [GeneratedRegex(@"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")]
    private static partial Regex EmailCandidate();

    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}(?![a-z0-9])")]
    private static partial Regex IbanCandidate();

    [GeneratedRegex(@"(?<![\w.+-])\d(?:[ -]?\d){12,18}(?![\w-])")]
    private static partial Regex CardCandidate();

    [GeneratedRegex(@"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?::\d{1,3}(?:\.\d{1,3}){3})?(?![\w:])")]
    private static partial Regex Ipv6Candidate();

    [GeneratedRegex(@"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)")]
    private static partial Regex Ipv4Candidate();

    [GeneratedRegex(@"(?<![\w+])\+?\(?\d[\d ().-]{5,}\d(?![\w])")]
    private static partial Regex PhoneCandidate();

    [GeneratedRegex(@"^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{4}$|^\d+\.\d+$")]
    private static partial Regex DateLike();

    [GeneratedRegex(@"(?i)\b(?:order|invoice|ticket|ref|reference|tracking)(?:\s*(?:number|no\.?|nr\.?|id))?\s*[:#]?$")]
    private static partial Regex ReferenceWord();

    [GeneratedRegex(@"^\d{1,3}(?:\.\d{1,3}){3}$")]
    private static partial Regex DottedQuad();

    [GeneratedRegex(@"[ ().-]+")]
    private static partial Regex GroupSplit();
}
