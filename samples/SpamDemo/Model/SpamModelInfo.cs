namespace Overlap.Demo.Model;

/// <summary>What is kept beside a saved model (<c>&lt;name&gt;.json</c> next to <c>&lt;name&gt;.zip</c>).</summary>
/// <param name="Version">The model's version, e.g. <c>v1</c>.</param>
/// <param name="Examples">How many examples it was trained on.</param>
/// <param name="SpamExamples">How many of them were spam.</param>
/// <param name="Options">The training options, so a retrain repeats them.</param>
public sealed record SpamModelInfo(string Version, int Examples, int SpamExamples, SpamModelOptions Options);
