using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using Overlap.Core.Contracts;
using Overlap.Core.Generative;

namespace Overlap.Core.Workflow;

/// <summary>
/// A contract's <c>workflow:</c> section compiled once for run time: checks a call's inputs against the input
/// expectations, an answer against the output checks and format, and resolves the route each outcome takes. Regexes
/// and schemas are compiled at creation; a call that passes allocates nothing beyond what its checks need, and a
/// failure list only when something failed. Thread-safe: it holds no state between calls.
/// </summary>
public sealed class WorkflowGuard
{
    private static readonly GuardFailure[] None = [];
    private readonly InputExpectations _input;
    private readonly RangeRule[] _ranges;
    private readonly CategoryRule[] _categories;
    private readonly string[] _required;
    private readonly string[] _requiredNames;
    private readonly int _script = -1;
    private readonly string? _textLengthName;
    private readonly string? _scriptName;
    private readonly OutputRule[] _checks;
    private readonly JsonSchema? _formatSchema;
    private readonly OutputCheck? _formatCheck;
    private readonly FrozenSet<string>? _labels;

    private WorkflowGuard(Contract contract, WorkflowPolicy policy, IReadOnlyDictionary<string, string> schemas)
    {
        Contract = contract;
        Policy = policy;
        _input = policy.Input;
        _required = [.. _input.Required];
        _requiredNames = [.. _input.Required.Select(f => "required." + f)];
        _ranges = [.. _input.Ranges.Select(r => new RangeRule(r, "range." + r.Field))];
        _categories =
        [
            .. _input.Categories.Select(c => new CategoryRule(
                c.Field,
                c.Allowed.ToFrozenSet(StringComparer.Ordinal),
                c.Allowed
            )),
        ];
        if (_input.Text is { } text)
        {
            _textLengthName = "text_length." + text.Field;
            if (text.Script is not null)
            {
                _script = TextScripts.IndexOf(text.Script);
                _scriptName = "script." + text.Field;
            }
        }
        _checks =
        [
            .. policy.OutputChecks.Select(c => new OutputRule(
                c,
                c.Kind == OutputCheckKind.JsonSchema ? Schema(schemas, c.SchemaPath!, $"check '{c.Name}'") : null,
                c.Kind == OutputCheckKind.Regex ? OutputChecks.Compile(c) : null
            )),
        ];
        if (policy.Format is { } format)
        {
            if (format.SchemaPath is { } path)
            {
                _formatSchema = Schema(schemas, path, "workflow.output.format");
                _formatCheck = new OutputCheck
                {
                    Name = FormatName,
                    Kind = OutputCheckKind.JsonSchema,
                    SchemaPath = path,
                };
            }
            else
            {
                _labels = format.Labels.Select(l => l.Trim()).ToFrozenSet(StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The name a format failure is logged under.</summary>
    public const string FormatName = "format";

    /// <summary>The contract the guard enforces.</summary>
    public Contract Contract { get; }

    /// <summary>The contract's workflow section (an empty one when the contract has none: nothing is expected, the model always decides).</summary>
    public WorkflowPolicy Policy { get; }

    /// <summary>
    /// Compiles <paramref name="contract"/>'s workflow. <paramref name="schemas"/> holds the text of every JSON schema
    /// file the output checks and format name, by the path the contract writes.
    /// </summary>
    /// <exception cref="ArgumentException">A schema file the contract names was not handed in.</exception>
    /// <exception cref="ContractException">A schema is not a JSON Schema.</exception>
    public static WorkflowGuard Create(Contract contract, IReadOnlyDictionary<string, string>? schemas = null)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return new WorkflowGuard(
            contract,
            contract.Workflow ?? new WorkflowPolicy(),
            schemas ?? new Dictionary<string, string>()
        );
    }

    /// <summary>The schema files the workflow needs, by the path the contract writes (relative to the contract).</summary>
    public static IReadOnlyList<string> SchemaPaths(Contract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var paths = new List<string>();
        if (contract.Workflow is not { } w)
        {
            return paths;
        }
        foreach (var check in w.OutputChecks)
        {
            if (check.SchemaPath is { } p && !paths.Contains(p))
            {
                paths.Add(p);
            }
        }
        if (w.Format?.SchemaPath is { } f && !paths.Contains(f))
        {
            paths.Add(f);
        }
        return paths;
    }

    /// <summary>
    /// The input expectations <paramref name="inputs"/> fails, in contract order; empty when it meets them all.
    /// Values may be text, numbers, booleans, <see cref="JsonElement"/>s or null (missing).
    /// </summary>
    public IReadOnlyList<GuardFailure> CheckInput(IReadOnlyDictionary<string, object?> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        List<GuardFailure>? failures = null;
        for (var i = 0; i < _required.Length; i++)
        {
            if (!inputs.TryGetValue(_required[i], out var value) || IsEmpty(value))
            {
                Add(
                    ref failures,
                    _requiredNames[i],
                    $"'{_required[i]}' is missing or empty; the workflow's input expectations require it"
                );
            }
        }
        foreach (var rule in _ranges)
        {
            if (!inputs.TryGetValue(rule.Range.Field, out var value) || IsEmpty(value))
            {
                continue;
            }
            var field = rule.Range.Field;
            if (!TryNumber(value, out var x))
            {
                Add(
                    ref failures,
                    rule.Name,
                    $"'{field}' is '{Text(value)}', not a number; it must lie {Between(rule.Range)}"
                );
            }
            else if (x < rule.Range.Min || x > rule.Range.Max)
            {
                Add(
                    ref failures,
                    rule.Name,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"'{field}' is {x:G6}, outside the range allowed; it must lie {Between(rule.Range)}"
                    )
                );
            }
        }
        if (_categories.Length > 0)
        {
            CheckCategories(inputs, ref failures);
        }
        if (_input.Text is { } expectation)
        {
            CheckText(inputs, expectation, ref failures);
        }
        return failures ?? (IReadOnlyList<GuardFailure>)None;
    }

    private void CheckCategories(IReadOnlyDictionary<string, object?> inputs, ref List<GuardFailure>? failures)
    {
        int present = 0,
            unseen = 0;
        CategoryRule? first = null;
        string? firstValue = null;
        foreach (var rule in _categories)
        {
            if (!inputs.TryGetValue(rule.Field, out var value) || IsEmpty(value))
            {
                continue;
            }
            present++;
            var text = Text(value);
            if (!rule.Allowed.Contains(text))
            {
                unseen++;
                if (first is null)
                {
                    (first, firstValue) = (rule, text);
                }
            }
        }
        if (unseen == 0 || unseen <= _input.MaxUnseenShare * present)
        {
            return;
        }
        var example = $"'{first!.Field}' is '{firstValue}', which is not among {string.Join(", ", first.Listed)}";
        Add(
            ref failures,
            "categories",
            _input.MaxUnseenShare == 0
                ? example
                : string.Create(
                    CultureInfo.InvariantCulture,
                    $"{unseen} of {present} categorical inputs have a value the contract does not list ({example}); at most {_input.MaxUnseenShare:0.##%} may"
                )
        );
    }

    private void CheckText(
        IReadOnlyDictionary<string, object?> inputs,
        TextExpectation expectation,
        ref List<GuardFailure>? failures
    )
    {
        var text = inputs.TryGetValue(expectation.Field, out var value) && !IsEmpty(value) ? Text(value) : string.Empty;
        var length = OutputChecks.Length(text);
        if (length < expectation.MinLength || length > expectation.MaxLength)
        {
            var shorter = length < expectation.MinLength;
            Add(
                ref failures,
                _textLengthName!,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"'{expectation.Field}' has {length:#,0} characters, {(shorter ? "fewer" : "more")} than the {(shorter ? "least" : "most")} allowed, {(shorter ? expectation.MinLength : expectation.MaxLength):#,0}"
                )
            );
        }
        if (_script >= 0 && length > 0)
        {
            var (letters, inScript) = TextScripts.Count(text, _script);
            if (letters > 0 && inScript < TextScripts.MinShare * letters)
            {
                Add(
                    ref failures,
                    _scriptName!,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{inScript} of the {letters} letters of '{expectation.Field}' are {expectation.Script}; the contract expects {expectation.Script} text (at least {TextScripts.MinShare:0%} of its letters)"
                    )
                );
            }
        }
    }

