using Overlap.Core.Contracts;
using Overlap.Core.Events;
using Overlap.Events;

namespace Overlap.Core.Tests.Events;

/// <summary>Events against their contract: what is stored is always a value the contract names.</summary>
public sealed class EventContractCheckTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static readonly Contract Binary = new()
    {
        Feature = "spam",
        Task = TaskKind.Binary,
        Labels = new ContractLabels { Positive = "spam", Negative = "ham" },
        Columns = new ContractColumns { Label = "y", Score = "p" },
    };

    private static readonly Contract Multiclass = Binary with
    {
        Task = TaskKind.Multiclass,
        Labels = new ContractLabels { Classes = ["billing", "sales"] },
    };

    private static readonly Contract Regression = Binary with
    {
        Task = TaskKind.Regression,
        Labels = new ContractLabels(),
    };

    private static PredictionEvent Prediction(double? score, string? prediction) =>
        new()
        {
            Id = "p",
            Feature = "spam",
            Time = Noon,
            Score = score,
            Prediction = prediction,
        };

    [Theory]
    [InlineData("1", "spam")]
    [InlineData("TRUE", "spam")]
    [InlineData("0", "ham")]
    [InlineData("false", "ham")]
    [InlineData("ham", "ham")]
    public void Check_BinaryPrediction_IsStoredAsTheLabelName(string sent, string stored) =>
        Assert.Equal(stored, ((PredictionEvent)EventContractCheck.Check(Prediction(0.5, sent), Binary)).Prediction);

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(7)]
    public void Check_BinaryScoreOutsideZeroToOne_IsRefused(double score) =>
        Assert.Contains(
            "between 0 and 1",
            Assert
                .Throws<EventFormatException>(() => EventContractCheck.Check(Prediction(score, null), Binary))
                .Message,
            StringComparison.Ordinal
        );

    [Fact]
    public void Check_LabelsTheContractDoesNotName_AreRefusedNamingTheAllowedOnes()
    {
        var outcome = new OutcomeEvent
        {
            Id = "o",
            PredictionId = "p",
            Label = "banana",
            Time = Noon,
        };
        Assert.Contains(
            "spam, ham (or 1/0, true/false)",
            Assert.Throws<EventFormatException>(() => EventContractCheck.Check(outcome, Binary)).Message,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "billing, sales",
            Assert.Throws<EventFormatException>(() => EventContractCheck.Check(outcome, Multiclass)).Message,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "finite number",
            Assert.Throws<EventFormatException>(() => EventContractCheck.Check(outcome, Regression)).Message,
            StringComparison.Ordinal
        );
        Assert.Equal(
            "sales",
            ((OutcomeEvent)EventContractCheck.Check(outcome with { Label = "sales" }, Multiclass)).Label
        );
        Assert.Equal(
            "12.5",
            ((OutcomeEvent)EventContractCheck.Check(outcome with { Label = "12.5" }, Regression)).Label
        );
    }

    [Fact]
    public void Check_ScoreOfAMulticlassContract_IsNotAProbability() =>
        Assert.Equal(7.0, ((PredictionEvent)EventContractCheck.Check(Prediction(7, "sales"), Multiclass)).Score);

    [Fact]
    public void Generative_TakesFreeTextPredictionsAndOutcomesAsSent()
    {
        var generative = Regression with { Task = TaskKind.Generative };
        var prediction = Prediction(null, "Hello Sam, a replacement is on its way.") with
        {
            Output = "Hello Sam, a replacement is on its way.",
        };
        Assert.Equal(prediction, EventContractCheck.Check(prediction, generative));
        var outcome = new OutcomeEvent
        {
            Id = "o",
            PredictionId = "p",
            Feature = "spam",
            Time = Noon,
            Label = "the agent rewrote the reply",
        };
        Assert.Equal(outcome, EventContractCheck.Check(outcome, generative));
    }
}
