namespace Overlap.Storage.ClickHouse;

/// <summary>ClickHouse refused a statement; the message is ClickHouse's own, without its stack trace.</summary>
internal sealed class ClickHouseException(string message, string statement) : Exception(message)
{
    /// <summary>The statement ClickHouse refused (for logs; never shown with the values of a request).</summary>
    public string Statement { get; } = statement;

    /// <summary>
    /// ClickHouse's error in words: "Code: 60, e.displayText() = DB::Exception: Table … doesn't exist, e.what() = …"
    /// becomes "ClickHouse refused a statement: Table … doesn't exist (code 60)".
    /// </summary>
    public static string Describe(string body, int status)
    {
        var text = body.Trim();
        var code = "";
        if (text.StartsWith("Code: ", StringComparison.Ordinal))
        {
            var comma = text.IndexOf(',', StringComparison.Ordinal);
            if (comma > 6)
            {
                code = $" (code {text[6..comma]})";
            }
        }
        const string Marker = "DB::Exception: ";
        var start = text.IndexOf(Marker, StringComparison.Ordinal);
        if (start >= 0)
        {
            text = text[(start + Marker.Length)..];
        }
        // Older servers append ", e.what() = DB::Exception"; newer ones a version and a stack trace after the first
        // line.
        foreach (var tail in new[] { ", e.what() = ", "\n", " (version " })
        {
            var at = text.IndexOf(tail, StringComparison.Ordinal);
            if (at > 0)
            {
                text = text[..at];
            }
        }
        if (text.Length == 0)
        {
            text = $"HTTP status {status} without a message";
        }
        return $"ClickHouse refused a statement: {text.TrimEnd('.', ' ')}{code}";
    }
}
