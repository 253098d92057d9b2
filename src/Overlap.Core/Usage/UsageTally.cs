using MathNet.Numerics.Distributions;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Events;
using Overlap.Core.Statistics;

namespace Overlap.Core.Usage;

/// <summary>
/// Counts a feature's predictions over a range into periods as they are read (in any order, a chunk at a time): how
/// many, by decision, which were followed by feedback or business events (<see cref="UsageResponses"/>), what the
/// labelled errors cost, and per user the days they used the feature. Memory grows with the users and the responses,
/// never with the predictions. <see cref="Report"/> turns the counts into figures with intervals and words.
/// </summary>
public sealed class UsageTally
{
    /// <summary>The longest range a report covers, in days (53 weeks).</summary>
    public const int MaxDays = 371;

    private const long DayUs = 86_400_000_000L;

    private readonly Contract _contract;
    private readonly UsageResponses _responses;
    private readonly DateTimeOffset _from;
    private readonly DateTimeOffset _to;
    private readonly DateTimeOffset _now;
    private readonly UsagePeriod _period;
    private readonly long _fromUs;
    private readonly int _days;
    private readonly PeriodTally[] _periods;
    private readonly Dictionary<string, BusinessTally> _byVersion = new(StringComparer.Ordinal);
    private readonly PeriodTally _all = new();
    private readonly Dictionary<string, UserTally> _users = new(StringComparer.Ordinal);
    private readonly string? _positive;
    private readonly string? _negative;
    private long _count;

