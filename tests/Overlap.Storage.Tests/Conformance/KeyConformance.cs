namespace Overlap.Storage.Tests.Conformance;

/// <summary>API keys and sessions: revocation, last use, renewal, and sessions long over dropped.</summary>
public abstract class KeyConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    [Fact]
    public async Task RevokeKey_StampsItOnce_EndsItsSessions_AndTouchNeverMovesLastUseBack()
    {
        await using var store = Open();
        await store.Users.AddKeyAsync(new ApiKeyRecord("k1", "h1", KeyRole.Admin, "ana", Noon, Noon.AddDays(90)));
        await store.Users.TouchKeyAsync("k1", Noon.AddMinutes(5));
        await store.Users.TouchKeyAsync("k1", Noon.AddMinutes(1));
        await store.Users.AddSessionAsync(
            new SessionRecord("s1", SessionRecord.KeySubject("k1"), Noon, Noon.AddHours(8), null, [1, 2, 3])
        );
        await store.Users.AddSessionAsync(
            new SessionRecord("s2", SessionRecord.UserSubject("Ana"), Noon, Noon.AddHours(8), null, [4])
        );
        Assert.True(await store.Users.RevokeKeyAsync("k1", Noon.AddHours(1)));
        Assert.False(await store.Users.RevokeKeyAsync("k1", Noon.AddHours(2)));
        Assert.False(await store.Users.RevokeKeyAsync("nope", Noon));
        var key = Assert.Single(await store.Users.ListKeysAsync());
        Assert.Equal(
            (Noon.AddDays(90), Noon.AddMinutes(5), Noon.AddHours(1)),
            (key.ExpiresAt, key.LastUsedAt, key.RevokedAt)
        );
        Assert.Equal(Noon.AddHours(1), (await store.Users.FindSessionAsync("s1"))!.RevokedAt);
        var other = (await store.Users.FindSessionAsync("s2"))!;
        Assert.Equal(("user:ana", (DateTimeOffset?)null), (other.Subject, other.RevokedAt));
        Assert.Equal([4], other.Ticket);
    }

    [Fact]
    public async Task Sessions_AreRenewedAndRevoked_AndOnesLongOverAreDropped()
    {
        await using var store = Open();
        await store.Users.AddSessionAsync(
            new SessionRecord("old", "user:ben", Noon.AddDays(-3), Noon.AddDays(-2), null, [0])
        );
        await store.Users.AddSessionAsync(new SessionRecord("s1", "user:ana", Noon, Noon.AddHours(8), null, [1]));
        await store.Users.RenewSessionAsync("s1", Noon.AddHours(12), [2]);
        var renewed = (await store.Users.FindSessionAsync("s1"))!;
        Assert.Equal(Noon.AddHours(12), renewed.ExpiresAt);
        Assert.Equal([2], renewed.Ticket);
        await store.Users.RevokeSessionAsync("s1", Noon.AddHours(1));
        Assert.Equal(Noon.AddHours(1), (await store.Users.FindSessionAsync("s1"))!.RevokedAt);
        Assert.Null(await store.Users.FindSessionAsync("old"));
    }
}
