namespace Overlap.Core.Drift;

/// <summary>A change in the data's shape, found before any statistical test.</summary>
/// <param name="Column">The column concerned.</param>
/// <param name="Change">missing_column, new_column, type_changed, null_share_jump or unseen_categories.</param>
/// <param name="Detail">What changed, in words.</param>
public sealed record SchemaChange(string Column, string Change, string Detail);
