using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Overlap.Demo.Corpus;

namespace Overlap.Demo.Model;

/// <summary>
/// The spam filter: ML.NET's <c>FeaturizeText</c> on the subject and on the body (normalised word unigrams and
/// bigrams plus character trigrams, as ML.NET does by default), concatenated, into an L-BFGS logistic regression
/// whose output is the probability of spam. Training is single-threaded on a seeded <c>MLContext</c>, so the same
/// examples and options give the same scores.
/// </summary>
public sealed class SpamModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly Lock _engineLock = new();
    private PredictionEngine<SpamRow, SpamScore>? _engine;

    private SpamModel(MLContext ml, ITransformer model, SpamModelInfo info)
    {
        _ml = ml;
        _model = model;
        Info = info;
    }

    /// <summary>The version and how the model was trained.</summary>
    public SpamModelInfo Info { get; }

    /// <summary>The version, e.g. <c>v1</c>.</summary>
    public string Version => Info.Version;

    /// <summary>Trains on the messages with their true labels.</summary>
    public static SpamModel Train(
        IEnumerable<SpamMessage> messages,
        string version,
        SpamModelOptions? options = null
    ) => Train(messages.Select(SpamExample.From), version, options);

    /// <summary>Trains on labelled examples.</summary>
    /// <exception cref="ArgumentException">The examples do not hold both spam and legitimate mail.</exception>
    public static SpamModel Train(IEnumerable<SpamExample> examples, string version, SpamModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        options ??= new SpamModelOptions();
        var rows = examples.Select(e => SpamRow.From(e, options.MaxBodyChars)).ToList();
        var spam = rows.Count(r => r.Label);
        if (spam == 0 || spam == rows.Count)
        {
            throw new ArgumentException(
                $"training needs spam and legitimate examples; got {spam} spam of {rows.Count}",
                nameof(examples)
            );
        }
        var ml = new MLContext(seed: options.Seed);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml
            .Transforms.Text.FeaturizeText("SubjectFeatures", nameof(SpamRow.Subject))
            .Append(ml.Transforms.Text.FeaturizeText("BodyFeatures", nameof(SpamRow.Body)))
            .Append(ml.Transforms.Concatenate("Features", "SubjectFeatures", "BodyFeatures"))
            .AppendCacheCheckpoint(ml)
            .Append(
                ml.BinaryClassification.Trainers.SdcaLogisticRegression(
                    new SdcaLogisticRegressionBinaryTrainer.Options
                    {
                        LabelColumnName = nameof(SpamRow.Label),
                        FeatureColumnName = "Features",
                        L2Regularization = options.L2Regularization,
                        MaximumNumberOfIterations = options.Iterations,
                        NumberOfThreads = 1,
                    }
                )
            );
        var model = pipeline.Fit(data);
        return new SpamModel(ml, model, new SpamModelInfo(version, rows.Count, spam, options));
    }

    /// <summary>A new model with the same pipeline and options, trained on <paramref name="examples"/> (e.g. v2 on production labels).</summary>
    public SpamModel Retrain(IEnumerable<SpamExample> examples, string version) =>
        Train(examples, version, Info.Options);

    /// <summary>The probability that <paramref name="message"/> is spam. Thread-safe; for many messages <see cref="ScoreAll"/> is faster.</summary>
    public double Score(SpamMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var row = SpamRow.From(SpamExample.From(message), Info.Options.MaxBodyChars);
        lock (_engineLock)
        {
            _engine ??= _ml.Model.CreatePredictionEngine<SpamRow, SpamScore>(_model);
            return _engine.Predict(row).Probability;
        }
    }

    /// <summary>The probability of spam for each message, in order, in one batch.</summary>
    public double[] ScoreAll(IEnumerable<SpamMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var rows = messages.Select(m => SpamRow.From(SpamExample.From(m), Info.Options.MaxBodyChars)).ToList();
        var scored = _model.Transform(_ml.Data.LoadFromEnumerable(rows));
        return
        [
            .. _ml.Data.CreateEnumerable<SpamScore>(scored, reuseRowObject: true).Select(s => (double)s.Probability),
        ];
    }

    /// <summary>
    /// Saves the model as an ML.NET zip at <paramref name="path"/> and its <see cref="Info"/> beside it
    /// (the same name with <c>.json</c>).
    /// </summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<SpamRow>()).Schema;
        _ml.Model.Save(_model, schema, path);
        File.WriteAllText(InfoPath(path), JsonSerializer.Serialize(Info, SpamModelJson.Default.SpamModelInfo));
    }

    /// <summary>Loads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">The zip or its <c>.json</c> is missing.</exception>
    public static SpamModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var info = JsonSerializer.Deserialize(File.ReadAllText(InfoPath(path)), SpamModelJson.Default.SpamModelInfo)
            ?? throw new InvalidDataException($"{InfoPath(path)} holds no model information");
        var ml = new MLContext(seed: info.Options.Seed);
        var model = ml.Model.Load(path, out _);
        return new SpamModel(ml, model, info);
    }

    /// <summary>Where <see cref="Save"/> keeps the information beside a model.</summary>
    public static string InfoPath(string path) => Path.ChangeExtension(path, ".json");

    /// <summary>The row ML.NET reads.</summary>
    internal sealed class SpamRow
    {
        public string Subject { get; set; } = "";

        public string Body { get; set; } = "";

        public bool Label { get; set; }

        public static SpamRow From(SpamExample example, int maxBodyChars) =>
            new()
            {
                Subject = example.Subject,
                Body = example.Body.Length > maxBodyChars ? example.Body[..maxBodyChars] : example.Body,
                Label = example.IsSpam,
            };
    }

    /// <summary>The column ML.NET writes.</summary>
    internal sealed class SpamScore
    {
        [ColumnName("Probability")]
        public float Probability { get; set; }
    }
}
