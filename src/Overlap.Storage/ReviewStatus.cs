using System.Text.Json.Serialization;

namespace Overlap.Storage;

/// <summary>Where a review item stands. The names (in JSON, in the API's <c>status</c> parameter and as stored) are on the members.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReviewStatus>))]
public enum ReviewStatus
{
    /// <summary>Routed, waiting for its first decision.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>Decided once, waiting for a second reviewer's opinion.</summary>
    [JsonStringEnumMemberName("second")]
    Second,

    /// <summary>Waited too long, or two opinions disagreed: still open, shown first.</summary>
    [JsonStringEnumMemberName("escalated")]
    Escalated,

    /// <summary>Settled: its label (if any) is an outcome.</summary>
    [JsonStringEnumMemberName("decided")]
    Decided,
}
