namespace Overlap.Core.Data;

/// <summary>How a column's values are read: as numbers, or as categories (text, booleans, codes).</summary>
public enum ColumnKind
{
    /// <summary>Every non-missing value parsed as a number.</summary>
    Numeric,

    /// <summary>Values kept as category names.</summary>
    Categorical,
}
