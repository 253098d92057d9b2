using Overlap.Core.Generative;
using Overlap.Tests.Shared;

namespace Overlap.Judges.Tests;

/// <summary>The contract's judges.model turned into an endpoint: env: values, errors that name the variable, no key shown.</summary>
public sealed class JudgeClientsTests
{
    private static readonly ModelJudgePolicy Policy = new()
    {
        Endpoint = "env:OVERLAP_JUDGE_ENDPOINT",
        Model = "env:OVERLAP_JUDGE_MODEL",
        Key = "env:OVERLAP_JUDGE_KEY",
    };

    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Resolve_ReadsEnvValues()
    {
        var endpoint = JudgeClients.Resolve(
            Policy,
            Env(
                ("OVERLAP_JUDGE_ENDPOINT", "http://localhost:11434/v1"),
                ("OVERLAP_JUDGE_MODEL", "llama3.1"),
                ("OVERLAP_JUDGE_KEY", "sk-secret-1")
            )
        );

        Assert.Equal(new Uri("http://localhost:11434/v1"), endpoint.Address);
        Assert.Equal("llama3.1", endpoint.Model);
        Assert.True(endpoint.HasKey);
        Assert.Equal("llama3.1 at http://localhost:11434/v1", endpoint.ToString());
        Assert.DoesNotContain("sk-secret-1", endpoint.ToString());
    }

    [Fact]
    public void Resolve_UnsetVariable_NamesIt()
    {
        var e = Assert.Throws<JudgeSetupException>(() =>
            JudgeClients.Resolve(
                Policy,
                Env(("OVERLAP_JUDGE_ENDPOINT", "https://api.openai.com/v1"), ("OVERLAP_JUDGE_MODEL", "gpt-4o-mini"))
            )
        );

        Assert.Equal(
            "judges.model.key reads the environment variable OVERLAP_JUDGE_KEY, which is not set: set OVERLAP_JUDGE_KEY "
                + "before running, or write the value in the contract instead of env:OVERLAP_JUDGE_KEY.",
            e.Message
        );
    }

    [Fact]
    public void Resolve_NotAnAddress_SaysWhatToWrite()
    {
        var e = Assert.Throws<JudgeSetupException>(() =>
            JudgeClients.Resolve(
                Policy with
                {
                    Key = null,
                },
                Env(("OVERLAP_JUDGE_ENDPOINT", "api.openai.com"), ("OVERLAP_JUDGE_MODEL", "m"))
            )
        );

        Assert.StartsWith(
            "judges.model.endpoint (from OVERLAP_JUDGE_ENDPOINT) is not an http(s) address: \"api.openai.com\".",
            e.Message
        );
    }

    [Fact]
    public void Resolve_NoKey_IsAllowedForLocalEndpoints()
    {
        var endpoint = JudgeClients.Resolve(
            new ModelJudgePolicy { Endpoint = "http://localhost:11434/v1", Model = "qwen2.5" }
        );

        Assert.False(endpoint.HasKey);
        Assert.NotNull(JudgeClients.CreateChatClient(endpoint));
    }

    [Fact]
    public async Task CreateJudge_SendsTheKeyFromTheEnvironment_AndTakesTheBudgetFromThePolicy()
    {
        await using var standIn = await OpenAiStandIn.StartAsync();
        var env = Env(
            ("OVERLAP_JUDGE_ENDPOINT", standIn.Endpoint.ToString()),
            ("OVERLAP_JUDGE_MODEL", "gpt-4o-mini"),
            ("OVERLAP_JUDGE_KEY", "sk-secret-2")
        );
        var judge = JudgeClients.CreateJudge(Policy with { BudgetPerDay = 5 }, environment: env);

        var answer = await judge.GradeAsync(JudgeFixture.Factual, JudgeFixture.Case("a"));

        Assert.Equal(1, answer.Grade.Grade);
        Assert.Equal("Bearer sk-secret-2", Assert.Single(standIn.Authorizations));
        Assert.Equal("gpt-4o-mini", judge.Options.Model);
        Assert.Equal(5, judge.Options.BudgetPerDay);
        Assert.Throws<JudgeSetupException>(() =>
            JudgeClients.CreateJudge(Policy with { BudgetPerDay = 5, Model = "my-own-model" }, environment: env)
        );
    }
}
