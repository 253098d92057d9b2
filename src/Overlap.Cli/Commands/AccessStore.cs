using Overlap.Storage;

namespace Overlap.Cli.Commands;

/// <summary>
/// Opens the store for <c>overlap keys</c> and <c>overlap users</c>. They work on the file, so only while the server
/// is stopped; while it runs, the same is done through its admin API or the dashboard's Access page, and the error says so.
/// </summary>
internal static class AccessStore
{
    public static async Task<DuckDbEventStore> OpenAsync(string folder, bool mustExist, CancellationToken cancellationToken)
    {
        if (mustExist && !File.Exists(Path.Combine(folder, DuckDbEventStore.FileName)))
        {
            throw new UserException(ExitCodes.NoInput, $"there is no Overlap store in {folder}; point --data at the folder 'overlap serve' uses");
        }
        try
        {
            return await DuckDbEventStore.OpenAsync(folder, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e) when (e.InUse)
        {
            throw new UserException(ExitCodes.Unavailable,
                $"the store in {folder} is in use by a running 'overlap serve'; while it runs, manage keys and users with its admin API (/v1/admin/keys, /v1/admin/users; see docs/api.md) or the dashboard's Access page (/admin/access), or stop it first");
        }
    }
}
