namespace Overlap.Core.Data;

/// <summary>The file formats a data set can be read from.</summary>
public enum DataFormat
{
    /// <summary>Comma-separated values with a header row (RFC 4180 quoting).</summary>
    Csv,

    /// <summary>One JSON object per line.</summary>
    JsonLines,

    /// <summary>Apache Parquet.</summary>
    Parquet,
}
