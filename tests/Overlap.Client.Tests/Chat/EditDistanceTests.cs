using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Overlap.Client.Tests.Chat;

/// <summary>The edit distance against Quickenshtein (an independent implementation), and the bounds on logged
/// text.</summary>
public sealed class EditDistanceTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("Hi Ann, it ships today.", "Hello Ann, it ships today!", 5)]
    [InlineData("gumbo", "gambol", 2)]
    public void Levenshtein_KnownPairs(string from, string to, int distance)
    {
        Assert.Equal(distance, EditDistance.Levenshtein(from, to));
        Assert.Equal(distance, EditDistance.Levenshtein(to, from));
    }

    [Fact]
    public void Levenshtein_AgreesWithQuickenshtein_OnRandomTexts()
    {
        var random = new Random(15);
        for (var n = 0; n < 500; n++)
        {
            var a = Text(random, random.Next(0, 60));
            var b = random.Next(3) == 0 ? Text(random, random.Next(0, 60)) : Mutate(random, a);
            Assert.Equal(Quickenshtein.Levenshtein.GetDistance(a, b), EditDistance.Levenshtein(a, b));
        }
    }

    private static string Text(Random random, int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => "abcde é"[random.Next(7)])]);

    private static string Mutate(Random random, string text)
    {
        var chars = text.ToList();
        for (var k = random.Next(0, 6); k > 0; k--)
        {
            var at = random.Next(chars.Count + 1);
            switch (random.Next(3))
            {
                case 0:
                    chars.Insert(at, 'x');
                    break;
                case 1 when at < chars.Count:
                    chars.RemoveAt(at);
                    break;
                default:
                    if (at < chars.Count)
                    {
                        chars[at] = 'y';
                    }
                    break;
            }
        }
        return new string([.. chars]);
    }

    [Fact]
    public void LoggedText_CutsWithoutSplittingPairs_AndReplacesWhatTheServerRefuses()
    {
        Assert.Equal("ab", LoggedText.Clean("abc", 2));
        Assert.Equal("bc", LoggedText.Clean("abc", 2, keepEnd: true));
        // A cut inside 😀 (two UTF-16 characters) drops the half rather than keep a lone surrogate.
        Assert.Equal("a", LoggedText.Clean("a\ud83d\ude00", 2));
        Assert.Equal("b", LoggedText.Clean("\ud83d\ude00b", 2, keepEnd: true));
        Assert.Equal("a\ud83d\ude00", LoggedText.Clean("a\ud83d\ude00", 3));
        Assert.Equal("a\uFFFDb\uFFFD", LoggedText.Clean("a\0b\ud800", 10));
        Assert.Equal("", LoggedText.Clean(null, 10));
    }

    [Fact]
    public void Inputs_KeepTheNewestMessagesWithinTheBound_AndCountTheRest()
    {
        var call = new ChatCall(
            DateTimeOffset.UnixEpoch,
            0,
            [new(ChatRole.System, "aaaa"), new(ChatRole.User, "bbbbbb"), new(ChatRole.Assistant, "cccccccc")],
            null
        );
        var settings = new OverlapChatOptions { MaxInputLength = 10, MaxOutputLength = 3 };
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "output"));
        var e = call.ToEvent("id", "f", settings, response, null, 1, null);
        Assert.Equal(
            """{"messages":[{"role":"user","text":"bb"},{"role":"assistant","text":"cccccccc"}],"omitted_messages":1}""",
            e.InputsJson
        );
        Assert.Equal("out", e.Output);
        using var parsed = JsonDocument.Parse(e.InputsJson!);
        Assert.Equal(1, parsed.RootElement.GetProperty("omitted_messages").GetInt32());
    }
}
