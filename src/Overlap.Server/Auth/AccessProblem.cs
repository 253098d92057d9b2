namespace Overlap.Server.Auth;

/// <summary>Why an admin's change to keys or users was refused: the HTTP status it maps to, a title and what to do.</summary>
internal sealed record AccessProblem(int Status, string Title, string Detail);
