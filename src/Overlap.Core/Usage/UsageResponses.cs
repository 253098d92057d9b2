namespace Overlap.Core.Usage;

/// <summary>
/// What followed a feature's predictions: the feedback kinds given on each and the business events sent with its id,
/// summed by name. Kept by prediction id, so it holds as much as was sent in response, not the predictions themselves.
/// </summary>
public sealed class UsageResponses
{
    private readonly Dictionary<string, Followed> _byPrediction = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _kinds = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Every feedback kind given, in order.</summary>
    public IReadOnlyCollection<string> FeedbackKinds => _kinds;

    /// <summary>Every business event name sent with a prediction id, in order.</summary>
    public IReadOnlyCollection<string> BusinessNames => _names;

    /// <summary>Feedback of <paramref name="kind"/> on a prediction (counted once per prediction and kind).</summary>
    public void Feedback(string predictionId, string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        _kinds.Add(kind);
        var followed = Get(predictionId);
        followed.Kinds ??= [];
        if (!followed.Kinds.Contains(kind, StringComparer.Ordinal))
        {
            followed.Kinds.Add(kind);
        }
    }

    /// <summary>A business event of <paramref name="name"/> with its value, sent with a prediction's id.</summary>
    public void Business(string predictionId, string name, double value)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!double.IsFinite(value))
        {
            return;
        }
        _names.Add(name);
        var followed = Get(predictionId);
        followed.Values ??= new Dictionary<string, double>(StringComparer.Ordinal);
        followed.Values[name] = followed.Values.GetValueOrDefault(name) + value;
    }

    internal Followed? Of(string predictionId) => _byPrediction.GetValueOrDefault(predictionId);

    private Followed Get(string predictionId)
    {
        ArgumentNullException.ThrowIfNull(predictionId);
        if (!_byPrediction.TryGetValue(predictionId, out var followed))
        {
            followed = new Followed();
            _byPrediction[predictionId] = followed;
        }
        return followed;
    }

    internal sealed class Followed
    {
        public List<string>? Kinds { get; set; }

        public Dictionary<string, double>? Values { get; set; }
    }
}
