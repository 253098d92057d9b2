namespace Overlap.Judges;

/// <summary>
/// The judge's daily budget (<c>budget_per_day</c>): what it has spent on the current UTC day, by the clock it is
/// given. Once the day's spend reaches the limit, no new call starts until the next day; calls already under way
/// finish, so a day may end above the limit by what at most that many calls cost.
/// </summary>
internal sealed class JudgeBudget(double limit, TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateOnly _day;
    private double _spent;

    /// <summary>The limit per day.</summary>
    public double Limit => limit;

    /// <summary>True when today's spend has reached the limit.</summary>
    public bool Spent()
    {
        lock (_gate)
        {
            Roll();
            return _spent >= limit;
        }
    }

    /// <summary>Counts what a call cost.</summary>
    public void Add(double cost)
    {
        lock (_gate)
        {
            Roll();
            _spent += cost;
        }
    }

    private void Roll()
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (today != _day)
        {
            (_day, _spent) = (today, 0);
        }
    }
}