    /// <summary>A tally over [<paramref name="from"/>, <paramref name="to"/>), which must start a period.</summary>
    public UsageTally(
        Contract contract,
        UsageResponses responses,
        DateTimeOffset from,
        DateTimeOffset to,
        DateTimeOffset now,
        UsagePeriod period
    )
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(responses);
        if (Floor(from, period) != from || to <= from || (to - from).TotalDays > MaxDays)
        {
            throw new ArgumentException(
                $"a usage range starts a {period.ToString().ToLowerInvariant()} and spans up to {MaxDays} days",
                nameof(from)
            );
        }
        (_contract, _responses, _from, _to, _now, _period) = (contract, responses, from, to, now, period);
        _fromUs = from.ToUnixTimeMilliseconds() * 1000;
        _days = (int)Math.Ceiling((to - from).TotalDays);
        var length = PeriodDays(period);
        _periods = new PeriodTally[(_days + length - 1) / length];
        for (var i = 0; i < _periods.Length; i++)
        {
            _periods[i] = new PeriodTally();
        }
        if (contract.Task == TaskKind.Binary)
        {
            (_positive, _negative) = (contract.Labels.Positive ?? "1", contract.Labels.Negative ?? "0");
        }
    }

    /// <summary>The start of the period holding <paramref name="time"/> (UTC; weeks start on Monday).</summary>
    public static DateTimeOffset Floor(DateTimeOffset time, UsagePeriod period)
    {
        var day = new DateTimeOffset(time.UtcDateTime.Date, TimeSpan.Zero);
        return period == UsagePeriod.Day ? day : day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    private static int PeriodDays(UsagePeriod period) => period == UsagePeriod.Day ? 1 : 7;

    /// <summary>
    /// One prediction: its id, time (µs since the epoch), user (null when none), the model's decision, its label
    /// (null while unlabelled) and model version. Predictions outside the range are left out.
    /// </summary>
    public void Add(string id, long timeUs, string? user, string? decision, string? label, string? version)
    {
        ArgumentNullException.ThrowIfNull(id);
        var day = (timeUs - _fromUs) >= 0 ? (timeUs - _fromUs) / DayUs : -1;
        if (day < 0 || day >= _days || timeUs >= _to.ToUnixTimeMilliseconds() * 1000)
        {
            return;
        }
        _count++;
        var followed = _responses.Of(id);
        Count(_periods[day / PeriodDays(_period)], followed, decision, label);
        Count(_all, followed, decision, label);
        var arm = version ?? "";
        if (!_byVersion.TryGetValue(arm, out var byVersion))
        {
            _byVersion[arm] = byVersion = new BusinessTally();
        }
        byVersion.Add(followed);
        if (user is not null)
        {
            if (!_users.TryGetValue(user, out var u))
            {
                _users[user] = u = new UserTally(timeUs, (_days + 63) / 64);
            }
            u.FirstUs = Math.Min(u.FirstUs, timeUs);
            u.Days[day / 64] |= 1UL << (int)(day % 64);
        }
    }

    private void Count(PeriodTally period, UsageResponses.Followed? followed, string? decision, string? label)
    {
        period.Predictions++;
        if (decision is not null)
        {
            period.Decisions[decision] = period.Decisions.GetValueOrDefault(decision) + 1;
        }
        foreach (var kind in followed?.Kinds ?? [])
        {
            period.Feedback[kind] = period.Feedback.GetValueOrDefault(kind) + 1;
        }
        period.Business.Add(followed);
        if (decision is not null)
        {
            if (!period.ByDecision.TryGetValue(decision, out var byDecision))
            {
                period.ByDecision[decision] = byDecision = new BusinessTally();
            }
            byDecision.Add(followed);
        }
        if (_positive is not null && decision is not null)
        {
            var positive = string.Equals(decision, _positive, StringComparison.Ordinal);
            period.Flagged += positive ? 1 : 0;
            if (label is not null)
            {
                var truth = EventContractCheck.Normalize(_contract, label) ?? label;
                period.Labelled++;
                period.FalsePositives += positive && truth == _negative ? 1 : 0;
                period.FalseNegatives += !positive && truth == _positive ? 1 : 0;
            }
        }
    }

    /// <summary>The figures of everything added, as of the tally's <c>now</c>.</summary>
    public UsageReport Report()
    {
        var confidence = _contract.Confidence;
        var length = PeriodDays(_period);
        var periodUsers = new long[_periods.Length];
        var periodNew = new long[_periods.Length];
        foreach (var user in _users.Values)
        {
            periodNew[FirstDay(user) / length]++;
            for (var p = 0; p < _periods.Length; p++)
            {
                if (user.Any(p * length, (p + 1) * length))
                {
                    periodUsers[p]++;
                }
            }
        }
        var kinds = _responses.FeedbackKinds.ToList();
        var names = _responses.BusinessNames.ToList();
        var periods = new List<UsagePeriodFigures>(_periods.Length);
        for (var p = 0; p < _periods.Length; p++)
        {
            var t = _periods[p];
            var start = _from.AddDays(p * length);
            periods.Add(
                new UsagePeriodFigures
                {
                    Start = start,
                    Predictions = t.Predictions,
                    Users = _contract.Usage?.User is null ? null : periodUsers[p],
                    NewUsers = _contract.Usage?.User is null ? null : periodNew[p],
                    Decisions = t
                        .Decisions.OrderBy(d => d.Key, StringComparer.Ordinal)
                        .ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal),
                    Feedback = kinds.ToDictionary(
                        k => k,
                        k => Share(t.Feedback.GetValueOrDefault(k), t.Predictions, confidence),
                        StringComparer.Ordinal
                    ),
                    Business = t.Business.Figures(names, confidence),
                    BusinessByDecision = t
                        .ByDecision.OrderBy(d => d.Key, StringComparer.Ordinal)
                        .ToDictionary(d => d.Key, d => d.Value.Figures(names, confidence), StringComparer.Ordinal),
                    Errors = _positive is null ? null : Errors(t, start),
                }
            );
        }
        var users = _contract.Usage?.User is { } attribute ? Users(attribute, confidence) : null;
        var overall = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        if (users is not null)
        {
            overall["activation_rate"] = Metric(users.Activation);
            overall["retention_rate"] = Metric(users.Retention);
        }
        var requirements = _contract
            .Requirements.Where(r => MetricCatalog.Find(r.Metric)?.OnUsers == true)
            .Select(r =>
                RequirementJudge.Judge(
                    r,
                    _contract,
                    overall,
                    overall.TryGetValue(r.Metric, out var m) ? m.N : 0,
                    new Dictionary<string, IReadOnlyDictionary<string, SegmentResult>>()
                )
            )
            .ToList();
        var byVersion = _byVersion
            .OrderBy(v => v.Key, StringComparer.Ordinal)
            .ToDictionary(v => v.Key, v => v.Value.Figures(names, confidence), StringComparer.Ordinal);
        var report = new UsageReport
        {
            Feature = _contract.Feature,
            From = _from,
            To = _to,
            Now = _now,
            Period = _period,
            Confidence = confidence,
            Predictions = _count,
            Periods = periods,
            FeedbackKinds = kinds,
            BusinessNames = names,
            Business = _all.Business.Figures(names, confidence),
            BusinessByDecision = _all
                .ByDecision.OrderBy(d => d.Key, StringComparer.Ordinal)
                .ToDictionary(d => d.Key, d => d.Value.Figures(names, confidence), StringComparer.Ordinal),
            Errors = _positive is null ? null : Errors(_all, null),
            BusinessByVersion = byVersion,
            Users = users,
            Requirements = requirements,
            Statements = [],
        };
        return report with { Statements = UsageStatements.Of(_contract, report) };
    }

    private static MetricValue Metric(ShareFigure share) =>
        new(share.Value ?? double.NaN, share.Low ?? double.NaN, share.High ?? double.NaN, share.Of);

    private ErrorCost Errors(PeriodTally t, DateTimeOffset? start)
    {
        var costs = _contract.Costs;
        var cost = (t.FalsePositives * costs.FalsePositive) + (t.FalseNegatives * costs.FalseNegative);
        var partial = new ErrorCost(
            t.Flagged,
            t.Labelled,
            t.FalsePositives,
            t.FalseNegatives,
            cost,
            costs.Currency,
            string.Empty
        );
        return partial with { Statement = UsageStatements.Errors(_contract, _period, start, t.Predictions, partial) };
    }

    private int FirstDay(UserTally user) => (int)((user.FirstUs - _fromUs) / DayUs);

    /// <summary>Activation, weekly cohorts (UTC weeks from Monday) and week-1 retention, as of <c>min(now, to)</c>.</summary>
    private UserFigures Users(string attribute, double confidence)
    {
        var within = (int)Math.Round(_contract.Usage!.ActivationWithin.TotalDays);
        var until = _now < _to ? _now : _to;
        // Days (from the range's start) that have ended by then.
        var ended = (int)Math.Floor((until - _from).TotalDays);
        long eligible = 0,
            activated = 0;
        var cohorts = new SortedDictionary<int, (long Size, long[] Retained)>();
        // Monday of the range's first day, as a day offset (0 or negative).
        var monday = (int)Math.Round((Floor(_from, UsagePeriod.Week) - _from).TotalDays);
        foreach (var user in _users.Values)
        {
            var first = FirstDay(user);
            if (first + within + 1 <= ended)
            {
                eligible++;
                activated += user.Any(first + 1, first + within + 1) ? 1 : 0;
            }
            var week = monday + ((first - monday) / 7 * 7);
            var weeks = Math.Max(0, ((ended - week) / 7) - 1);
            if (!cohorts.TryGetValue(week, out var cohort))
            {
                cohort = (0, new long[weeks]);
            }
            for (var k = 1; k <= weeks; k++)
            {
                cohort.Retained[k - 1] += user.Any(week + (7 * k), week + (7 * (k + 1))) ? 1 : 0;
            }
            cohorts[week] = (cohort.Size + 1, cohort.Retained);
        }
        var list = cohorts
            .Select(c => new UserCohort(
                _from.AddDays(c.Key),
                c.Value.Size,
                [.. c.Value.Retained.Select(r => Share(r, c.Value.Size, confidence))]
            ))
            .ToList();
        var withWeek1 = list.Where(c => c.Retained.Count > 0).ToList();
        var activation = Share(activated, eligible, confidence);
        var retention = Share(withWeek1.Sum(c => c.Retained[0].Count), withWeek1.Sum(c => c.Size), confidence);
        return new UserFigures
        {
            Attribute = attribute,
            Users = _users.Count,
            ActivationDays = within,
            Activation = activation,
            ActivationStatement = UsageStatements.Activation(_contract, activation, within, confidence),
            Cohorts = list,
            Retention = retention,
            RetentionStatement = UsageStatements.Retention(retention, confidence),
        };
    }

    /// <summary>A share with its Wilson interval (statsmodels' <c>proportion_confint(method="wilson")</c>).</summary>
    internal static ShareFigure Share(long count, long of, double confidence)
    {
        if (of <= 0)
        {
            return new ShareFigure(count, of, null, null, null);
        }
        var interval = Wilson.Interval(count, of, confidence);
        return new ShareFigure(count, of, (double)count / of, interval.Low, interval.High);
    }

    /// <summary>
    /// A mean of <paramref name="n"/> values from their sum and sum of squares, with its t interval; when no value is
    /// negative (money spent, events counted) the interval is cut at 0, as a mean of such values cannot be below it.
    /// </summary>
    internal static MeanFigure Mean(long n, double sum, double squares, double confidence, bool nonNegative = false)
    {
        if (n <= 0)
        {
            return new MeanFigure(0, null, null, null);
        }
        var mean = sum / n;
        var variance = n < 2 ? 0 : Math.Max(0, (squares - (sum * mean)) / (n - 1));
        // (MathNet's t quantile agrees with scipy's to about 1e-9.) Equal values leave only rounding in the variance: no interval then, as for a standard deviation of 0.
        if (variance <= 1e-12 * Math.Max(1, squares / n))
        {
            return new MeanFigure(n, mean, null, null);
        }
        var half = StudentT.InvCDF(0, 1, n - 1, 1 - ((1 - confidence) / 2)) * Math.Sqrt(variance / n);
        return new MeanFigure(n, mean, nonNegative ? Math.Max(0, mean - half) : mean - half, mean + half);
    }

    private sealed class PeriodTally
    {
        public long Predictions;
        public long Flagged;
        public long Labelled;
        public long FalsePositives;
        public long FalseNegatives;
        public readonly Dictionary<string, long> Decisions = new(StringComparer.Ordinal);
        public readonly Dictionary<string, long> Feedback = new(StringComparer.Ordinal);
        public readonly BusinessTally Business = new();
        public readonly Dictionary<string, BusinessTally> ByDecision = new(StringComparer.Ordinal);
    }

    /// <summary>Predictions of a group and, per business event name, how many were followed by one and the value sums.</summary>
    private sealed class BusinessTally
    {
        private long _n;
        private readonly Dictionary<string, (long Converted, double Sum, double Squares, bool Negative)> _byName = new(
            StringComparer.Ordinal
        );

        public void Add(UsageResponses.Followed? followed)
        {
            _n++;
            foreach (var (name, value) in followed?.Values ?? [])
            {
                var (converted, sum, squares, negative) = _byName.GetValueOrDefault(name);
                _byName[name] = (converted + 1, sum + value, squares + (value * value), negative || value < 0);
            }
        }

        public IReadOnlyDictionary<string, BusinessFigure> Figures(IReadOnlyList<string> names, double confidence) =>
            names.ToDictionary(
                name => name,
                name =>
                {
                    var (converted, sum, squares, negative) = _byName.GetValueOrDefault(name);
                    return new BusinessFigure(
                        Share(converted, _n, confidence),
                        Mean(_n, sum, squares, confidence, nonNegative: !negative),
                        sum
                    );
                },
                StringComparer.Ordinal
            );
    }

    private sealed class UserTally(long firstUs, int words)
    {
        public long FirstUs = firstUs;
        public readonly ulong[] Days = new ulong[words];

        /// <summary>Whether the user was seen on a day in [<paramref name="from"/>, <paramref name="to"/>) (clipped to the range).</summary>
        public bool Any(int from, int to)
        {
            for (var d = Math.Max(0, from); d < Math.Min(to, Days.Length * 64); d++)
            {
                if ((Days[d / 64] & (1UL << (d % 64))) != 0)
                {
                    return true;
                }
            }
            return false;
        }
    }
}
