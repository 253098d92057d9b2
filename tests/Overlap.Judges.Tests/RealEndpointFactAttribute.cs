namespace Overlap.Judges.Tests;

/// <summary>A fact that runs only when OVERLAP_JUDGE_ENDPOINT names a real OpenAI-compatible endpoint.</summary>
public sealed class RealEndpointFactAttribute : FactAttribute
{
    public RealEndpointFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OVERLAP_JUDGE_ENDPOINT")))
        {
            Skip =
                "OVERLAP_JUDGE_ENDPOINT is not set: no real judge endpoint to run against "
                + "(set it, OVERLAP_JUDGE_MODEL and optionally OVERLAP_JUDGE_KEY to run this test).";
        }
    }
}
