using System.Text.Json.Serialization;

namespace Overlap.Core.Monitoring;

/// <summary>Where a check stands after a window. The names (in JSON, webhooks and as stored) are on the members.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertState>))]
public enum AlertState
{
    /// <summary>Nothing to judge: no labels, no traffic, or a check production does not judge yet.</summary>
    [JsonStringEnumMemberName("no_data")]
    NoData,

    /// <summary>The bar is met.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>Not clear yet: the interval straddles the bar, or it misses on fewer labelled examples than <c>min_samples</c>.</summary>
    [JsonStringEnumMemberName("warning")]
    Warning,

    /// <summary>The bar is missed on enough examples to act on.</summary>
    [JsonStringEnumMemberName("alert")]
    Alert,
}
