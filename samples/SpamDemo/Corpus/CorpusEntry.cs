namespace Overlap.Demo.Corpus;

/// <summary>
/// One message as the package holds it: its id and group from the JSON entry, the MD5 the package publishes for it,
/// and the original bytes from the matching <c>.txt</c> entry.
/// </summary>
/// <param name="Id">The message's number within its group, e.g. <c>00001</c>.</param>
/// <param name="Group">The group: <c>easy-ham-1</c>, <c>easy-ham-2</c>, <c>hard-ham-1</c>, <c>spam-1</c> or <c>spam-2</c>.</param>
/// <param name="Md5">The published MD5 (lower-case hex) of the original message file.</param>
/// <param name="Raw">The original RFC 822 message, byte for byte.</param>
internal sealed record CorpusEntry(string Id, string Group, string Md5, byte[] Raw)
{
    /// <summary>The id unique over the corpus: <c>group/number</c>.</summary>
    public string Key => $"{Group}/{Id}";
}
