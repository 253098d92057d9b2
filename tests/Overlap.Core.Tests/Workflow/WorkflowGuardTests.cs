using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Tests.Contracts;
using Overlap.Core.Workflow;

namespace Overlap.Core.Tests.Workflow;

/// <summary>The guard engine: input expectations, output checks and format, and the route each outcome takes.</summary>
public sealed class WorkflowGuardTests
{
    private const string Scored =
        "feature: spam-filter\ntask: binary\nlabels: { positive: spam, negative: ham }\ncolumns: { label: is_spam, score: p_spam }\n"
        + "threshold: 0.8\nreview: { when: \"score between 0.5 and 0.8\" }\n"
        + "workflow:\n  input:\n    required: [body_length, sender_domain_type]\n"
        + "    ranges: { links: { min: 0, max: 500 }, body_length: { min: 1 } }\n"
        + "    categories: { sender_domain_type: [freemail, com_net, edu_org, other], lang: [en, de] }\n"
        + "    max_unseen_share: 0.5\n";

    private const string Schema =
        """{"type":"object","required":["reply"],"properties":{"reply":{"type":"string"}},"additionalProperties":false}""";

    private static WorkflowGuard Guard(string text, IReadOnlyDictionary<string, string>? schemas = null) =>
        WorkflowGuard.Create(ContractParser.Parse(text), schemas);

    private static Dictionary<string, object?> Mail(
        object? body = null,
        object? links = null,
        object? domain = null,
        object? lang = null
    ) =>
        new()
        {
            ["body_length"] = body ?? 1200,
            ["links"] = links ?? 3,
            ["sender_domain_type"] = domain ?? "freemail",
            ["lang"] = lang ?? "en",
        };

    [Fact]
    public void CheckInput_InputThatMeetsEveryExpectation_PassesWithoutAFailureList()
    {
        var guard = Guard(Scored);
        Assert.Same(guard.CheckInput(Mail()), guard.CheckInput(Mail(body: 5, links: 0L)));
        Assert.Empty(guard.CheckInput(Mail(links: 500.0)));
        Assert.Empty(guard.CheckInput(Mail(links: JsonDocument.Parse("12").RootElement)));
        Assert.Equal(GuardNext.Use, guard.AfterInput(guard.CheckInput(Mail())));
    }

    [Fact]
    public void CheckInput_MissingRangeAndTypeFailures_AreNamedAndSaidInTheContractsWords()
    {
        var guard = Guard(Scored);
        var inputs = Mail(links: 501);
        inputs["body_length"] = "";
        Assert.Equal(
            [
                new GuardFailure(
                    "required.body_length",
                    "'body_length' is missing or empty; the workflow's input expectations require it"
                ),
                new GuardFailure("range.links", "'links' is 501, outside the range allowed; it must lie from 0 to 500"),
            ],
            guard.CheckInput(inputs)
        );
        Assert.Equal(
            [new GuardFailure("range.body_length", "'body_length' is 'many', not a number; it must lie at or above 1")],
            guard.CheckInput(Mail(body: "many"))
        );
        Assert.Equal(GuardNext.Reject, guard.AfterInput(guard.CheckInput(Mail(body: 0))));
    }

    [Fact]
    public void CheckInput_UnseenCategories_FailOnlyAboveTheAllowedShare()
    {
        var guard = Guard(Scored);
        // One of two categorical inputs unseen: 50%, at the bar, passes.
        Assert.Empty(guard.CheckInput(Mail(domain: "country")));
        // Both unseen: 100%, above it.
        Assert.Equal(
            [
                new GuardFailure(
                    "categories",
                    "2 of 2 categorical inputs have a value the contract does not list ('sender_domain_type' is 'country', which is not among freemail, com_net, edu_org, other); at most 50% may"
                ),
            ],
            guard.CheckInput(Mail(domain: "country", lang: "fr"))
        );
        var strict = Guard(Scored.Replace("    max_unseen_share: 0.5\n", "", StringComparison.Ordinal));
        Assert.Equal(
            [new GuardFailure("categories", "'lang' is 'fr', which is not among en, de")],
            strict.CheckInput(Mail(lang: "fr"))
        );
    }

    [Theory]
    [InlineData("Where is my parcel? It was due on Monday.", null)]
    [InlineData("Wo ist mein Paket? Es sollte am Montag ankommen. Grüße", null)]
    [InlineData(
        "Где моя посылка? Она должна была прийти в понедельник.",
        "44 of the 44 letters of 'question' are not latin"
    )]
    [InlineData("Hi", "'question' has 2 characters, fewer than the least allowed, 5")]
    public void CheckInput_TextLengthAndScript_AreCheckedOnTheUsersText(string text, string? problem)
    {
        var guard = Guard(
            WorkflowContractTests.Generative
                + "workflow:\n  input:\n    text: { min_length: 5, max_length: 4000, script: latin }\n"
        );
        var failures = guard.CheckInput(new Dictionary<string, object?> { ["question"] = text });
        if (problem is null)
        {
            Assert.Empty(failures);
        }
        else if (problem.StartsWith("44", StringComparison.Ordinal))
        {
            Assert.Equal(
                [
                    new GuardFailure(
                        "script.question",
                        "0 of the 44 letters of 'question' are latin; the contract expects latin text (at least 90% of its letters)"
                    ),
                ],
                failures
            );
        }
        else
        {
            Assert.Equal([new GuardFailure("text_length.question", problem)], failures);
        }
    }

