using Overlap.Server.Contracts;

namespace Overlap.Server.Tests.Webhooks;

/// <summary>Masking a contract's webhook addresses in its text and in a diff, keeping line numbers.</summary>
public sealed class ContractSecretsTests
{
    private const string Contract = """
        feature: fraud
        # alerts go to https://hooks.example.com/services/T0/B0/secret-token for now
        monitoring:
          window: 1d
          alerts:
            - { webhook: "https://hooks.example.com/services/T0/B0/secret-token" }
            - webhook: 'http://203.0.113.10:8080/other?key=abc123456'
            - webhook: https://user:pass@hooks.example.org/x
        """;

    [Fact]
    public void Mask_EveryWebhookValue_KeepsSchemeHostAndPort_AndEveryLine()
    {
        var masked = ContractSecrets.Mask(Contract);
        Assert.Equal(
            """
            feature: fraud
            # alerts go to https://hooks.example.com/•••• for now
            monitoring:
              window: 1d
              alerts:
                - { webhook: "https://hooks.example.com/••••" }
                - webhook: 'http://203.0.113.10:8080/••••'
                - webhook: https://hooks.example.org/••••
            """,
            masked
        );
    }

    [Fact]
    public void Mask_JsonAndAValueOverTwoLines_StayMasked_WithTheSameLineCount()
    {
        const string Json =
            "{\"feature\": \"fraud\", \"monitoring\": {\"alerts\": [{\"webhook\": \"https://h.example.com/a/b\"}]}}";
        Assert.Equal(
            "{\"feature\": \"fraud\", \"monitoring\": {\"alerts\": [{\"webhook\": \"https://h.example.com/••••\"}]}}",
            ContractSecrets.Mask(Json)
        );
        const string Folded = "alerts:\n  - webhook: \"https://h.example.com/a\n      /secret\"\nnext: 1\n";
        var masked = ContractSecrets.Mask(Folded);
        Assert.DoesNotContain("secret", masked, StringComparison.Ordinal);
        Assert.Equal(Folded.Split('\n').Length, masked.Split('\n').Length);
    }

    [Fact]
    public void Mask_TextThatIsNotYaml_MasksEveryAddressAndWebhookValue()
    {
        const string Broken =
            "monitoring: {\n  alerts: [ { webhook: \"https://hooks.example.com/secret-token\" ]\nsee http://x.example.com/other-secret";
        var masked = ContractSecrets.Mask(Broken);
        Assert.DoesNotContain("secret", masked, StringComparison.Ordinal);
        Assert.Contains(ContractSecrets.Hidden, masked, StringComparison.Ordinal);
        Assert.Contains("http://x.example.com/••••", masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://hooks.slack.com/services/T/B/X", "https://hooks.slack.com/••••")]
    [InlineData("http://[::1]:9000/x", "http://[::1]:9000/••••")]
    [InlineData("not an address", ContractSecrets.Hidden)]
    public void MaskUrl_KeepsOnlySchemeHostAndPort(string url, string masked) =>
        Assert.Equal(masked, ContractSecrets.MaskUrl(url));

    [Fact]
    public void MaskDiff_AChangedWebhook_ShowsAsAChangedLine_MaskedOnBothSides()
    {
        var newer = Contract.Replace("secret-token", "new-token", StringComparison.Ordinal);
        var diff = ContractSecrets.Mask(LineDiff.Compute(Contract, newer), Contract, newer);
        Assert.DoesNotContain(diff, l => l.Text.Contains("token", StringComparison.Ordinal));
        Assert.Equal(2, diff.Count(l => l.Kind == DiffKind.Removed));
        Assert.Equal(
            "    - { webhook: \"https://hooks.example.com/••••\" }",
            diff.Single(l => l.Kind == DiffKind.Added && l.NewLine == 6).Text
        );
    }
}
