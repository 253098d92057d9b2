using Overlap.Core.Contracts;
using Overlap.Core.Data;

namespace Overlap.Core.Fairness;

/// <summary>
/// Sensitive attributes kept apart from the scored data (a file of id and attributes, such as an HR system's export) joined
/// onto it by the contract's id column: each scored row takes its id's attributes, or none when the file lacks the id.
/// </summary>
public static class AttributeJoin
{
    /// <summary>The columns read from an attributes file: the contract's id and its sensitive attributes.</summary>
    /// <exception cref="DataException">The contract has no fairness section or no id column to join by.</exception>
    public static TableReadOptions ReadOptions(Contract contract, string source)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var (id, attributes) = Keys(contract);
        var rules = new Dictionary<string, ColumnRule>(StringComparer.Ordinal)
        {
            [id] = new ColumnRule(ColumnKind.Categorical, Required: true, Role: "id"),
        };
        foreach (var a in attributes)
        {
            rules.TryAdd(a, new ColumnRule(Role: "fairness attribute"));
        }
        return new TableReadOptions
        {
            Columns = [.. rules.Keys],
            Rules = rules,
            Source = source,
        };
    }

    /// <summary>The read options of the scored data when the attributes come from their own file: without them.</summary>
    public static TableReadOptions WithoutAttributes(Contract contract, TableReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(options);
        var attributes = contract.Fairness?.Attributes ?? [];
        return new TableReadOptions
        {
            Columns =
            [
                .. (options.Columns ?? []).Where(c => !attributes.Contains(c) || contract.Columns.Segments.Contains(c)),
            ],
            Optional = options.Optional,
            Rules = options.Rules,
            Source = options.Source,
        };
    }

    /// <summary><paramref name="data"/> with each sensitive attribute of <paramref name="attributes"/> added by id.</summary>
    /// <exception cref="DataException">An id is in the attributes file twice, or no scored row's id is in it.</exception>
    public static Table Join(Contract contract, Table data, Table attributes)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(attributes);
        var (id, names) = Keys(contract);
        var dataIds = data.Find(id)
            ?? throw new DataException(
                $"the data has no id column '{id}', which joins it to the attributes file; add the column or fix columns.id"
            );
        var fileIds = attributes.Find(id)!;
        var rowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var r = 0; r < attributes.RowCount; r++)
        {
            if (fileIds.Text(r) is { } key && !rowOf.TryAdd(key, r))
            {
                throw new DataException($"{attributes.Source} has id '{key}' twice; keep one row of attributes per id");
            }
        }
        var matched = new int[data.RowCount];
        var found = 0;
        for (var r = 0; r < data.RowCount; r++)
        {
            matched[r] = dataIds.Text(r) is { } key && rowOf.TryGetValue(key, out var row) ? row : -1;
            found += matched[r] >= 0 ? 1 : 0;
        }
        if (found == 0 && data.RowCount > 0)
        {
            throw new DataException(
                $"none of the {data.RowCount:#,0} ids of the data is in {attributes.Source}; check that both use the same ids in column '{id}'"
            );
        }
        var columns = new List<Column>(
            data.Columns.Where(c => !names.Contains(c.Name) || contract.Columns.Segments.Contains(c.Name))
        );
        foreach (var name in names.Where(n => data.Find(n) is null || !contract.Columns.Segments.Contains(n)))
        {
            var source = attributes.Find(name)
                ?? throw new DataException(
                    $"{attributes.Source} has no column '{name}', which fairness.attributes names; add it or fix fairness.attributes"
                );
            var categories = new List<string>();
            var codeOf = new Dictionary<string, int>(StringComparer.Ordinal);
            var codes = new int[data.RowCount];
            for (var r = 0; r < data.RowCount; r++)
            {
                var text = matched[r] < 0 ? null : source.Text(matched[r]);
                if (text is null)
                {
                    codes[r] = -1;
                    continue;
                }
                if (!codeOf.TryGetValue(text, out var code))
                {
                    code = categories.Count;
                    codeOf[text] = code;
                    categories.Add(text);
                }
                codes[r] = code;
            }
            columns.Add(new CategoricalColumn(name, codes, data.RowCount, categories));
        }
        return new Table(columns, data.RowCount) { Source = data.Source };
    }

    private static (string Id, IReadOnlyList<string> Attributes) Keys(Contract contract)
    {
        if (contract.Fairness is not { } fairness)
        {
            throw new DataException(
                "an attributes file adds the sensitive attributes a contract's fairness section names, and this contract has none; add fairness: { attributes: [...] }"
            );
        }
        return (
            contract.Columns.Id
                ?? throw new DataException(
                    "an attributes file is joined to the data by id, and the contract names no id column; set columns.id"
                ),
            fairness.Attributes
        );
    }
}
