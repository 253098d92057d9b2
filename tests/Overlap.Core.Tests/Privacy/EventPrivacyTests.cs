using System.Security.Cryptography;
using System.Text;
using Overlap.Core.Contracts;
using Overlap.Core.Privacy;
using Overlap.Events;

namespace Overlap.Core.Tests.Privacy;

/// <summary>A contract's privacy section applied to events, and the section's refusals.</summary>
public sealed class EventPrivacyTests
{
    private const string Head = """
        feature: answers
        task: generative
        columns: { input: question, output: reply }
        checks: [{ name: short, max_length: 500 }]

        """;

    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("a test secret of 32 bytes, fixed");
    private static readonly PrivacyKey Key = new(Secret);

    private static PrivacyPolicy Policy(string privacy) => ContractParser.Parse(Head + privacy).Privacy!;

    private static string Refusal(string privacy)
    {
        var error = Assert.Throws<ContractException>(() => ContractParser.Parse(Head + privacy));
        return string.Join("\n", error.Errors.Select(e => $"{e.Line}: {e.Problem}"));
    }

    private static PredictionEvent Prediction(string inputs, string attributes, string? output) =>
        new()
        {
            Id = "p1",
            Time = DateTimeOffset.UnixEpoch,
            Feature = "answers",
            InputsJson = inputs,
            AttributesJson = attributes,
            Output = output,
        };