    /// <summary>The output checks and format <paramref name="output"/> fails, in contract order (the format last); empty when it passes.</summary>
    public IReadOnlyList<GuardFailure> CheckOutput(string? output)
    {
        List<GuardFailure>? failures = null;
        foreach (var rule in _checks)
        {
            var outcome = OutputChecks.Run(rule.Check, output, rule.Schema, rule.Regex);
            if (outcome.Passed == false)
            {
                Add(ref failures, rule.Check.Name, outcome.Why!);
            }
        }
        if (_formatCheck is not null)
        {
            var outcome = OutputChecks.Run(_formatCheck, output, _formatSchema);
            if (outcome.Passed == false)
            {
                Add(ref failures, FormatName, outcome.Why!);
            }
        }
        else if (_labels is not null && (output is null || !_labels.Contains(output.Trim())))
        {
            Add(
                ref failures,
                FormatName,
                $"{(output is null ? "there is no answer" : $"the answer '{Cut(output.Trim())}' is not one of the labels allowed")}; answer with exactly one of {string.Join(", ", Policy.Format!.Labels)}"
            );
        }
        return failures ?? (IReadOnlyList<GuardFailure>)None;
    }

    /// <summary>Where a call goes whose input failed <paramref name="failures"/>: on to the model when none, else the contract's input route.</summary>
    public GuardNext AfterInput(IReadOnlyList<GuardFailure> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        return failures.Count == 0 ? GuardNext.Use : Next(Policy.OnInputFailure);
    }

