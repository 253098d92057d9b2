namespace Overlap.Storage;

/// <summary>
/// The server's privacy key (what hashed fields are hashed under) kept in the shared state store, so every
/// <c>overlap serve</c> instance on one store hashes a person's id alike: an erasure sent to any instance then finds
/// the events every instance stored. Only the server backend has it; the embedded store's instance keeps its key in
/// its data folder.
/// </summary>
public interface IPrivacyKeyStore
{
    /// <summary>
    /// The stored key. When none is stored yet, <paramref name="candidate"/> is stored first and returned; of several
    /// instances doing so at once, one key is stored and every one of them gets it.
    /// </summary>
    Task<string> PrivacyKeyAsync(string candidate, CancellationToken cancellationToken = default);
}
