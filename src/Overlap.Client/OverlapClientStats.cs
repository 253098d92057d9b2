namespace Overlap.Client;

/// <summary>What the client has done with the events it was given. Every event ends up sent, rejected or dropped.</summary>
/// <param name="Logged">Events handed to a Log method.</param>
/// <param name="Sent">Events the server acknowledged as stored (202).</param>
/// <param name="Rejected">Events the server refused with a reason (bad field, unknown feature); not retried.</param>
/// <param name="Dropped">Events lost on this side: the queue was full, the client was disposed, the server could not be reached before shutdown, or it kept failing (network errors, 5xx) for longer than <see cref="OverlapClientOptions.RetryLimit"/>.</param>
/// <param name="Retries">Requests sent again after a failure.</param>
public readonly record struct OverlapClientStats(long Logged, long Sent, long Rejected, long Dropped, long Retries)
{
    /// <summary>Events still queued or in flight.</summary>
    public long Pending => Logged - Sent - Rejected - Dropped;
}
