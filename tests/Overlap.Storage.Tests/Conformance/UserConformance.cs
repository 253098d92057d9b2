namespace Overlap.Storage.Tests.Conformance;

/// <summary>Users: unique names regardless of case, removal, password changes, across a reopen.</summary>
public abstract class UserConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    private static UserRecord User(string name, KeyRole role = KeyRole.Viewer, string stamp = "s1") =>
        new(name, role, "hash-of-" + name, stamp, Noon, Noon);

    [Fact]
    public async Task AddUser_IsFoundByNameInAnyCase_AndSurvivesReopening()
    {
        await using (var store = Open())
        {
            Assert.True(await store.Users.AddUserAsync(User("Ana", KeyRole.Admin)));
            Assert.True(await store.Users.AddUserAsync(User("ben")));
        }
        await using var reopened = Open();
        Assert.Equal(User("Ana", KeyRole.Admin), await reopened.Users.FindUserAsync("ana"));
        Assert.Equal(User("Ana", KeyRole.Admin), await reopened.Users.FindUserAsync("ANA"));
        Assert.Null(await reopened.Users.FindUserAsync("carl"));
        Assert.Equal(["Ana", "ben"], (await reopened.Users.ListUsersAsync()).Select(u => u.Name));
    }

    [Fact]
    public async Task AddUser_ANameTakenInAnotherCase_IsRefusedAndTheFirstKept()
    {
        await using var store = Open();
        Assert.True(await store.Users.AddUserAsync(User("ana", KeyRole.Reviewer)));
        Assert.False(await store.Users.AddUserAsync(User("ANA", KeyRole.Admin, "s2")));
        Assert.Equal(User("ana", KeyRole.Reviewer), Assert.Single(await store.Users.ListUsersAsync()));
    }

    [Fact]
    public async Task RemoveUser_TakesOnlyThatUser_AndSaysWhenThereWasNone()
    {
        await using var store = Open();
        await store.Users.AddUserAsync(User("ana"));
        await store.Users.AddUserAsync(User("ben"));
        Assert.True(await store.Users.RemoveUserAsync("Ana"));
        Assert.False(await store.Users.RemoveUserAsync("ana"));
        Assert.Null(await store.Users.FindUserAsync("ana"));
        Assert.Equal(["ben"], (await store.Users.ListUsersAsync()).Select(u => u.Name));
    }

    [Fact]
    public async Task SetPassword_ReplacesHashAndStamp_KeepingRoleAndCreation()
    {
        await using var store = Open();
        await store.Users.AddUserAsync(User("ana", KeyRole.Admin));
        Assert.True(await store.Users.SetPasswordAsync("ANA", "new-hash", "s2", Noon.AddDays(2)));
        Assert.False(await store.Users.SetPasswordAsync("nobody", "new-hash", "s2", Noon.AddDays(2)));
        Assert.Equal(
            new UserRecord("ana", KeyRole.Admin, "new-hash", "s2", Noon, Noon.AddDays(2)),
            await store.Users.FindUserAsync("ana")
        );
    }
}
