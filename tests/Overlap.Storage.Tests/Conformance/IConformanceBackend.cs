namespace Overlap.Storage.Tests.Conformance;

/// <summary>
/// A storage backend the conformance suite runs on: it hands out the options of new, empty stores and removes them
/// when disposed. The same options open the same store again, which is how persistence across a reopen is tested.
/// </summary>
public interface IConformanceBackend : IDisposable
{
    /// <summary>Options for a new, empty store.</summary>
    StorageOptions NewStore();
}
