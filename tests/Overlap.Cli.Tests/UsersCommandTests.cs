using Overlap.Server.Auth;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Cli.Tests;

/// <summary><c>overlap users</c> through the real entry point, on a real store.</summary>
public sealed class UsersCommandTests : IDisposable
{
    private const string Strong = "correct horse battery staple";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<(int Code, string Out, string Err)> Run(params string[] args) =>
        CliRun.RunAsync([.. args, "--data", _folder.Path]);

    private Task<(int Code, string Out, string Err)> RunWithPassword(string password, params string[] args) =>
        CliRun.RunWithInputAsync(password, [.. args, "--password-stdin", "--data", _folder.Path]);

    private async Task<UserRecord?> FindAsync(string name)
    {
        await using var opened = new TestStore(_folder.Path);
        var store = opened.Get<IUserStore>();
        return await store.FindUserAsync(name);
    }

    [Fact]
    public async Task Add_WithoutAPassword_GeneratesOne_PrintsItAloneOnStdout_AndStoresOnlyASlowHash()
    {
        var (code, output, err) = await Run("users", "add", "ana@example.com", "--role", "admin");
        Assert.Equal(0, code);
        var password = output.TrimEnd('\n');
        Assert.Matches("^[A-Za-z2-9]{22}$", password);
        Assert.Equal(
            "Added ana@example.com as an admin. The password is shown this once; pass it on privately.\n",
            err
        );
        var user = await FindAsync("ana@example.com");
        Assert.Equal(KeyRole.Admin, user!.Role);
        Assert.DoesNotContain(password, user.PasswordHash, StringComparison.Ordinal);
        // ASP.NET Core Identity's v3 format: marker 0x01, PRF HMAC-SHA512 (2), the iteration count, a 16-byte salt.
        var hash = Convert.FromBase64String(user.PasswordHash);
        Assert.Equal((byte)1, hash[0]);
        Assert.Equal(2, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(1)));
        Assert.Equal(Passwords.Iterations, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(5)));
        Assert.Equal(16, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(9)));
        Assert.True(Passwords.Verify(user.PasswordHash, password));
        Assert.False(Passwords.Verify(user.PasswordHash, password + "x"));
        // Two users with the same password get different hashes (salted).
        await RunWithPassword(password, "users", "add", "ben", "--role", "viewer");
        Assert.NotEqual(user.PasswordHash, (await FindAsync("ben"))!.PasswordHash);
    }

    [Fact]
    public async Task Add_WithPasswordStdin_UsesThePipedPasswordWithoutItsNewline_AndPrintsNothingOnStdout()
    {
        var (code, output, err) = await RunWithPassword(Strong + "\n", "users", "add", "ben", "--role", "reviewer");
        Assert.Equal(0, code);
        Assert.Empty(output);
        Assert.Equal("Added ben as a reviewer.\n", err);
        var user = await FindAsync("BEN");
        Assert.Equal(KeyRole.Reviewer, user!.Role);
        Assert.True(Passwords.Verify(user.PasswordHash, Strong));
        Assert.False(Passwords.Verify(user.PasswordHash, Strong + "\n"));
    }

    [Theory]
    [InlineData("", "the password is empty")]
    [InlineData("short1", "the password has 6 characters; use at least 12")]
    [InlineData("aaaabbbbaaaabbbb", "repeats too few characters")]
    [InlineData("ben-the-reviewer", "contains the user's name")]
    public async Task Add_AWeakPassword_IsRefusedWithWhy_AndNoUserIsAdded(string password, string why)
    {
        var (code, output, err) = await RunWithPassword(password, "users", "add", "ben", "--role", "viewer");
        Assert.Equal(65, code);
        Assert.Empty(output);
        CliRun.AssertOneLineError(err, why, "nothing was changed");
        Assert.Null(await FindAsync("ben"));
    }

    [Fact]
    public async Task Add_ANameTaken_IsRefusedAndTheFirstUserKept()
    {
        await RunWithPassword(Strong, "users", "add", "ana", "--role", "viewer");
        var before = await FindAsync("ana");
        var (code, output, err) = await Run("users", "add", "ANA", "--role", "admin");
        Assert.Equal(65, code);
        Assert.Empty(output);
        CliRun.AssertOneLineError(err, "there is already a user 'ana'", "overlap users set-password ana");
        Assert.Equal(before, await FindAsync("ana"));
    }

    [Theory]
    [InlineData("ana smith", "' '")]
    [InlineData("ana/admin", "'/'")]
    public async Task Add_ANameWithOddCharacters_IsAUsageError(string name, string mentions)
    {
        var (code, _, err) = await Run("users", "add", name, "--role", "viewer");
        Assert.Equal(64, code);
        CliRun.AssertOneLineError(err, mentions, "letters, digits and . _ @ -");
    }

    [Fact]
    public async Task Add_TheIngestRole_IsNotForPeople()
    {
        var (code, _, err) = await Run("users", "add", "bot", "--role", "ingest");
        Assert.Equal(64, code);
        Assert.Contains("'ingest'", err, StringComparison.Ordinal);
        Assert.Contains("viewer", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ShowsEachUserWithTheirRole()
    {
        await RunWithPassword(Strong, "users", "add", "ana", "--role", "admin");
        await RunWithPassword(Strong, "users", "add", "ben", "--role", "viewer");
        var (code, output, err) = await Run("users", "list");
        Assert.Equal(0, code);
        Assert.Empty(err);
        var rows = output
            .Split('\n')
            .Where(l => l.Contains("ana", StringComparison.Ordinal) || l.Contains("ben", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("admin", rows[0], StringComparison.Ordinal);
        Assert.Contains("viewer", rows[1], StringComparison.Ordinal);
        Assert.DoesNotContain("AQAAAA", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithNoUsers_SaysHowToAddOne()
    {
        await Run("keys", "create", "--role", "admin");
        var (code, output, err) = await Run("users", "list");
        Assert.Equal(0, code);
        Assert.Empty(output);
        Assert.Contains("overlap users add NAME --role viewer", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_TakesTheUser_AndAnUnknownNameIsRefusedWithTheNearestOne()
    {
        await RunWithPassword(Strong, "users", "add", "ana", "--role", "admin");
        await RunWithPassword(Strong, "users", "add", "ben", "--role", "viewer");
        var (code, _, err) = await Run("users", "remove", "anna");
        Assert.Equal(67, code);
        CliRun.AssertOneLineError(err, "there is no user 'anna'", "did you mean 'ana'?");
        (code, _, err) = await Run("users", "remove", "ana");
        Assert.Equal(0, code);
        Assert.Equal("Removed ana.\n", err);
        Assert.Null(await FindAsync("ana"));
        Assert.NotNull(await FindAsync("ben"));
        (code, _, _) = await Run("users", "remove", "ana");
        Assert.Equal(67, code);
    }

    [Fact]
    public async Task SetPassword_ReplacesThePasswordAndTheStamp()
    {
        await RunWithPassword(Strong, "users", "add", "ana", "--role", "admin");
        var before = await FindAsync("ana");
        var (code, output, err) = await Run("users", "set-password", "ana");
        Assert.Equal(0, code);
        var generated = output.TrimEnd('\n');
        Assert.Contains("Set a new password for ana", err, StringComparison.Ordinal);
        var after = await FindAsync("ana");
        Assert.True(Passwords.Verify(after!.PasswordHash, generated));
        Assert.False(Passwords.Verify(after.PasswordHash, Strong));
        Assert.NotEqual(before!.Stamp, after.Stamp);
        Assert.Equal((before.Role, before.CreatedAt), (after.Role, after.CreatedAt));

        (code, output, _) = await RunWithPassword("another good passphrase", "users", "set-password", "ANA");
        Assert.Equal(0, code);
        Assert.Empty(output);
        Assert.True(Passwords.Verify((await FindAsync("ana"))!.PasswordHash, "another good passphrase"));
        (code, _, err) = await RunWithPassword("short", "users", "set-password", "ana");
        Assert.Equal(65, code);
        CliRun.AssertOneLineError(err, "at least 12");
        (code, _, err) = await RunWithPassword(Strong, "users", "set-password", "nobody");
        Assert.Equal(67, code);
        CliRun.AssertOneLineError(err, "there is no user 'nobody'");
    }

    [Fact]
    public async Task CommandsOnAFolderWithoutAStore_SayWhereTheyLooked()
    {
        var missing = Path.Combine(_folder.Path, "typo");
        var (code, _, err) = await CliRun.RunAsync("users", "remove", "ana", "--data", missing);
        Assert.Equal(66, code);
        CliRun.AssertOneLineError(err, "there is no Overlap store in", "typo");
        Assert.False(Directory.Exists(missing));
    }
}
