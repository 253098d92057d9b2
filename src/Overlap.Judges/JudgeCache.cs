using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Overlap.Judges;

/// <summary>
/// Judge answers kept on disk, so a re-run asks the model nothing it was already asked. An entry's key is the
/// SHA-256 of (judge id, model, prompt format version, the full prompt text, the output); its file is
/// <c>&lt;folder&gt;/&lt;first two hex digits&gt;/&lt;key&gt;.json</c>. Only answers with a verdict are kept. An
/// entry that cannot be read (cut short, edited, not JSON) is treated as absent and rewritten by the next answer.
/// </summary>
public sealed class JudgeCache
{
    /// <summary>A cache in the given folder, created when first written.</summary>
    public JudgeCache(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
    }

    /// <summary>The cache's folder.</summary>
    public string Folder { get; }

    /// <summary>
    /// The default folder: <c>$XDG_CACHE_HOME/overlap/judge</c> when that variable is set, else
    /// <c>~/.cache/overlap/judge</c>.
    /// </summary>
    public static string DefaultFolder()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrWhiteSpace(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(root, "overlap", "judge");
    }

    /// <summary>The key of one judge call, as lower-case hex.</summary>
    public static string Key(string judgeId, string model, int promptVersion, string prompt, string output)
    {
        var text = string.Join(
            '\u001f',
            judgeId,
            model,
            promptVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            prompt,
            output
        );
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The answer kept under a key, or null when there is none or it cannot be read.</summary>
    public (int Grade, string Reason)? Read(string key)
    {
        var path = PathOf(key);
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            return
                root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("grade", out var grade)
                && grade.TryGetInt32(out var g)
                && root.TryGetProperty("reason", out var reason)
                && reason.ValueKind == JsonValueKind.String
                ? (g, reason.GetString()!)
                : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Keeps an answer under a key (written to a temporary file, then moved into place). A cache is a saving, not a
    /// result: a folder that cannot be written (read-only, full, a file in its place) keeps nothing, and the answer
    /// stands; the next run asks again.
    /// </summary>
    /// <returns>True when the answer was kept.</returns>
    public bool Write(string key, int grade, string reason)
    {
        var path = PathOf(key);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(new CacheEntry(grade, reason)));
            File.Move(temporary, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException) { }
            return false;
        }
    }

    /// <summary>The file an entry is kept in.</summary>
    public string PathOf(string key) => Path.Combine(Folder, key[..2], key + ".json");

    private sealed record CacheEntry(
        [property: JsonPropertyName("grade")] int Grade,
        [property: JsonPropertyName("reason")] string Reason
    );
}
