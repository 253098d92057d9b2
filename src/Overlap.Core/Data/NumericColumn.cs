using System.Globalization;
using Overlap.Core.Statistics;

namespace Overlap.Core.Data;

/// <summary>A column of numbers. A missing value is NaN.</summary>
internal sealed class NumericColumn : Column
{
    private readonly double[] _values;
    private int _missing = -1;

    /// <summary>Wraps the first <paramref name="count"/> values of an array (NaN = missing); the array is not copied.</summary>
    public NumericColumn(string name, double[] values, int count)
        : base(name, count)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values;
    }

    /// <inheritdoc />
    public override ColumnKind Kind => ColumnKind.Numeric;

    /// <summary>The values, NaN where missing.</summary>
    public ReadOnlySpan<double> Values => _values.AsSpan(0, Count);

    /// <inheritdoc />
    public override int MissingCount
    {
        get
        {
            if (_missing < 0)
            {
                var missing = 0;
                foreach (var v in Values)
                {
                    if (double.IsNaN(v))
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
    public override string? Text(int row) => double.IsNaN(_values[row]) ? null : Format(_values[row]);

    /// <summary>A number as the shortest text that reads back to it ("1", "0.25").</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes the non-missing values, sorted ascending, to the start of <paramref name="destination"/> (at least
    /// <see cref="Column.Count"/> long, so a pooled buffer can be reused column after column) and returns how many.
    /// </summary>
    public int SortPresentValuesInto(Span<double> destination)
    {
        var k = 0;
        foreach (var v in Values)
        {
            if (!double.IsNaN(v))
            {
                destination[k++] = v;
            }
        }
        RadixSort.Sort(destination[..k]);
        return k;
    }
}
