using Overlap.Events;

namespace Overlap.Judges;

/// <summary>
/// A price table: model name → price per million input and output tokens. A model not in the table has an unknown
/// cost, said as unknown and never counted as 0. <see cref="Known"/> holds list prices in USD for a few OpenAI models
/// as published when this was written; a team with other prices or another currency passes its own table.
/// </summary>
public sealed class ModelPrices
{
    private readonly Dictionary<string, ModelPrice> _prices;

    /// <summary>A table of the given prices; model names compare without regard to case.</summary>
    public ModelPrices(IEnumerable<KeyValuePair<string, ModelPrice>> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        _prices = new Dictionary<string, ModelPrice>(prices, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>An empty table: every cost is unknown.</summary>
    public static ModelPrices None { get; } = new([]);

    /// <summary>List prices (USD per million tokens) of a few OpenAI models.</summary>
    public static ModelPrices Known { get; } =
        new(
            new Dictionary<string, ModelPrice>
            {
                ["gpt-4o"] = new(2.50, 10.00),
                ["gpt-4o-mini"] = new(0.15, 0.60),
                ["gpt-4.1"] = new(2.00, 8.00),
                ["gpt-4.1-mini"] = new(0.40, 1.60),
                ["gpt-4.1-nano"] = new(0.10, 0.40),
            }
        );

    /// <summary>The price of a model, or null when the table does not know it.</summary>
    public ModelPrice? Find(string model) => _prices.TryGetValue(model, out var price) ? price : null;

    /// <summary>This table with one more (or a replaced) model.</summary>
    public ModelPrices With(string model, ModelPrice price) =>
        new(
            _prices
                .Where(p => !string.Equals(p.Key, model, StringComparison.OrdinalIgnoreCase))
                .Append(new(model, price))
        );
}
