namespace Overlap.Core.Data;

/// <summary>What a reader must enforce on one column while it reads, so a bad value is reported with its line.</summary>
/// <param name="Kind">Force this kind; null lets the values decide (numeric when every value parses as a number).</param>
/// <param name="Required">A missing value is an error.</param>
/// <param name="Min">For numeric columns, the smallest value allowed.</param>
/// <param name="Max">For numeric columns, the largest value allowed.</param>
/// <param name="Role">How the column is named in errors ("score", "label").</param>
public sealed record ColumnRule(
    ColumnKind? Kind = null,
    bool Required = false,
    double Min = double.NegativeInfinity,
    double Max = double.PositiveInfinity,
    string? Role = null
)
{
    /// <summary>Whether a present number meets the rule: inside [<see cref="Min"/>, <see cref="Max"/>], and finite in a column forced numeric.</summary>
    public bool Admits(double value) =>
        !(value < Min || value > Max || (double.IsInfinity(value) && Kind == ColumnKind.Numeric));

    /// <summary>The allowed range in words ("0 to 1").</summary>
    public string Range => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Min} to {Max}");
}
