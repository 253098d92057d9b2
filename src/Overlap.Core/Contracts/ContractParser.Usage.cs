namespace Overlap.Core.Contracts;

public static partial class ContractParser
{
    /// <summary>The metrics that need <c>usage.user</c>: they are measured on users, not on predictions.</summary>
    internal static readonly string[] UserMetrics = ["activation_rate", "retention_rate"];

    /// <summary>The <c>usage:</c> section: the user attribute and the activation period (1 to 90 days).</summary>
    private static UsagePolicy? ReadUsage(YamlMap map)
    {
        var m = map.Map("usage", ContractKeys.Usage);
        if (m is null)
        {
            return null;
        }
        var user = m.String("user");
        if (user is not null && string.IsNullOrWhiteSpace(user))
        {
            throw m.Error("'user' names the attribute that identifies a user, such as user: account_id");
        }
        var within = m.Duration("activation_within") ?? TimeSpan.FromDays(7);
        if (within < TimeSpan.FromDays(1) || within > TimeSpan.FromDays(90) || within.Ticks % TimeSpan.TicksPerDay != 0)
        {
            throw m.Error(
                "'activation_within' is counted in whole days from 1d to 90d (a use on a later day counts), such as activation_within: 7d"
            );
        }
        m.Finish();
        return new UsagePolicy { User = user, ActivationWithin = within };
    }

    /// <summary>A requirement on a user metric needs the user attribute named.</summary>
    private static void CheckUserMetrics(YamlMap map, IReadOnlyList<Requirement> requirements, UsagePolicy? usage)
    {
        foreach (var r in requirements.Where(r => UserMetrics.Contains(r.Metric) && usage?.User is null))
        {
            throw new ContractException(
                ErrorSource(map),
                r.Line,
                $"'{r.Metric}' is measured on users; name the attribute that identifies one, such as usage: {{ user: account_id }}"
            );
        }
        foreach (var r in requirements.Where(r => UserMetrics.Contains(r.Metric) && r.By is not null))
        {
            throw new ContractException(
                ErrorSource(map),
                r.Line,
                $"'{r.Metric}' is judged over all the feature's users, not per segment; remove 'by: {r.By}'"
            );
        }
    }
}
