namespace Overlap.Demo.Corpus;

/// <summary>The corpus order: by sending date, ties by id, undated messages last.</summary>
internal static class SpamMessageOrder
{
    public static SpamMessage[] ByDate(IEnumerable<SpamMessage> messages) =>
        [.. messages.OrderBy(m => m.Date is null).ThenBy(m => m.Date).ThenBy(m => m.Id, StringComparer.Ordinal)];
}
