using System.Text;
using Microsoft.Extensions.Logging;
using Overlap.Core.Privacy;
using Overlap.Storage;

namespace Overlap.Server.Privacy;

/// <summary>
/// Where the server's <see cref="PrivacyKey"/> comes from: <see cref="ServerOptions.PrivacyKey"/> when given; else, on a
/// shared store, the key stored there (so every instance hashes alike), which the first instance stores: its data
/// folder's <c>privacy.key</c> when it has one (the key its earlier hashes were made with), else 32 new random bytes;
/// else the data folder's <c>privacy.key</c>, made on first start with only its owner allowed to read it.
/// </summary>
internal static partial class PrivacyKeys
{
    public const string FileName = "privacy.key";

    public static PrivacyKey Load(ServerOptions options, IPrivacyKeyStore? shared = null, ILogger? log = null)
    {
        if (options.PrivacyKey is { } given)
        {
            var bytes = Encoding.UTF8.GetBytes(given);
            return bytes.Length >= PrivacyKey.MinBytes
                ? new PrivacyKey(bytes)
                : throw new ArgumentException(
                    $"the privacy key (OVERLAP_PRIVACY_KEY) has {bytes.Length} bytes; give at least {PrivacyKey.MinBytes}, such as the output of 'openssl rand -base64 32'",
                    nameof(options)
                );
        }
        var path = Path.Combine(options.DataFolder, FileName);
        if (shared is not null)
        {
            var own = File.Exists(path) ? File.ReadAllText(path).Trim() : null;
            var stored = shared
                .PrivacyKeyAsync(own ?? Convert.ToBase64String(PrivacyKey.NewKey()))
                .GetAwaiter()
                .GetResult();
            if (own is not null && own != stored && log is not null)
            {
                KeyDiffers(log, path);
            }
            return new PrivacyKey(Convert.FromBase64String(stored));
        }
        Directory.CreateDirectory(options.DataFolder);
        if (!File.Exists(path))
        {
            var fresh = Convert.ToBase64String(PrivacyKey.NewKey());
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            stream.Write(Encoding.ASCII.GetBytes(fresh));
            stream.Flush(flushToDisk: true);
        }
        return new PrivacyKey(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "This instance's {File} differs from the privacy key the shared store holds; the store's key is used, so fields this instance hashed with its own key no longer link with new hashes, and erasure does not find them"
    )]
    private static partial void KeyDiffers(ILogger log, string file);
}
