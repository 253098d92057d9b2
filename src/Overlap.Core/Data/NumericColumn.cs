using System.Globalization;

namespace Overlap.Core.Data;

/// <summary>A column of numbers. A missing value is NaN.</summary>
public sealed class NumericColumn : Column
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

    /// <summary>The non-missing values, sorted ascending, in a new array.</summary>
    public double[] SortedPresentValues()
    {
        var result = new double[Count - MissingCount];
        var k = 0;
        foreach (var v in Values)
        {
            if (!double.IsNaN(v))
            {
                result[k++] = v;
            }
        }
        Array.Sort(result);
        return result;
    }
}
