namespace Overlap.Demo.Corpus;

/// <summary>Where a message's sending date was read.</summary>
public enum MessageDateSource
{
    /// <summary>No header gave a usable date.</summary>
    None,

    /// <summary>The <c>Date:</c> header.</summary>
    DateHeader,

    /// <summary>The mbox <c>From </c> line the corpus kept before the headers.</summary>
    MboxFromLine,

    /// <summary>The last (earliest) <c>Received:</c> header.</summary>
    Received,
}
