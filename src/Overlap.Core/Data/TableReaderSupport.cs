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
                throw new DataException($"{options.Source}: the column '{name}' appears twice in the header; give every column a distinct name");
            }
        }
        if (options.Columns is not null)
        {
            foreach (var wanted in options.Columns)
            {
                if (!seen.Contains(wanted))
                {
                    throw new DataException($"{options.Source}: no column named '{wanted}'{Suggest(wanted, header)}; the columns are: {string.Join(", ", header)}");
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
        return new Table(columns, rows);
    }

    /// <summary>" (did you mean 'x'?)" when a header name is close to the wanted one.</summary>
    public static string Suggest(string wanted, IEnumerable<string> names)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in names)
        {
            var d = Levenshtein(wanted.ToLowerInvariant(), name.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = name;
            }
        }
        return best is not null && bestDistance <= Math.Max(2, wanted.Length / 3) ? $" (did you mean '{best}'?)" : string.Empty;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
