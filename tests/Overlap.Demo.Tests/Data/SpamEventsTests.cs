using System.Buffers;
using System.Text.Json;
using Overlap.Demo.Data;
using Overlap.Events;

namespace Overlap.Demo.Tests.Data;

[Collection("corpus")]
public sealed class SpamEventsTests(CorpusFixture fixture)
{
    [Fact]
    public void Prediction_and_outcome_go_through_the_servers_parser_with_the_contracts_columns()
    {
        var message = fixture.Split.Production.First(m => m.IsSpam && m.Attachments == 0);
        var score = fixture.ProductionScores[fixture.Split.Production.ToList().IndexOf(message)];
        var at = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        var buffer = new ArrayBufferWriter<byte>();
        EventWriter.WriteNdjson(
            [SpamEvents.Prediction(message, score, "v1", at), SpamEvents.Outcome(message, at.AddDays(3))],
            buffer
        );

        var batch = EventParser.Parse(buffer.WrittenMemory);

        Assert.Empty(batch.Errors);
        var prediction = Assert.IsType<PredictionEvent>(batch.Events[0].Event);
        Assert.Equal(
            (message.Id, at, "spam-filter", "v1", score),
            (prediction.Id, prediction.Time, prediction.Feature, prediction.ModelVersion, prediction.Score)
        );
        Assert.Equal(score >= 0.8 ? "spam" : "ham", prediction.Prediction);
        var inputs = JsonDocument.Parse(prediction.InputsJson!).RootElement;
        Assert.Equal(message.Subject.Length, inputs.GetProperty("subject_length").GetInt32());
        Assert.Equal(message.Body.Length, inputs.GetProperty("body_length").GetInt32());
        Assert.Equal(message.Links, inputs.GetProperty("links").GetInt32());
        Assert.Equal(0, inputs.GetProperty("attachments").GetInt32());
        Assert.Equal(message.Subject, inputs.GetProperty("subject").GetString());
        Assert.Equal(
            message.SenderDomainType,
            JsonDocument.Parse(prediction.AttributesJson!).RootElement.GetProperty("sender_domain_type").GetString()
        );
        var outcome = Assert.IsType<OutcomeEvent>(batch.Events[1].Event);
        Assert.Equal((message.Id, "spam", at.AddDays(3)), (outcome.PredictionId, outcome.Label, outcome.Time));
    }

    [Fact]
    public void Prediction_takes_the_messages_date_when_no_time_is_given()
    {
        var message = fixture.Split.Holdout[0];

        Assert.Equal(message.Date, SpamEvents.Prediction(message, 0.9, "v1").Time);
        Assert.Equal("spam", SpamEvents.Prediction(message, 0.9, "v1").Prediction);
        Assert.Equal("ham", SpamEvents.Prediction(message, 0.5, "v1").Prediction);
    }
}
