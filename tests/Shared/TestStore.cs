using Microsoft.Extensions.DependencyInjection;
using Overlap.Storage;

namespace Overlap.Tests.Shared;

/// <summary>A test's store, opened the way the server opens it (<see cref="StorageServices.AddOverlapStorage"/>); each capability is <see cref="Get{T}"/>.</summary>
internal sealed class TestStore(StorageOptions options) : IAsyncDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddOverlapStorage(options)
        .BuildServiceProvider();

    /// <summary>The store in a data folder, as <c>overlap serve --data</c> opens it.</summary>
    public TestStore(string folder)
        : this(new StorageOptions { Location = folder }) { }

    /// <summary>One capability of the store (opening it on first use).</summary>
    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Every registration of a capability several stores of the backend provide.</summary>
    public IReadOnlyList<T> All<T>()
        where T : notnull => [.. _services.GetServices<T>()];

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
