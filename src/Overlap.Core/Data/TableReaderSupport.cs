using Overlap.Core.Text;

namespace Overlap.Core.Data;

/// <summary>What every reader shares: mapping the header to builders, checking named columns exist, finishing.</summary>
internal static class TableReaderSupport
{
    public static ColumnBuilder?[] CreateBuilders(IReadOnlyList<string> header, TableReadOptions options)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in header)
        {
            if (!seen.Add(name))
            {
                throw new DataException(
                    $"{options.Source}: the column '{name}' appears twice in the header; give every column a distinct name"
                );
            }
        }
        if (options.Columns is not null)
        {
            foreach (var wanted in options.Columns)
            {
                if (!seen.Contains(wanted) && !options.Optional.Contains(wanted))
                {
                    var role = options.Rules.GetValueOrDefault(wanted)?.Role;
                    var named = role is null ? string.Empty : $", the contract's {role} column";
                    throw new DataException(
                        $"{options.Source}: no column named '{wanted}'{named}{Suggest(wanted, header)}; the columns are: {string.Join(", ", header)}; rename the column or fix the contract"
                    );
                }
            }
        }
        var keep = options.Columns is null ? null : new HashSet<string>(options.Columns, StringComparer.Ordinal);
        var builders = new ColumnBuilder?[header.Count];
        for (var i = 0; i < header.Count; i++)
        {
            if (keep is null || keep.Contains(header[i]))
            {
                builders[i] = new ColumnBuilder(header[i], options.Rules.GetValueOrDefault(header[i]));
            }
        }
        return builders;
    }

    public static Table Finish(ColumnBuilder?[] builders, int rows, TableReadOptions options)
    {
        if (rows == 0)
        {
            throw new DataException($"{options.Source} has a header but no rows; it needs at least one example");
        }
        var columns = new List<Column>();
        foreach (var b in builders)
        {
            if (b is not null)
            {
                columns.Add(b.Build());
            }
        }
        return new Table(columns, rows) { Source = options.Source };
    }

    /// <summary>" (did you mean 'x'?)" when a header name is close to the wanted one.</summary>
    public static string Suggest(string wanted, IEnumerable<string> names) =>
        Suggestions.Nearest(wanted, names) is { } near ? $" (did you mean '{near}'?)" : string.Empty;
}
