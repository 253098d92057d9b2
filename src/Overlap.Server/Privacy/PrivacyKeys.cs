using System.Text;
using Overlap.Core.Privacy;

namespace Overlap.Server.Privacy;

/// <summary>
/// Where the server's <see cref="PrivacyKey"/> comes from: <see cref="ServerOptions.PrivacyKey"/> when given, else the
/// data folder's <c>privacy.key</c> (32 random bytes, base64), made on first start with only its owner allowed to read it.
/// </summary>
internal static class PrivacyKeys
{
    public const string FileName = "privacy.key";

    public static PrivacyKey Load(ServerOptions options)
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
        Directory.CreateDirectory(options.DataFolder);
        var path = Path.Combine(options.DataFolder, FileName);
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
}
