using Overlap.Core.Privacy;

namespace Overlap.Core.Tests.Privacy;

/// <summary>Each detector on text that holds its kind of personal data, and on text that only looks like it.</summary>
public sealed class PersonalDataTests
{
    [Theory]
    [InlineData("write to ana.lopez+news@example.co.uk today", "write to [email] today")]
    [InlineData("From: RAJ@Mail.Example.com.", "From: [email].")]
    [InlineData("two: a@b.io, c_d@e-f.org", "two: [email], [email]")]
    [InlineData("Visa 4111 1111 1111 1111 on file", "Visa [card] on file")]
    [InlineData("card=5555555555554444;", "card=[card];")]
    [InlineData("amex 3782-822463-10005 ok", "amex [card] ok")]
    [InlineData("IBAN DE89 3704 0044 0532 0130 00 please", "IBAN [iban] please")]
    [InlineData("pay GB82WEST12345698765432 now", "pay [iban] now")]
    [InlineData("NL91ABNA0417164300", "[iban]")]
    [InlineData("to FR14 2004 1010 0505 0001 3M02 606 THANKS", "to [iban] THANKS")]
    [InlineData("from 192.168.0.17 at noon", "from [ip] at noon")]
    [InlineData("peer 2001:db8::8a2e:370:7334, then fe80::1", "peer [ip], then [ip]")]
    [InlineData("full 2001:0db8:85a3:0000:0000:8a2e:0370:7334", "full [ip]")]
    [InlineData("call +44 20 7946 0958 or (415) 555-0132", "call [phone] or [phone]")]
    [InlineData("mobile 415-555-0132.", "mobile [phone].")]
    [InlineData("whatsapp +14155550132", "whatsapp [phone]")]
    [InlineData("office 020 7946 0958", "office [phone]")]
    [InlineData("Phone number: 555.123.4567", "Phone number: [phone]")]
    public void Redact_PersonalData_IsMasked(string text, string expected) =>
        Assert.Equal(expected, PersonalData.Redact(text));

    [Theory]
    [InlineData("a 16-digit number failing Luhn: 4111 1111 1111 1112")]
    [InlineData("4111111111111112")]
    [InlineData("order 12345678 shipped")]
    [InlineData("Order #415-555-0132 is late")]
    [InlineData("invoice no. 555 0132 7788")]
    [InlineData("ticket: 020 7946 0958")]
    [InlineData("on 2024-01-15 at 12:30:45")]
    [InlineData("pi is 3.14159265 roughly")]
    [InlineData("version 1.2.3.4.5 and 999.10.10.10")]
    [InlineData("IBAN DE89 3704 0044 0532 0130 01 has a wrong check")]
    [InlineData("XX89370400440532013000 is no country")]
    [InlineData("user@localhost and @handle and a@b")]
    [InlineData("C++ std::vector<int>::iterator")]
    [InlineData("ratio 3:4:5 and 10:30")]
    [InlineData("plain 1234567")]
    [InlineData("")]
    public void Redact_LookAlikes_AreKept(string text) => Assert.Equal(text, PersonalData.Redact(text));

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("378282246310005", true)]
    [InlineData("6011111111111117", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("79927398713", false)] // passes Luhn, but 11 digits is no card
    [InlineData("4111a11111111111", false)]
    public void Luhn_Checks(string digits, bool valid) => Assert.Equal(valid, PersonalData.Luhn(digits));

    [Theory]
    [InlineData("DE89370400440532013000", true)]
    [InlineData("GB82WEST12345698765432", true)]
    [InlineData("NO9386011117947", true)]
    [InlineData("DE89370400440532013001", false)]
    [InlineData("DE8937040044053201300", false)] // one short of Germany's 22
    [InlineData("GB82west12345698765432", false)]
    public void IsIban_Checks(string iban, bool valid) => Assert.Equal(valid, PersonalData.IsIban(iban));
}
