using System.Net;
using System.Text;

namespace Overlap.Faults.Tests;

/// <summary>
/// Contracts a careless or hostile admin could send: each is refused with a 400 that says where and what, the process
/// stays up, and the contract in force is unchanged.
/// </summary>
public sealed class ContractFuzzTests
{
    public static TheoryData<string, string> Hostile() =>
        new()
        {
            {
                "mappings nested 100,000 deep",
                string.Concat(Enumerable.Repeat("{a: ", 100_000)) + "1" + new string('}', 100_000)
            },
            { "sequences nested 100,000 deep", new string('[', 100_000) + new string(']', 100_000) },
            {
                "block mappings nested 5,000 deep",
                string.Concat(Enumerable.Range(0, 5_000).Select(i => new string(' ', i) + "a:\n"))
            },
            { "an unclosed brace", "feature: alpha\ntask: binary\nlabels: { positive: spam, negative: ham\n" },
            { "aliases that expand a billion times", BillionLaughs() },
            {
                "binary junk",
                Encoding.Latin1.GetString([.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 % 256))])
            },
            { "a NUL in a value", "feature: alpha\ndescription: \"a\\0b\"\ntask: binary\n" },
            { "a lone surrogate in a value", "feature: alpha\ndescription: \"a\\uD800b\"\ntask: binary\n" },
            { "a document that is a list", "- feature: alpha\n- task: binary\n" },
            { "an empty body", "" },
        };

    [Fact]
    public async Task HostileContracts_AreRefusedWith400_AndTheServerKeepsServing()
    {
        await using var server = await ServerUnderTest.StartAsync();
        using var admin = server.Client(server.AdminKey);
        Assert.Equal(
            HttpStatusCode.Created,
            (
                await admin.PutAsync("/v1/features/alpha/contract", new StringContent(FaultCorpus.Contract("alpha")))
            ).StatusCode
        );
        var before = await admin.GetStringAsync("/v1/features/alpha/contract");
        var failures = new List<string>();
        foreach (var row in Hostile())
        {
            var (what, text) = ((string)row[0], (string)row[1]);
            HttpResponseMessage response;
            try
            {
                response = await admin.PutAsync("/v1/features/alpha/contract", new StringContent(text));
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{what}: the connection failed ({e.Message})");
                break;
            }
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                failures.Add(
                    $"{what}: answered {(int)response.StatusCode}, not 400: {(body.Length > 300 ? body[..300] : body)}"
                );
            }
            else if (
                body.Contains("Exception", StringComparison.Ordinal)
                || body.Contains("   at ", StringComparison.Ordinal)
            )
            {
                failures.Add($"{what}: the 400 shows a stack trace");
            }
            if (server.HasExited)
            {
                failures.Add($"{what}: the server exited");
                break;
            }
        }
        server.AssertAlive("after hostile contracts");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(before, await admin.GetStringAsync("/v1/features/alpha/contract"));
    }

    /// <summary>Nine levels of ten aliases each: a billion leaves if a parser expands them.</summary>
    private static string BillionLaughs()
    {
        var text = new StringBuilder("feature: alpha\nl0: &l0 \"lol\"\n");
        for (var level = 1; level <= 9; level++)
        {
            text.Append($"l{level}: &l{level} [")
                .AppendJoin(", ", Enumerable.Repeat($"*l{level - 1}", 10))
                .Append("]\n");
        }
        return text.Append("description: *l9\n").ToString();
    }
}
