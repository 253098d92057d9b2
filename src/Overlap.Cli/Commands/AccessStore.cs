using Microsoft.Extensions.DependencyInjection;
using Overlap.Storage;

namespace Overlap.Cli.Commands;

/// <summary>
/// The store's users and keys for <c>overlap keys</c> and <c>overlap users</c>, opened through the same
/// <see cref="StorageServices.AddOverlapStorage"/> as <c>overlap serve</c>. They work on the store itself, so only while
/// the server is stopped; while it runs, the same is done through its admin API or the dashboard's Access page, and the
/// error says so.
/// </summary>
internal sealed class AccessStore : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private AccessStore(ServiceProvider services, IUserStore users) => (_services, Users) = (services, users);

    /// <summary>The users, keys and sessions.</summary>
    public IUserStore Users { get; }

    /// <summary>
    /// Records a change made from the command line in the store's audit log, as the server records its admin API's:
    /// the actor is the command line and the account that ran it (whoever can run it can open the store).
    /// </summary>
    public Task RecordAsync(
        TimeProvider time,
        string action,
        string target,
        int status,
        CancellationToken cancellationToken
    ) =>
        _services.GetService<IAuditStore>() is { } audit
            ? audit.AppendAuditAsync(
                new NewAuditEntry(
                    time.GetUtcNow(),
                    $"command line ({Environment.UserName})",
                    "admin",
                    action,
                    target,
                    null,
                    status,
                    null
                ),
                cancellationToken
            )
            : Task.CompletedTask;

    /// <summary>Opens the store <paramref name="options"/> name; with <see cref="StorageOptions.MustExist"/>, a place without one is an error.</summary>
    public static AccessStore Open(StorageOptions options)
    {
        var folder = options.Location;
        var services = new ServiceCollection().AddOverlapStorage(options).BuildServiceProvider();
        try
        {
            return new AccessStore(services, services.GetRequiredService<IUserStore>());
        }
        catch (StoreUnavailableException e) when (e.Missing)
        {
            services.Dispose();
            throw new UserException(ExitCodes.NoInput, e.Message);
        }
        catch (StoreUnavailableException e) when (e.InUse)
        {
            services.Dispose();
            throw new UserException(
                ExitCodes.Unavailable,
                $"the store in {folder} is in use by a running 'overlap serve'; while it runs, manage keys and users with its admin API (/v1/admin/keys, /v1/admin/users; see docs/api.md) or the dashboard's Access page (/admin/access), or stop it first"
            );
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
