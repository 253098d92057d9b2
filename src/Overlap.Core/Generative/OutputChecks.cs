using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using Overlap.Core.Contracts;
using Overlap.Core.Text;

namespace Overlap.Core.Generative;

/// <summary>
/// Runs a generative contract's deterministic checks on outputs. A check never throws on an output: a missing output,
/// text that is not JSON, or a pattern that runs out of time is a failed check with the reason in words.
/// </summary>
public static class OutputChecks
{
    /// <summary>How long a regex may search one output before the check fails as "took too long".</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

    private const string NoOutput = "there is no output (the output column is empty)";

    /// <summary>The contract key of a kind (<c>not_contains</c>).</summary>
    public static string Key(OutputCheckKind kind) =>
        kind switch
        {
            OutputCheckKind.Regex => "regex",
            OutputCheckKind.Contains => "contains",
            OutputCheckKind.NotContains => "not_contains",
            OutputCheckKind.MaxLength => "max_length",
            OutputCheckKind.MinLength => "min_length",
            OutputCheckKind.JsonSchema => "json_schema",
            _ => "similar_to",
        };

    /// <summary>The kind a contract key names.</summary>
    internal static OutputCheckKind Parse(string key) => Enum.GetValues<OutputCheckKind>().Single(k => Key(k) == key);

    /// <summary>The length of a text as checked: Unicode code points (Python's <c>len</c>), not UTF-16 units.</summary>
    public static int Length(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var n = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            n++;
        }
        return n;
    }

    /// <summary>
    /// Compiles a JSON Schema's text for <see cref="OutputCheckKind.JsonSchema"/>; a schema that does not parse is
    /// refused with <paramref name="source"/> named.
    /// </summary>
    /// <exception cref="ContractException">The text is not a JSON Schema.</exception>
    public static JsonSchema Schema(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception e)
            when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new ContractException(
                source,
                1,
                $"{source} is not a JSON Schema ({e.Message.TrimEnd('.')}); write one such as {{\"type\": \"object\", \"required\": [\"reply\"]}}"
            );
        }
    }

    /// <summary>
    /// Runs a check that needs no embedder on one output (null when the output is missing). For
    /// <see cref="OutputCheckKind.JsonSchema"/>, <paramref name="schema"/> is the compiled schema; for
    /// <see cref="OutputCheckKind.Regex"/>, <paramref name="regex"/> is the pattern compiled once (from
    /// <see cref="Compile"/>) when the check runs on many outputs one at a time.
    /// </summary>
    public static CheckOutcome Run(OutputCheck check, string? output, JsonSchema? schema = null, Regex? regex = null)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (output is null)
        {
            return CheckOutcome.Fail(NoOutput);
        }
        switch (check.Kind)
        {
            case OutputCheckKind.Regex:
                try
                {
                    return (
                        regex?.IsMatch(output) ?? Regex.IsMatch(output, check.Pattern!, RegexOptions.None, RegexTimeout)
                    )
                        ? CheckOutcome.Pass
                        : CheckOutcome.Fail($"does not match /{check.Pattern}/");
                }
                catch (RegexMatchTimeoutException)
                {
                    return CheckOutcome.Fail(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"the pattern /{check.Pattern}/ ran longer than {RegexTimeout.TotalMilliseconds:0} ms on this output and was stopped; simplify the pattern (nested repeats such as (a+)+ backtrack without end)"
                        )
                    );
                }
            case OutputCheckKind.Contains:
                var absent = check.Texts.Where(t => !output.Contains(t, StringComparison.Ordinal)).ToList();
                return absent.Count == 0 ? CheckOutcome.Pass : CheckOutcome.Fail($"does not contain {Quoted(absent)}");
            case OutputCheckKind.NotContains:
                var present = check.Texts.Where(t => output.Contains(t, StringComparison.Ordinal)).ToList();
                return present.Count == 0 ? CheckOutcome.Pass : CheckOutcome.Fail($"contains {Quoted(present)}");
            case OutputCheckKind.MaxLength:
            case OutputCheckKind.MinLength:
                var length = Length(output);
                var max = check.Kind == OutputCheckKind.MaxLength;
                return (max ? length <= check.Length : length >= check.Length)
                    ? CheckOutcome.Pass
                    : CheckOutcome.Fail(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"{length:#,0} characters, {(max ? "more" : "fewer")} than the {(max ? "most" : "least")} allowed, {check.Length:#,0}"
                        )
                    );
            case OutputCheckKind.JsonSchema:
                return Validate(output, schema ?? throw new ArgumentNullException(nameof(schema)));
            default:
                throw new ArgumentException(
                    $"check '{check.Name}' compares embeddings; run it with SimilarTo",
                    nameof(check)
                );
        }
    }

    /// <summary>A regex check's pattern compiled once, with the check's time limit.</summary>
    public static Regex Compile(OutputCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new Regex(check.Pattern!, RegexOptions.Compiled, RegexTimeout);
    }

    /// <summary>
    /// Runs a <see cref="OutputCheckKind.SimilarTo"/> check on every row at once: the outputs and the texts they are
    /// compared with are embedded in one batch each, and the cosine of each pair is held to the check's <c>min</c>.
    /// A row without an output fails; a row without the text to compare with is not run.
    /// </summary>
    public static CheckOutcome[] SimilarTo(
        OutputCheck check,
        IReadOnlyList<string?> outputs,
        IReadOnlyList<string?> others,
        ITextEmbedder embedder,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(others);
        ArgumentNullException.ThrowIfNull(embedder);
        var results = new CheckOutcome[outputs.Count];
        var rows = new List<int>();
        for (var i = 0; i < outputs.Count; i++)
        {
            results[i] =
                outputs[i] is null ? CheckOutcome.Fail(NoOutput)
                : others[i] is null ? CheckOutcome.NotRun($"there is no {check.Column} to compare with")
                : default;
            if (outputs[i] is not null && others[i] is not null)
            {
                rows.Add(i);
            }
        }
        if (rows.Count == 0)
        {
            return results;
        }
        var a = embedder.Embed([.. rows.Select(r => outputs[r]!)], cancellationToken);
        var b = embedder.Embed([.. rows.Select(r => others[r]!)], cancellationToken);
        for (var k = 0; k < rows.Count; k++)
        {
            var cosine = Cosine(a[k], b[k]);
            results[rows[k]] =
                cosine >= check.Min
                    ? CheckOutcome.Pass
                    : CheckOutcome.Fail(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"similarity to {check.Column} is {cosine:0.000}, below {check.Min:0.###}"
                        )
                    );
        }
        return results;
    }

    /// <summary>The cosine of two vectors; 0 when either is all zeros.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"vectors of {a.Length} and {b.Length} dimensions cannot be compared");
        }
        double dot = 0,
            na = 0,
            nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    private static CheckOutcome Validate(string output, JsonSchema schema)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(output);
        }
        catch (JsonException e)
        {
            return CheckOutcome.Fail($"not valid JSON ({FirstSentence(e.Message)})");
        }
        using (document)
        {
            var result = schema.Evaluate(
                document.RootElement,
                new EvaluationOptions { OutputFormat = OutputFormat.List }
            );
            if (result.IsValid)
            {
                return CheckOutcome.Pass;
            }
            var first = (result.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .Select(d =>
                    $"at {(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {d.Errors!.Values.First()}"
                )
                .FirstOrDefault();
            return CheckOutcome.Fail("does not fit the JSON schema" + (first is null ? string.Empty : $" ({first})"));
        }
    }

    private static string Quoted(IEnumerable<string> texts) => string.Join(", ", texts.Select(t => $"\"{t}\""));

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.');
    }
}