    [Fact]
    public void CheckOutput_ChecksAndJsonSchemaFormat_NameEachFailure()
    {
        var guard = Guard(
            WorkflowContractTests.Generative
                + "workflow:\n  output: { checks: [no_refund_promise, greets], format: { json_schema: reply.schema.json } }\n",
            new Dictionary<string, string> { ["reply.schema.json"] = Schema }
        );
        Assert.Empty(guard.CheckOutput("""{"reply":"Hi, we will look into it."}"""));
        Assert.Equal(
            [
                new GuardFailure("no_refund_promise", "contains \"guarantee a refund\""),
                new GuardFailure("greets", "does not match /Hi/"),
                new GuardFailure("format", "not valid JSON ('T' is an invalid start of a value)"),
            ],
            guard.CheckOutput("Thanks, we guarantee a refund")
        );
        var failures = guard.CheckOutput("""Hi {"reply": 3} and we guarantee a refund""");
        Assert.Equal(["no_refund_promise", "format"], failures.Select(f => f.Name));
        Assert.Equal("contains \"guarantee a refund\"", failures[0].Message);
        Assert.Equal(
            [
                new GuardFailure(
                    "format",
                    "does not fit the JSON schema (at /reply: Value is \"integer\" but should be \"string\")"
                ),
            ],
            guard.CheckOutput("""{"reply": 3}""").Where(f => f.Name == "format")
        );
    }

    [Fact]
    public void CheckOutput_LabelFormat_AcceptsExactlyALabel()
    {
        var guard = Guard(
            WorkflowContractTests.Generative
                + "workflow:\n  output: { checks: none, format: { labels: [billing, technical] } }\n"
        );
        Assert.Empty(guard.CheckOutput(" billing\n"));
        Assert.Equal(
            [
                new GuardFailure(
                    "format",
                    "the answer 'Billing' is not one of the labels allowed; answer with exactly one of billing, technical"
                ),
            ],
            guard.CheckOutput("Billing")
        );
        Assert.Equal(
            [new GuardFailure("format", "there is no answer; answer with exactly one of billing, technical")],
            guard.CheckOutput(null)
        );
    }

    [Fact]
    public void Create_SchemaNotHandedIn_SaysWhichFile()
    {
        var contract = ContractParser.Parse(
            WorkflowContractTests.Generative + "workflow:\n  output: { format: { json_schema: reply.schema.json } }\n"
        );
        Assert.Equal(["reply.schema.json"], WorkflowGuard.SchemaPaths(contract));
        var e = Assert.Throws<ArgumentException>(() => WorkflowGuard.Create(contract));
        Assert.StartsWith(
            "The schema 'reply.schema.json' of workflow.output.format was not handed in",
            e.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Routes_FollowTheContract()
    {
        var failed = new[] { new GuardFailure("greets", "does not match /^Hi/") };
        var retrying = Guard(
            WorkflowContractTests.Generative
                + "workflow:\n  retry: { max_attempts: 3, add_to_prompt: \"Fix this: {failure}.\" }\n  fallback: canned\n"
                + "  escalate: { reason: \"needs a person\" }\n"
        );
        Assert.Equal(
            [GuardNext.Use, GuardNext.Retry, GuardNext.Retry, GuardNext.Fallback],
            [
                retrying.AfterOutput(1, []),
                retrying.AfterOutput(1, failed),
                retrying.AfterOutput(2, failed),
                retrying.AfterOutput(3, failed),
            ]
        );
        Assert.Equal("Fix this: greets: does not match /^Hi/.", retrying.RetryPrompt(failed));
        Assert.Equal("needs a person", retrying.EscalationReason(failed));
        var escalating = Guard(WorkflowContractTests.Generative + "workflow:\n  output: { on_failure: escalate }\n");
        Assert.Equal(GuardNext.Escalate, escalating.AfterOutput(1, failed));
        Assert.Equal(
            "Your previous answer was not accepted: greets: does not match /^Hi/. Answer again so that it is.",
            escalating.RetryPrompt(failed)
        );
        Assert.Equal("greets: does not match /^Hi/", escalating.EscalationReason(failed));

        var scored = Guard(Scored);
        Assert.Equal(
            [GuardNext.Use, GuardNext.Abstain, GuardNext.Abstain, GuardNext.Abstain, GuardNext.Use],
            new[] { 0.49, 0.5, 0.65, 0.8, 0.81 }.Select(scored.AfterScore)
        );
        Assert.Equal(GuardNext.Use, scored.AfterGuardError(scored: true));
        var closed = Guard(Scored + "  on_guard_error: closed\n");
        Assert.Equal(GuardNext.Abstain, closed.AfterGuardError(scored: true));
        Assert.Equal(GuardNext.Escalate, closed.AfterGuardError(scored: false));
        Assert.Equal(
            GuardNext.Fallback,
            Guard(Scored + "  on_guard_error: closed\n  fallback: rules\n").AfterGuardError(scored: true)
        );
    }
}
