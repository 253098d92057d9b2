namespace Overlap.Storage;

/// <summary>
/// The dashboard's cookie keys (ASP.NET Core Data Protection's key ring, each key an XML element) kept in the shared
/// state store, so a sign-in on one <c>overlap serve</c> instance is valid on every other. Only the server backend has
/// it; the embedded store's instance keeps its keys in its data folder.
/// </summary>
public interface ICookieKeyStore
{
    /// <summary>Every key's XML, oldest first.</summary>
    Task<IReadOnlyList<string>> ListCookieKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a key's XML under its name (a key stored already under that name is kept as it is).</summary>
    Task AddCookieKeyAsync(string name, string xml, CancellationToken cancellationToken = default);
}
