using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Overlap.Core.Text;

namespace Overlap.Embeddings.Tests;

public sealed class MiniLmEmbedderTests
{
    private static readonly MiniLmEmbedder Embedder = Fixtures.Embedder;

    // Hand-written pairs: each sentence with a paraphrase of it (different words, same meaning).
    private static readonly (string, string)[] Paraphrases =
    [
        ("The cat sat on the mat.", "A cat is sitting on a rug."),
        ("Your refund was issued today.", "We sent your money back this afternoon."),
        ("The train to Berlin is delayed by an hour.", "The Berlin train will arrive sixty minutes late."),
        ("How do I reset my password?", "I forgot my password and need to change it."),
        ("It is raining heavily in London.", "There is a downpour in London right now."),
    ];

    [Fact]
    public void Embed_Paraphrases_CloserThanUnrelatedPairsByAMargin()
    {
        var left = Embedder.Embed([.. Paraphrases.Select(p => p.Item1)]);
        var right = Embedder.Embed([.. Paraphrases.Select(p => p.Item2)]);
        var paraphrase = Enumerable
            .Range(0, left.Count)
            .Select(i => VectorSimilarity.Cosine(left[i], right[i]))
            .ToList();
        var unrelated = (
            from i in Enumerable.Range(0, left.Count)
            from j in Enumerable.Range(0, right.Count)
            where i != j
            select VectorSimilarity.Cosine(left[i], right[j])
        ).ToList();
        Assert.True(
            paraphrase.Min() > unrelated.Max() + 0.2,
            $"closest unrelated pair {unrelated.Max():0.000}, farthest paraphrase {paraphrase.Min():0.000}"
        );
    }

    [Fact]
    public void Embed_AnyText_GivesUnitVectorsOfTheModelsLength()
    {
        var vectors = Embedder.Embed(["Hello there.", "Ein ganz anderer Satz auf Deutsch.", "", "1234"]);
        Assert.All(vectors, v => Assert.Equal(384, v.Length));
        Assert.All(vectors, v => Assert.Equal(1.0, Fixtures.Norm(v), 5));
        Assert.Equal(384, Embedder.Dimensions);
        Assert.Equal("all-MiniLM-L6-v2", Embedder.ModelName);
    }

    [Fact]
    public void Embed_TwoInstances_GiveTheSameVectors()
    {
        using var other = new MiniLmEmbedder();
        string[] texts = ["Your order shipped today.", "Whisk the eggs with the sugar."];
        Assert.Equal(Embedder.Embed(texts), other.Embed(texts));
    }

    [Fact]
    public void Embed_ManyTextsInBatches_EqualsOneByOne()
    {
        // More texts than a batch holds, of very different lengths, so padding within a batch is exercised.
        var texts = Fixtures.Lines("support-replies.txt").Concat(Fixtures.Lines("recipes.txt")).ToArray();
        Assert.True(texts.Length > MiniLmEmbedder.BatchSize * 2);
        var batched = Embedder.Embed(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = Embedder.Embed([texts[i]])[0];
            Assert.True(
                batched[i].Zip(single).All(p => Math.Abs(p.First - p.Second) < 1e-5),
                $"text {i} differs between its batch and alone"
            );
        }
    }

    [Fact]
    public void Embed_ManyThreadsAtOnce_GiveTheSameVectorsAsOne()
    {
        var texts = Fixtures.Lines("recipes.txt");
        var expected = Embedder.Embed(texts);
        var results = new IReadOnlyList<float[]>[4];
        Parallel.For(0, results.Length, i => results[i] = Embedder.Embed(texts));
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Embed_EmptyOrWhitespace_GiveOneFixedVectorFarFromSentences()
    {
        var v = Embedder.Embed(["", "   ", "\t\n", "The cat sat on the mat."]);
        Assert.Equal(v[0], v[1]);
        Assert.Equal(v[0], v[2]);
        Assert.Equal(1.0, Fixtures.Norm(v[0]), 5);
        Assert.InRange(VectorSimilarity.Cosine(v[0], v[3]), -1, 0.5);
    }

    [Fact]
    public void Embed_TextsLongerThanTheWindow_AreCutAfterItsFirstWordPieces()
    {
        // Each of these words is one word piece: after the start marker and 511 of them, nothing more is read.
        var start = string.Join(' ', Enumerable.Range(0, 511).Select(i => i % 2 == 0 ? "parcel" : "delivered"));
        var v = Embedder.Embed([start + " The refund was issued.", start + " Whisk the eggs with the sugar."]);
        Assert.Equal(v[0], v[1]);
        // One word piece fewer and the last word is read.
        var within = start[..start.LastIndexOf(' ')];
        var w = Embedder.Embed([within + " refund", within + " whisk"]);
        Assert.NotEqual(w[0], w[1]);
    }

    [Fact]
    public void Embed_NoTexts_GivesNoVectors() => Assert.Empty(Embedder.Embed([]));

    [Fact]
    public void Embed_AfterDispose_Throws()
    {
        var embedder = new MiniLmEmbedder();
        embedder.Embed(["load the model"]);
        embedder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => embedder.Embed(["again"]));
    }

