namespace Overlap.Storage.Tests.Conformance;

/// <summary>The audit log: appended entries come back newest first, page by page, filtered, and survive a reopen.</summary>
public abstract class AuditConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    private static NewAuditEntry Entry(
        int minute,
        string actor,
        string action,
        string? feature,
        string? detail = null
    ) =>
        new(
            Noon.AddMinutes(minute).AddTicks(7),
            actor,
            "admin",
            action,
            $"GET /v1/thing/{minute}",
            feature,
            200 + minute,
            detail
        );

    [Fact]
    public async Task Entries_ComeBackNewestFirst_AsAppended_AndPageBackByTheLastId()
    {
        long[] ids;
        {
            await using var store = Open();
            var audit = store.Get<IAuditStore>();
            var appended = new List<AuditEntry>();
            for (var minute = 0; minute < 5; minute++)
            {
                appended.Add(
                    await audit.AppendAuditAsync(
                        Entry(
                            minute,
                            minute % 2 == 0 ? "Ana" : "ci-key",
                            AuditActions.All[minute % 4],
                            minute < 3 ? "spam" : null
                        )
                    )
                );
            }
            ids = appended.Select(e => e.Id).ToArray();
            Assert.True(ids.Zip(ids.Skip(1)).All(p => p.First < p.Second), string.Join(",", ids));
            // The time as stored: to the microsecond.
            Assert.Equal(Noon, appended[0].At);
            Assert.Equal(
                new AuditEntry(ids[4], Noon.AddMinutes(4), "Ana", "admin", "read", "GET /v1/thing/4", null, 204, null),
                appended[4]
            );
        }
        await using var reopened = Open();
        var log = reopened.Get<IAuditStore>();
        var all = await log.ReadAuditAsync(new AuditQuery());
        Assert.Equal(ids.Reverse(), all.Select(e => e.Id));
        Assert.Equal(
            new AuditEntry(ids[2], Noon.AddMinutes(2), "Ana", "admin", "change", "GET /v1/thing/2", "spam", 202, null),
            all[2]
        );
        var first = await log.ReadAuditAsync(new AuditQuery { Limit = 2 });
        Assert.Equal([ids[4], ids[3]], first.Select(e => e.Id));
        var second = await log.ReadAuditAsync(new AuditQuery { Limit = 2, Before = first[^1].Id });
        Assert.Equal([ids[2], ids[1]], second.Select(e => e.Id));
        var last = await log.ReadAuditAsync(new AuditQuery { Limit = 2, Before = second[^1].Id });
        Assert.Equal([ids[0]], last.Select(e => e.Id));
    }

    [Fact]
    public async Task Filters_CombineWithAnd_ActorIgnoringCase_TimesFromInclusiveToExclusive()
    {
        await using var store = Open();
        var audit = store.Get<IAuditStore>();
        var entries = new List<AuditEntry>();
        for (var minute = 0; minute < 6; minute++)
        {
            entries.Add(
                await audit.AppendAuditAsync(
                    Entry(
                        minute,
                        minute % 2 == 0 ? "Ana" : "ci-key",
                        minute < 3 ? AuditActions.Export : AuditActions.Delete,
                        minute % 3 == 0 ? "spam" : "fraud",
                        minute == 5 ? "3 predictions erased" : null
                    )
                )
            );
        }
        async Task<long[]> Ids(AuditQuery query) => (await audit.ReadAuditAsync(query)).Select(e => e.Id).ToArray();
        long[] Expect(params int[] minutes) => minutes.Select(m => entries[m].Id).ToArray();
        Assert.Equal(Expect(4, 2, 0), await Ids(new AuditQuery { Actor = "ANA" }));
        Assert.Equal(Expect(3, 0), await Ids(new AuditQuery { Feature = "spam" }));
        Assert.Equal(Expect(5, 4, 3), await Ids(new AuditQuery { Action = AuditActions.Delete }));
        Assert.Equal(Expect(4), await Ids(new AuditQuery { Action = AuditActions.Delete, Actor = "ana" }));
        Assert.Equal(Expect(3, 2), await Ids(new AuditQuery { From = Noon.AddMinutes(2), To = Noon.AddMinutes(4) }));
        Assert.Empty(await Ids(new AuditQuery { Feature = "none" }));
        Assert.Equal("3 predictions erased", (await audit.ReadAuditAsync(new AuditQuery { Limit = 1 }))[0].Detail);
    }
}
