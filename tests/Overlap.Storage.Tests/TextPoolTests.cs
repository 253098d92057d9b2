namespace Overlap.Storage.Tests;

public sealed class TextPoolTests
{
    [Fact]
    public void EqualText_IsOneString()
    {
        var pool = new TextPool();
        var first = pool.Intern(new string("fraud".AsSpan()));
        var second = pool.Intern(new string("fraud".AsSpan()));
        Assert.Same(first, second);
        Assert.NotSame(first, pool.Intern("legit"));
        Assert.Equal("legit", pool.Intern(new string("legit".AsSpan())));
    }

    [Fact]
    public void PastItsLimit_TextPassesThroughUnchanged()
    {
        var pool = new TextPool();
        for (var i = 0; i < 100_000; i++)
        {
            pool.Intern($"id-{i}");
        }
        var fresh = new string("id-new".AsSpan());
        Assert.Same(fresh, pool.Intern(fresh));
        Assert.NotSame(pool.Intern(new string("id-new".AsSpan())), fresh);
        Assert.Same(pool.Intern("id-5"), pool.Intern(new string("id-5".AsSpan())));
    }
}
