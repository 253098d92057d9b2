using Overlap.Core.Monitoring;

namespace Overlap.Storage.Tests.Conformance;

/// <summary>Alert state: one current state per check and feature, and the history of changes with their webhook delivery.</summary>
public abstract class AlertConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    [Fact]
    public async Task A_checks_state_is_replaced_and_kept_per_feature_across_a_reopen()
    {
        var ok = new AlertStateRecord(
            "fraud",
            "recall min 0.7",
            AlertState.Ok,
            Midnight,
            "recall 0.81 meets 0.7",
            Noon
        );
        var alert = ok with
        {
            State = AlertState.Alert,
            Statement = "recall 0.52 misses 0.7",
            UpdatedAt = Noon.AddDays(1),
            JudgedFrom = Noon.AddDays(-29),
            JudgedTo = Noon.AddDays(1),
        };
        await using (var store = Open())
        {
            Assert.Empty(await store.Alerts.GetAlertStatesAsync("fraud"));
            await store.Alerts.SaveAlertStateAsync(ok);
            await store.Alerts.SaveAlertStateAsync(ok with { Check = "drift" });
            await store.Alerts.SaveAlertStateAsync(alert);
            await store.Alerts.SaveAlertStateAsync(ok with { Feature = "spam" });
        }
        await using var reopened = Open();
        Assert.Equal([ok with { Check = "drift" }, alert], await reopened.Alerts.GetAlertStatesAsync("fraud"));
        Assert.Single(await reopened.Alerts.GetAlertStatesAsync("spam"));
    }

    [Fact]
    public async Task State_changes_get_growing_ids_are_listed_newest_first_and_record_their_delivery()
    {
        await using var store = Open();
        var change = new AlertEventRecord(
            0,
            "fraud",
            "recall min 0.7",
            AlertState.Alert,
            AlertState.Ok,
            Midnight,
            "recall 0.52 misses 0.7",
            Noon,
            "pending",
            0,
            null,
            Noon.AddDays(-29),
            Noon
        );
        var first = await store.Alerts.AddAlertEventAsync(change);
        var second = await store.Alerts.AddAlertEventAsync(
            change with
            {
                State = AlertState.Ok,
                Previous = AlertState.Alert,
                CreatedAt = Noon.AddDays(1),
                Delivery = "none",
            }
        );
        await store.Alerts.AddAlertEventAsync(change with { Feature = "spam" });
        Assert.True(second.Id > first.Id);
        Assert.Equal(change with { Id = first.Id }, first);

        await store.Alerts.SetAlertDeliveryAsync(first.Id, "failed", 3, "the receiver answered 500");
        var history = await store.Alerts.ListAlertEventsAsync("fraud", 10);
        Assert.Equal(
            [second, first with { Delivery = "failed", Attempts = 3, DeliveryReason = "the receiver answered 500" }],
            history
        );
        Assert.Equal([second], await store.Alerts.ListAlertEventsAsync("fraud", 1));
    }
}
