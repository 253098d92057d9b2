namespace Overlap.Core.Data;

/// <summary>A column of categories, stored as codes into <see cref="Categories"/>. A missing value is code -1.</summary>
internal sealed class CategoricalColumn : Column
{
    private readonly int[] _codes;
    private int _missing = -1;

    /// <summary>Wraps the first <paramref name="count"/> codes of an array; neither array is copied.</summary>
    public CategoricalColumn(string name, int[] codes, int count, IReadOnlyList<string> categories)
        : base(name, count)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(categories);
        _codes = codes;
        Categories = categories;
    }

    /// <inheritdoc />
    public override ColumnKind Kind => ColumnKind.Categorical;

    /// <summary>The distinct category names, in order of first appearance.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>The code of each row: an index into <see cref="Categories"/>, or -1 where missing.</summary>
    public ReadOnlySpan<int> Codes => _codes.AsSpan(0, Count);

    /// <inheritdoc />
    public override int MissingCount
    {
        get
        {
            if (_missing < 0)
            {
                var missing = 0;
                foreach (var c in Codes)
                {
                    if (c < 0)
                    {
                        missing++;
                    }
                }
                _missing = missing;
            }
            return _missing;
        }
    }

    /// <inheritdoc />
    public override string? Text(int row) => _codes[row] < 0 ? null : Categories[_codes[row]];

    /// <summary>How many rows hold each category (index = code).</summary>
    public long[] CountsByCode()
    {
        var counts = new long[Categories.Count];
        foreach (var c in Codes)
        {
            if (c >= 0)
            {
                counts[c]++;
            }
        }
        return counts;
    }
}
