using System.Globalization;
using System.Security.Cryptography;

namespace Overlap.Core.Provenance;

/// <summary>Provenance as labelled facts, the one wording every renderer (Markdown, HTML, JUnit, terminal) shows.</summary>
public static class ProvenanceFacts
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>SHA-256 of a stream's bytes, lowercase hex.</summary>
    public static string Sha256(Stream stream) => Convert.ToHexStringLower(SHA256.HashData(stream));

    /// <summary>SHA-256 of bytes, lowercase hex.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>(label, text) pairs in reading order: Overlap, contract, each data file, seed, resamples, time.</summary>
    public static IReadOnlyList<(string Key, string Value)> Of(RunProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        var facts = new List<(string, string)> { ("overlap", provenance.OverlapVersion) };
        if (provenance.Contract is null && provenance.ContractSha256 is null)
        {
            facts.Add(("contract", "none given"));
        }
        else
        {
            var version = provenance.ContractVersion is { } v
                ? string.Create(Inv, $"version {v}")
                : "no version (a file)";
            var contract = $"{provenance.Contract ?? "contract"}, {version}";
            facts.Add(("contract", provenance.ContractSha256 is { } hash ? $"{contract}, sha256 {hash}" : contract));
        }
        foreach (var d in provenance.Data)
        {
            facts.Add((d.Role, string.Create(Inv, $"{d.Name}, {d.Rows:#,0} rows, sha256 {d.Sha256}")));
        }
        if (provenance.Seed is { } seed)
        {
            facts.Add(("seed", seed.ToString(Inv)));
        }
        if (provenance.Resamples is { } resamples)
        {
            facts.Add(("resamples", resamples.ToString("#,0", Inv)));
        }
        facts.Add(("time", provenance.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Inv)));
        return facts;
    }
}