    [Fact]
    public void Parse_ReadsEveryKey()
    {
        var policy = Policy(
            """
            privacy:
              default: redact
              fields: { email: hash, country: keep, notes: drop, output: redact }
              subject: user_id
              retention: 90d
            """
        );
        Assert.Equal(FieldPolicy.Redact, policy.Default);
        Assert.Equal(
            [
                ("country", FieldPolicy.Keep),
                ("email", FieldPolicy.Hash),
                ("notes", FieldPolicy.Drop),
                ("output", FieldPolicy.Redact),
            ],
            policy.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => (f.Key, f.Value))
        );
        Assert.Equal(("user_id", TimeSpan.FromDays(90)), (policy.Subject, policy.Retention));
        Assert.Equal(FieldPolicy.Hash, policy.For("user_id"));
        Assert.Equal(FieldPolicy.Redact, policy.For("anything_else"));
    }

    [Fact]
    public void Parse_WithoutSection_HasNoPolicy() => Assert.Null(ContractParser.Parse(Head).Privacy);

    [Theory]
    [InlineData("privacy:\n  fields: { email: encrypt }", "6: 'email' is 'encrypt'; write keep, drop, hash")]
    [InlineData("privacy:\n  default: mask", "6: 'default' is 'mask'; write keep, drop, hash")]
    [InlineData(
        "privacy:\n  fields: { user_id: keep }\n  subject: user_id",
        "7: 'user_id' is the subject, which is always hashed"
    )]
    [InlineData("privacy:\n  subject: output", "6: 'subject' names the input or attribute")]
    [InlineData("privacy:\n  retention: 30m", "6: 'retention' is 30m; it is at least 1h")]
    [InlineData("privacy:\n  retention: soon", "6: 'retention' must be a duration")]
    [InlineData("privacy:\n  retension: 90d", "6: unknown key 'retension' in 'privacy'; did you mean 'retention'?")]
    public void Parse_Refuses_WithLineAndAdvice(string privacy, string expected) =>
        Assert.StartsWith(expected, Refusal(privacy), StringComparison.Ordinal);

    [Fact]
    public void Apply_EachPolicy_KeepsOnlyWhatItAllows()
    {
        var policy = Policy(
            """
            privacy:
              fields: { email: hash, notes: drop, question: redact, output: redact }
              subject: user_id
            """
        );
        var sent = Prediction(
            """{"question":"I am ana@example.com, card 4111 1111 1111 1111","email":"ana@example.com","notes":"VIP","length":12}""",
            """{"user_id":"u-42","country":"es"}""",
            "Call us on +44 20 7946 0958."
        );
        var kept = (PredictionEvent)EventPrivacy.Apply(sent, policy, Key);
        var hash = Hmac("ana@example.com");
        Assert.Equal($$"""{"question":"I am [email], card [card]","email":"{{hash}}","length":12}""", kept.InputsJson);
        Assert.Equal($$"""{"user_id":"{{Hmac("u-42")}}","country":"es"}""", kept.AttributesJson);
        Assert.Equal("Call us on [phone].", kept.Output);
        Assert.Equal(Hmac("u-42"), EventPrivacy.SubjectHash("u-42", Key));
    }

    [Fact]
    public void Apply_DropOutputAndDefaultHash_CoverUnnamedFields()
    {
        var policy = Policy("privacy:\n  default: hash\n  fields: { output: drop, length: keep }");
        var kept = (PredictionEvent)
            EventPrivacy.Apply(Prediction("""{"question":"hi","length":2,"id":12345}""", "{}", "hello"), policy, Key);
        // A number is hashed as its JSON text, so 12345 sent as a number or as "12345" links.
        Assert.Equal($$"""{"question":"{{Hmac("hi")}}","length":2,"id":"{{Hmac("12345")}}"}""", kept.InputsJson);
        Assert.Null(kept.Output);
    }

    [Fact]
    public void Apply_KeepAll_ReturnsTheEventUnchanged()
    {
        var sent = Prediction("""{ "question": "ana@example.com" }""", "{}", "x");
        Assert.Same(sent, EventPrivacy.Apply(sent, Policy("privacy:\n  retention: 30d"), Key));
        var outcome = new OutcomeEvent
        {
            Id = "o1",
            Time = DateTimeOffset.UnixEpoch,
            PredictionId = "p1",
            Label = "ana@example.com",
        };
        Assert.Same(outcome, EventPrivacy.Apply(outcome, Policy("privacy:\n  default: redact"), Key));
    }

    [Fact]
    public void Hash_IsHmacSha256_TruncatedTo128Bits_AndKeyed()
    {
        Assert.Equal(Hmac("u-42"), Key.Hash("u-42"));
        Assert.NotEqual(Key.Hash("u-42"), new PrivacyKey(PrivacyKey.NewKey()).Hash("u-42"));
        Assert.Throws<ArgumentException>(() => new PrivacyKey(new byte[8]));
    }

    // The reference: .NET's HMACSHA256 class, independent of PrivacyKey's one-shot call; both match Python's hmac below.
    private static string Hmac(string value)
    {
        using var hmac = new HMACSHA256(Secret);
        return "hmac:" + Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes(value)))[..32];
    }

    [Fact]
    public void Hash_MatchesPythonsHmac()
    {
        // python3 -c "import hmac,hashlib; print(hmac.new(b'a test secret of 32 bytes, fixed', b'u-42', hashlib.sha256).hexdigest()[:32])"
        Assert.Equal("hmac:413c252fd5ab887cdc053a89fa2945d1", Key.Hash("u-42"));
        Assert.Equal("hmac:72b1b0f8ff6c6624c5ba7cacf87e020e", Key.Hash("ana@example.com"));
    }

    [Theory]
    [InlineData("output: redact", "the draft wrote to [email]; a person answers")]
    [InlineData("output: drop", null)]
    [InlineData("output: keep", "the draft wrote to ana@example.com; a person answers")]
    public void Apply_WorkflowReason_TakesTheOutputsPolicy(string rule, string? reason)
    {
        var policy = Policy($"privacy:\n  fields: {{ question: drop, {rule} }}");
        var sent = Prediction("""{"question":"hi"}""", "{}", "Write to ana@example.com") with
        {
            Workflow = new WorkflowTrace
            {
                Route = WorkflowRoutes.Escalate,
                Attempts = 2,
                FailedChecks = ["no_email"],
                Reason = "the draft wrote to ana@example.com; a person answers",
            },
        };
        var kept = Assert.IsType<PredictionEvent>(EventPrivacy.Apply(sent, policy, Key));
        Assert.Equal(sent.Workflow with { Reason = reason }, kept.Workflow);
    }
}
