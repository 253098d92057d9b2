namespace Overlap.Core.Provenance;

/// <summary>One data file behind a report.</summary>
/// <param name="Role">What the file was: data, baseline, reference or current.</param>
/// <param name="Name">The file's name (without its folder, so no machine path leaks into a shared report).</param>
/// <param name="Sha256">SHA-256 of the file's bytes as stored (compressed when it is .gz), lowercase hex.</param>
/// <param name="Rows">Rows read from it.</param>
public sealed record DataFileProvenance(string Role, string Name, string Sha256, long Rows);
