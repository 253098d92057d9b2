namespace Overlap.Core.Data;

/// <summary>
/// Builds a <see cref="Table"/> row by row from values already in memory (a database query, events), with the same
/// column rules and errors as the file readers. Columns are those of <see cref="TableReadOptions.Columns"/>, in order.
/// </summary>
public sealed class TableBuilder
{
    private readonly ColumnBuilder?[] _builders;
    private readonly TableReadOptions _options;
    private int _rows;

    /// <summary>Starts an empty table with the columns <paramref name="options"/> names.</summary>
    public TableBuilder(TableReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Columns);
        _options = options;
        Columns = [.. options.Columns];
        _builders = TableReaderSupport.CreateBuilders(Columns, options);
    }

    /// <summary>The columns, in the order values are given.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>How many rows were added.</summary>
    public int RowCount => _rows;

    /// <summary>Adds one row: a value per column, as a number (double, NaN missing), text (null missing) or null.</summary>
    /// <exception cref="DataException">A value breaks its column's rule; the message names the row.</exception>
    public void AddRow(ReadOnlySpan<object?> values)
    {
        if (values.Length != _builders.Length)
        {
            throw new ArgumentException($"{values.Length} values for {_builders.Length} columns", nameof(values));
        }
        for (var i = 0; i < values.Length; i++)
        {
            try
            {
                switch (values[i])
                {
                    case null:
                        _builders[i]!.AddMissing();
                        break;
                    case double d:
                        _builders[i]!.AddNumber(d);
                        break;
                    case string s:
                        _builders[i]!.AddText(s);
                        break;
                    default:
                        throw new ArgumentException(
                            $"column '{Columns[i]}' got a {values[i]!.GetType().Name}; give a double or a string",
                            nameof(values)
                        );
                }
            }
            catch (ColumnValueException e)
            {
                throw new DataException($"{_options.Source}, row {_rows + 1}: {e.Message}");
            }
        }
        _rows++;
    }

    /// <summary>
    /// Adds one row when every value meets its column's rule; otherwise adds nothing and says why (the first value
    /// refused), so a reader of stored rows can leave a bad one out and count it instead of failing.
    /// </summary>
    public bool TryAddRow(ReadOnlySpan<object?> values, out string? refusal)
    {
        if (values.Length != _builders.Length)
        {
            throw new ArgumentException($"{values.Length} values for {_builders.Length} columns", nameof(values));
        }
        for (var i = 0; i < values.Length; i++)
        {
            if (_builders[i]!.Refusal(values[i]) is { } problem)
            {
                refusal = problem;
                return false;
            }
        }
        refusal = null;
        AddRow(values);
        return true;
    }

    /// <summary>The table; a table with no rows is allowed here (an empty window).</summary>
    public Table Build() => new([.. _builders.Select(b => b!.Build())], _rows) { Source = _options.Source };
}
