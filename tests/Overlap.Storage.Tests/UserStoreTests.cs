namespace Overlap.Storage.Tests;

/// <summary>The users table on a real DuckDB file.</summary>
public sealed class UserStoreTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-users-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static UserRecord User(string name, KeyRole role = KeyRole.Viewer, string stamp = "s1") =>
        new(name, role, "hash-of-" + name, stamp, Noon, Noon);

    [Fact]
    public async Task AddUser_IsFoundByNameInAnyCase_AndSurvivesReopening()
    {
        await using (var store = await DuckDbEventStore.OpenAsync(_folder))
        {
            Assert.True(await store.AddUserAsync(User("Ana", KeyRole.Admin)));
            Assert.True(await store.AddUserAsync(User("ben")));
        }
        await using var reopened = await DuckDbEventStore.OpenAsync(_folder);
        Assert.Equal(User("Ana", KeyRole.Admin), await reopened.FindUserAsync("ana"));
        Assert.Equal(User("Ana", KeyRole.Admin), await reopened.FindUserAsync("ANA"));
        Assert.Null(await reopened.FindUserAsync("carl"));
        Assert.Equal(["Ana", "ben"], (await reopened.ListUsersAsync()).Select(u => u.Name));
    }

    [Fact]
    public async Task AddUser_ANameTakenInAnotherCase_IsRefusedAndTheFirstKept()
    {
        await using var store = await DuckDbEventStore.OpenAsync(_folder);
        Assert.True(await store.AddUserAsync(User("ana", KeyRole.Reviewer)));
        Assert.False(await store.AddUserAsync(User("ANA", KeyRole.Admin, "s2")));
        Assert.Equal(User("ana", KeyRole.Reviewer), Assert.Single(await store.ListUsersAsync()));
    }

    [Fact]
    public async Task RemoveUser_TakesOnlyThatUser_AndSaysWhenThereWasNone()
    {
        await using var store = await DuckDbEventStore.OpenAsync(_folder);
        await store.AddUserAsync(User("ana"));
        await store.AddUserAsync(User("ben"));
        Assert.True(await store.RemoveUserAsync("Ana"));
        Assert.False(await store.RemoveUserAsync("ana"));
        Assert.Null(await store.FindUserAsync("ana"));
        Assert.Equal(["ben"], (await store.ListUsersAsync()).Select(u => u.Name));
    }

    [Fact]
    public async Task SetPassword_ReplacesHashAndStamp_KeepingRoleAndCreation()
    {
        await using var store = await DuckDbEventStore.OpenAsync(_folder);
        await store.AddUserAsync(User("ana", KeyRole.Admin));
        Assert.True(await store.SetPasswordAsync("ANA", "new-hash", "s2", Noon.AddDays(2)));
        Assert.False(await store.SetPasswordAsync("nobody", "new-hash", "s2", Noon.AddDays(2)));
        Assert.Equal(new UserRecord("ana", KeyRole.Admin, "new-hash", "s2", Noon, Noon.AddDays(2)), await store.FindUserAsync("ana"));
    }
}