    [Fact]
    public async Task GenerateAsync_AsAnEmbeddingGenerator_GivesTheSameVectorsAndSaysWhichModel()
    {
        IEmbeddingGenerator<string, Embedding<float>> generator = Embedder;
        string[] texts = ["Your order shipped today.", "Whisk the eggs."];
        var embeddings = await generator.GenerateAsync(texts);
        Assert.Equal(Embedder.Embed(texts), embeddings.Select(e => e.Vector.ToArray()));
        Assert.All(embeddings, e => Assert.Equal("all-MiniLM-L6-v2", e.ModelId));
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.Equal("all-MiniLM-L6-v2", metadata?.DefaultModelId);
        Assert.Equal(384, metadata?.DefaultModelDimensions);
    }

    /// <summary>
    /// The vectors recorded once from the model for a few sentences (Fixtures/README.md). Set OVERLAP_RECORD_VECTORS=1
    /// to record them again, then run Fixtures/make_cosine_fixtures.py.
    /// </summary>
    [Fact]
    public void Embed_ReferenceSentences_GiveTheRecordedVectors()
    {
        var path = Fixtures.Path("reference-vectors.json");
        if (Environment.GetEnvironmentVariable("OVERLAP_RECORD_VECTORS") == "1")
        {
            string[] sentences =
            [
                "The cat sat on the mat.",
                "A cat is sitting on a rug.",
                "Quarterly revenue rose by twelve percent.",
                "Der Hund schläft im Garten.",
                "",
            ];
            var vectors = Embedder.Embed(sentences);
            var root = new JsonObject
            {
                ["model"] = Embedder.ModelName,
                ["sentences"] = new JsonArray([
                    .. sentences.Select(
                        (s, i) =>
                            (JsonNode)
                                new JsonObject
                                {
                                    ["text"] = s,
                                    ["vector"] = new JsonArray([.. vectors[i].Select(x => (JsonNode)x)]),
                                }
                    ),
                ]),
            };
            File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var s in doc.RootElement.GetProperty("sentences").EnumerateArray())
        {
            var expected = s.GetProperty("vector").EnumerateArray().Select(x => x.GetSingle()).ToArray();
            var actual = Embedder.Embed([s.GetProperty("text").GetString()!])[0];
            Assert.Equal(expected.Length, actual.Length);
            Assert.True(
                expected.Zip(actual).All(p => Math.Abs(p.First - p.Second) < 1e-5),
                $"'{s.GetProperty("text").GetString()}' moved from its recorded vector"
            );
        }
    }

    /// <summary>The cosines of the recorded vectors, as numpy computes them (Fixtures/make_cosine_fixtures.py).</summary>
    [Fact]
    public void Cosine_RecordedVectors_MatchesNumpy()
    {
        using var vectors = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("reference-vectors.json")));
        using var cosines = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("cosines.json")));
        var v = vectors
            .RootElement.GetProperty("sentences")
            .EnumerateArray()
            .Select(s => s.GetProperty("vector").EnumerateArray().Select(x => x.GetSingle()).ToArray())
            .ToList();
        var matrix = cosines.RootElement.GetProperty("cosine").EnumerateArray().ToList();
        for (var i = 0; i < v.Count; i++)
        {
            var row = matrix[i].EnumerateArray().Select(x => x.GetDouble()).ToList();
            for (var j = 0; j < v.Count; j++)
            {
                Assert.Equal(row[j], VectorSimilarity.Cosine(v[i], v[j]), 12);
            }
        }
        Assert.Equal(0.0, VectorSimilarity.Cosine(new float[3], v[0].AsSpan(0, 3)));
    }
}
