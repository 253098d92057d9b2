namespace Overlap.Core.Data;

/// <summary>A value a <see cref="ColumnBuilder"/> rejected; the reader turns it into a <see cref="DataException"/> with the place.</summary>
internal sealed class ColumnValueException(string reason) : Exception(reason);
