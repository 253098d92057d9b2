namespace Overlap.Core.Data;

/// <summary>A data set read into compact columns.</summary>
public sealed class Table
{
    private readonly Dictionary<string, Column> _byName;

    /// <summary>Creates a table from columns of equal length.</summary>
    public Table(IReadOnlyList<Column> columns, int rowCount)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns;
        RowCount = rowCount;
        _byName = new Dictionary<string, Column>(StringComparer.Ordinal);
        foreach (var c in columns)
        {
            _byName[c.Name] = c;
        }
    }

    /// <summary>The columns, in file order.</summary>
    public IReadOnlyList<Column> Columns { get; }

    /// <summary>How many rows were read.</summary>
    public int RowCount { get; }

    /// <summary>Where the rows came from (the file name), for messages.</summary>
    public string Source { get; init; } = "data";

    /// <summary>The column with this name, or null.</summary>
    public Column? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>True when the table has a column with this name.</summary>
    public bool Has(string name) => _byName.ContainsKey(name);
}