    /// <summary>Where a scored call goes: abstain inside the uncertain band, else the model decides.</summary>
    public GuardNext AfterScore(double score) =>
        Policy.Abstain is { } band && band.Contains(score) ? GuardNext.Abstain : GuardNext.Use;

    /// <summary>
    /// Where a call goes after answer number <paramref name="attempt"/> (1 for the first) failed <paramref name="failures"/>:
    /// used when none; a retry while attempts remain; then the contract's route.
    /// </summary>
    public GuardNext AfterOutput(int attempt, IReadOnlyList<GuardFailure> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (failures.Count == 0)
        {
            return GuardNext.Use;
        }
        return Policy.OnOutputFailure == GuardRoute.Retry
            ? attempt < Policy.Retry.MaxAttempts
                ? GuardNext.Retry
                : Next(Policy.Retry.Then)
            : Next(Policy.OnOutputFailure);
    }

    /// <summary>
    /// Where a call goes when the guard itself failed: on unguarded when the contract says <c>on_guard_error: open</c>;
    /// when closed, to the fallback if one is named, else abstain for a scored feature with a band, else escalate.
    /// </summary>
    public GuardNext AfterGuardError(bool scored) =>
        !Policy.FailClosed ? GuardNext.Use
        : Policy.Fallback is not null ? GuardNext.Fallback
        : scored && Policy.Abstain is not null ? GuardNext.Abstain
        : GuardNext.Escalate;

    /// <summary>What is added to the prompt for a retry: the contract's text with <c>{failure}</c> replaced, or the failures' messages.</summary>
    public string RetryPrompt(IReadOnlyList<GuardFailure> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var messages = Messages(failures);
        return Policy.Retry.AddToPrompt is { } text
            ? text.Replace("{failure}", messages, StringComparison.Ordinal)
            : $"Your previous answer was not accepted: {messages}. Answer again so that it is.";
    }

    /// <summary>The reason an escalation gives the reviewer: the contract's, or the failures' messages.</summary>
    public string EscalationReason(IReadOnlyList<GuardFailure> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        return Policy.Escalate.Reason
            ?? (failures.Count == 0 ? "the contract's workflow escalates this call" : Messages(failures));
    }

    /// <summary>The failures' messages, each with its name, joined by "; ".</summary>
    public static string Messages(IReadOnlyList<GuardFailure> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        return failures.Count == 1 ? failures[0].ToString() : string.Join("; ", failures);
    }

    private static GuardNext Next(GuardRoute route) =>
        route switch
        {
            GuardRoute.Reject => GuardNext.Reject,
            GuardRoute.Retry => GuardNext.Retry,
            GuardRoute.Fallback => GuardNext.Fallback,
            _ => GuardNext.Escalate,
        };

    private static void Add(ref List<GuardFailure>? failures, string name, string message) =>
        (failures ??= []).Add(new GuardFailure(name, message));

    private static JsonSchema Schema(IReadOnlyDictionary<string, string> schemas, string path, string what) =>
        OutputChecks.Schema(
            schemas.GetValueOrDefault(path)
                ?? throw new ArgumentException(
                    $"The schema '{path}' of {what} was not handed in; pass its text by the path the contract writes.",
                    nameof(schemas)
                ),
            path
        );

    private static bool IsEmpty(object? value) =>
        value switch
        {
            null => true,
            string s => s.Length == 0,
            JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => true,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!.Length == 0,
            _ => false,
        };

    private static bool TryNumber(object? value, out double x)
    {
        switch (value)
        {
            case double d:
                x = d;
                return double.IsFinite(d);
            case float f:
                x = f;
                return float.IsFinite(f);
            case int i:
                x = i;
                return true;
            case long l:
                x = l;
                return true;
            case decimal m:
                x = (double)m;
                return true;
            case short s:
                x = s;
                return true;
            case JsonElement { ValueKind: JsonValueKind.Number } e:
                return e.TryGetDouble(out x) && double.IsFinite(x);
            case JsonElement { ValueKind: JsonValueKind.String } e:
                return TryNumber(e.GetString(), out x);
            case string text:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out x)
                    && double.IsFinite(x);
            default:
                x = 0;
                return false;
        }
    }

    private static string Text(object? value) =>
        value switch
        {
            null => string.Empty,
            string s => s,
            bool b => b ? "true" : "false",
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
            JsonElement e => e.GetRawText(),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };

    private static string Between(InputRange r) =>
        (double.IsInfinity(r.Min), double.IsInfinity(r.Max)) switch
        {
            (false, false) => string.Create(CultureInfo.InvariantCulture, $"from {r.Min:G6} to {r.Max:G6}"),
            (false, true) => string.Create(CultureInfo.InvariantCulture, $"at or above {r.Min:G6}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"at or below {r.Max:G6}"),
        };

    private static string Cut(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private sealed record RangeRule(InputRange Range, string Name);

    private sealed record CategoryRule(string Field, FrozenSet<string> Allowed, IReadOnlyList<string> Listed);

    private sealed record OutputRule(OutputCheck Check, JsonSchema? Schema, Regex? Regex);
}
