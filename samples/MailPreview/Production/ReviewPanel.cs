using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Overlap.Samples.MailPreview.Production;

/// <summary>One decision a scripted reviewer sent, as the server accepted it.</summary>
/// <param name="PredictionId">The output graded.</param>
/// <param name="Reviewer">Who graded it.</param>
/// <param name="Informative">The grade on <c>informative</c>.</param>
/// <param name="Clarity">The grade on <c>clarity</c> (1–5).</param>
/// <param name="Category">The failure category; null when the preview passed both criteria.</param>
internal sealed record ReviewerGrade(
    string PredictionId,
    string Reviewer,
    bool Informative,
    int Clarity,
    string? Category
);

/// <summary>
/// The scripted reviewers at work through the review API, as a person works the review page: list the pending items,
/// claim one, read its output and the email's subject from the item, grade the rubric by
/// <see cref="ScriptedReviewer"/>'s rule and file a failure category, and take turns, until the queue is empty.
/// </summary>
internal static class ReviewPanel
{
    /// <summary>
    /// Grades every item the contract's people sample sent to review but the newest <paramref name="leave"/>; returns
    /// the decisions made.
    /// </summary>
    public static async Task<IReadOnlyList<ReviewerGrade>> GradeAsync(
        Uri address,
        IReadOnlyList<(string Name, string Key)> reviewers,
        int leave,
        CancellationToken cancellationToken
    )
    {
        var clients = reviewers.Select(r => (r.Name, Http: ProductionRun.Http(address, r.Key))).ToList();
        try
        {
            var grades = new List<ReviewerGrade>();
            var path = $"/v1/features/{ProductionRun.Feature}/review";
            while (true)
            {
                using var queue = await ScenarioHttp
                    .GetJsonAsync(clients[0].Http, $"{path}?limit=500", cancellationToken)
                    .ConfigureAwait(false);
                var items = queue.RootElement.GetProperty("items");
                if (items.GetArrayLength() <= leave)
                {
                    return grades;
                }
                // Oldest first: the newest items are the ones left.
                foreach (var item in items.EnumerateArray().Take(items.GetArrayLength() - leave))
                {
                    var (name, http) = clients[grades.Count % clients.Count];
                    grades.Add(await DecideAsync(http, name, path, item, cancellationToken).ConfigureAwait(false));
                }
            }
        }
        finally
        {
            foreach (var (_, http) in clients)
            {
                http.Dispose();
            }
        }
    }

    private static async Task<ReviewerGrade> DecideAsync(
        HttpClient http,
        string reviewer,
        string path,
        JsonElement item,
        CancellationToken cancellationToken
    )
    {
        var id = item.GetProperty("prediction_id").GetString()!;
        var output = item.TryGetProperty("output", out var o) ? o.GetString() ?? "" : "";
        var subject = Subject(item);
        var itemPath = $"{path}/{Uri.EscapeDataString(id)}";
        using (var claim = await http.PostAsync($"{itemPath}/claim", null, cancellationToken).ConfigureAwait(false))
        {
            await ScenarioHttp.EnsureAsync(claim, $"claiming {id}", cancellationToken).ConfigureAwait(false);
        }
        var grade = new ReviewerGrade(
            id,
            reviewer,
            ScriptedReviewer.Informative(output, subject) == 1,
            ScriptedReviewer.Clarity(output),
            ScriptedReviewer.Category(output, subject)
        );
        var body = new JsonObject
        {
            ["grades"] = new JsonObject
            {
                ["informative"] = grade.Informative ? "pass" : "fail",
                ["clarity"] = grade.Clarity,
            },
            ["category"] = grade.Category,
        };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var decision = await http.PostAsync($"{itemPath}/decision", content, cancellationToken)
            .ConfigureAwait(false);
        await ScenarioHttp.EnsureAsync(decision, $"deciding {id}", cancellationToken).ConfigureAwait(false);
        return grade;
    }

    /// <summary>The email's subject, from the attributes the application sent with the call.</summary>
    private static string Subject(JsonElement item)
    {
        if (item.TryGetProperty("attributes", out var a) && a.GetString() is { } json)
        {
            using var attributes = JsonDocument.Parse(json);
            if (attributes.RootElement.TryGetProperty("subject", out var s))
            {
                return s.GetString() ?? "";
            }
        }
        return "";
    }
}
