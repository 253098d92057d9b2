namespace Overlap.Core.Data;

/// <summary>One column of a <see cref="Table"/>, stored compactly: numbers as doubles, categories as codes.</summary>
public abstract class Column
{
    private protected Column(string name, int count)
    {
        Name = name;
        Count = count;
    }

    /// <summary>The column's name in the data file.</summary>
    public string Name { get; }

    /// <summary>How many rows the column holds (missing values included).</summary>
    public int Count { get; }

    /// <summary>Whether the values are numbers or categories.</summary>
    public abstract ColumnKind Kind { get; }

    /// <summary>How many rows have no value.</summary>
    public abstract int MissingCount { get; }

    /// <summary>The value of row <paramref name="row"/> as text; null when missing.</summary>
    public abstract string? Text(int row);
}
