using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Overlap.Core.Evaluation;
using Overlap.Core.Reports;

namespace Overlap.Core.Tests.Reports;

public sealed partial class HtmlReportTests
{
    [Fact]
    public void Write_BinaryEvaluation_IsWellFormedAndShowsTheVerdict()
    {
        var report = SampleReports.Binary();
        var doc = Parse(HtmlReport.Write(report));

        Assert.Equal("html", doc.Root!.Name.LocalName);
        var h1 = doc.Descendants("h1").Single();
        Assert.Equal("spam-filter", h1.Value);
        var badge = doc.Descendants("span").Single(e => Classes(e).Contains("badge"));
        Assert.Equal(VerdictText.Headline(report.Verdict), badge.Value);
        Assert.Contains(VerdictText.Word(report.Verdict), Classes(badge));
        foreach (var statement in report.Statements)
        {
            Assert.Contains(doc.Descendants("li"), li => li.Value == statement);
        }
    }

    [Fact]
    public void Write_BinaryEvaluation_HasARowPerRequirementWithItsBarAndVerdict()
    {
        var report = SampleReports.Binary();
        var doc = Parse(HtmlReport.Write(report));

        var rows = doc.Descendants("table")
            .Single(t => Classes(t).Contains("req"))
            .Element("tbody")!
            .Elements("tr")
            .ToList();
        Assert.Equal(report.Requirements.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var q = report.Requirements[i];
            Assert.Contains(VerdictText.Bar(q), rows[i].Value, StringComparison.Ordinal);
            Assert.Contains(rows[i].Descendants("span"), s =>
                Classes(s).Contains("pill") && s.Value == VerdictText.Word(q.Verdict)
            );
            if (q.MoreExamplesNeeded is { } more)
            {
                Assert.Contains(
                    $"About {more:#,0} more labelled examples would settle it.",
                    rows[i].Value,
                    StringComparison.Ordinal
                );
            }
        }
        Assert.Contains(report.Requirements, q =>
            q.Verdict == Verdict.Inconclusive && q.MoreExamplesNeeded is not null
        );
    }

    [Fact]
    public void Write_BinaryEvaluation_DrawsEveryChartAndEverySegment()
    {
        var report = SampleReports.Binary();
        var doc = Parse(HtmlReport.Write(report));

        var charts = doc.Descendants("svg").Select(s => s.Element("title")?.Value ?? string.Empty).ToList();
        Assert.Contains("ROC curve: recall against false positive rate", charts);
        Assert.Contains("Precision against recall", charts);
        Assert.Contains("Reliability diagram: observed share against mean score", charts);
        Assert.Contains("Expected cost per 1,000 decisions by threshold", charts);
        Assert.Contains("Precision, recall and false positive rate by threshold", charts);
        Assert.Contains("recall by sender_tld", charts);

        var segmentSection = doc.Descendants("section").Single(s => (string?)s.Attribute("id") == "segments");
        var labels = segmentSection
            .Descendants("text")
            .SelectMany(t => new[] { OwnText(t), t.Element("title")?.Value })
            .ToHashSet();
        foreach (var tld in SampleReports.Tlds)
        {
            Assert.Contains(tld, labels);
        }
        Assert.NotNull(doc.Descendants("table").SingleOrDefault(t => Classes(t).Contains("binary")));
        Assert.NotNull(doc.Descendants("section").SingleOrDefault(s => (string?)s.Attribute("id") == "comparison"));
    }

    [Fact]
    public void Write_UndefinedFigure_SaysItIsNotMeasurableNotNaN()
    {
        var html = HtmlReport.Write(SampleReports.Binary());
        var row = Parse(html).Descendants("tr").Single(tr => tr.Elements("td").FirstOrDefault()?.Value == "log loss");

        Assert.Equal("not measurable", row.Elements("td").ElementAt(1).Value);
        Assert.Equal("no interval on this data", row.Elements("td").ElementAt(2).Value);
        Assert.DoesNotContain("NaN", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_HostileFeatureName_IsEscaped()
    {
        var html = HtmlReport.Write(SampleReports.Binary(SampleReports.HostileFeature));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>edu</b>", html, StringComparison.Ordinal);
        Assert.Equal(SampleReports.HostileFeature, Parse(html).Descendants("h1").Single().Value);
    }

    [Fact]
    public void Write_AnyReport_ReferencesNothingOutsideTheFile()
    {
        string[] pages =
        [
            HtmlReport.Write(SampleReports.Binary()),
            HtmlReport.Write(SampleReports.Multiclass()),
            HtmlReport.Write(SampleReports.Regression()),
            HtmlReport.Write(SampleReports.Drift()),
        ];
        foreach (var html in pages)
        {
            Assert.DoesNotMatch(ExternalReference(), html);
            Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
            var doc = Parse(html);
            Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName is "script" or "link" or "img" or "iframe");
        }
    }

    [Fact]
    public void Write_MulticlassEvaluation_ShowsTheMatrixAndPerClassFigures()
    {
        var report = SampleReports.Multiclass();
        var doc = Parse(HtmlReport.Write(report));

        var matrix = doc.Descendants("table").Single(t => Classes(t).Contains("matrix"));
        Assert.Equal(report.Classes!.Count + 1, matrix.Elements("tr").Count());
        Assert.Equal(report.Classes, matrix.Elements("tr").First().Elements("th").Skip(1).Select(th => th.Value));
        var perClass = doc.Descendants("table").Last();
        foreach (var cls in report.Classes)
        {
            Assert.Contains(perClass.Descendants("td"), td => td.Value == cls);
        }
        Assert.Equal(
            report.Requirements.Count,
            doc.Descendants("table").Single(t => Classes(t).Contains("req")).Element("tbody")!.Elements("tr").Count()
        );
        Assert.Contains(
            "About 41,000 more labelled examples would settle it.",
            doc.Root!.Value,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain(doc.Descendants("svg"), s =>
            s.Element("title")?.Value.StartsWith("ROC", StringComparison.Ordinal) == true
        );
        Assert.Contains(doc.Descendants("svg"), s => s.Element("title")?.Value == "accuracy by channel");
    }

    [Fact]
    public void Write_RegressionEvaluation_RendersOnlyWhatExists()
    {
        var report = SampleReports.Regression();
        var doc = Parse(HtmlReport.Write(report));

        Assert.DoesNotContain(doc.Descendants("table"), t => Classes(t).Contains("matrix"));
        Assert.Null(
            doc.Descendants("section")
                .SingleOrDefault(s => (string?)s.Attribute("id") is "curves" or "threshold" or "comparison")
        );
        Assert.Equal("FAIL", doc.Descendants("span").Single(e => Classes(e).Contains("badge")).Value);
        var labels = doc.Descendants("text").Select(OwnText).ToHashSet();
        foreach (var region in report.Segments["region"].Keys)
        {
            Assert.Contains(region, labels);
        }
        Assert.Contains(doc.Descendants("svg"), s => s.Element("title")?.Value == "mae by region");
    }

    [Fact]
    public void Write_DriftReport_ShowsEveryColumnSchemaChangeAndDistribution()
    {
        var report = SampleReports.Drift(SampleReports.HostileFeature);
        var html = HtmlReport.Write(report);
        var doc = Parse(html);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(SampleReports.HostileFeature, doc.Descendants("h1").Single().Value);
        Assert.Equal("DRIFT DETECTED", doc.Descendants("span").Single(e => Classes(e).Contains("badge")).Value);
        var rows = doc.Descendants("section")
            .Single(s => (string?)s.Attribute("id") == "columns")
            .Descendants("tbody")
            .Single()
            .Elements("tr")
            .ToList();
        Assert.Equal(report.Columns.Select(c => c.Column), rows.Select(r => r.Elements("td").First().Value));
        Assert.Equal(
            report.Columns.Select(c => c.Drift ? "drifted" : "stable"),
            rows.Select(r => r.Elements("td").Last().Value)
        );
        Assert.Contains(rows, r => r.Elements("td").ElementAt(4).Value == "< 0.0001");
        var changes = doc.Descendants("ul").Single(u => Classes(u).Contains("changes")).Elements("li").ToList();
        Assert.Equal(report.Schema.Count, changes.Count);
        Assert.Contains(changes, li => li.Value.Contains("<PT>", StringComparison.Ordinal));

        var charted = report.Columns.Where(c => c.Distribution is not null).ToList();
        var distributions = doc.Descendants("section")
            .Single(s => (string?)s.Attribute("id") == "distributions")
            .Descendants("svg")
            .ToList();
        Assert.Equal(charted.Count, distributions.Count);
        Assert.Contains("16 smaller categories not shown", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_DriftWithoutDrift_SaysSoCalmly()
    {
        var report = SampleReports.Drift(null) with
        {
            DatasetDrift = false,
            DriftedShare = 0,
            Columns = [],
            Schema = [],
        };
        var doc = Parse(HtmlReport.Write(report));

        Assert.Equal("NO DATASET DRIFT", doc.Descendants("span").Single(e => Classes(e).Contains("badge")).Value);
        Assert.Contains(doc.Descendants("p"), p => p.Value == "No column was tested.");
    }

    /// <summary>
    /// Renders the binary and drift pages in headless Chromium and checks the screenshots are real images
    /// with content: valid PNGs of the requested size whose pixels are far from uniform. Fails (not skips)
    /// without a browser: scripts/test.sh installs one on Debian.
    /// </summary>
    [Fact]
    public void Write_Reports_RenderInHeadlessChromium()
    {
        var browser = FindBrowser()
            ?? throw new InvalidOperationException(
                "Neither chromium nor chromium-browser is on PATH; the HTML report's browser test needs one (Debian: apt-get install -y chromium; scripts/test.sh does this)."
            );
        var dir = Directory.CreateTempSubdirectory("overlap-html-");
        try
        {
            var pages = new Dictionary<string, string>
            {
                ["binary"] = HtmlReport.Write(SampleReports.Binary()),
                ["drift"] = HtmlReport.Write(SampleReports.Drift()),
            };
            foreach (var (name, html) in pages)
            {
                var page = Path.Combine(dir.FullName, name + ".html");
                File.WriteAllText(page, html);
                var png = Path.Combine(dir.FullName, name + ".png");
                Screenshot(browser, page, png, dir.FullName);

                var (width, height, spread) = Inspect(png);
                Assert.Equal((1280, 2400), (width, height));
                Assert.True(
                    spread > 0.05,
                    $"{name}: the screenshot is nearly uniform (only {spread:P1} of rows differ from the first), so the page did not render"
                );
            }
            if (Environment.GetEnvironmentVariable("OVERLAP_HTML_OUT") is { Length: > 0 } keep)
            {
                Directory.CreateDirectory(keep);
                File.WriteAllText(Path.Combine(keep, "multiclass.html"), HtmlReport.Write(SampleReports.Multiclass()));
                File.WriteAllText(Path.Combine(keep, "regression.html"), HtmlReport.Write(SampleReports.Regression()));
                foreach (var file in dir.EnumerateFiles("*.*").Where(f => f.Extension is ".html" or ".png"))
                {
                    file.CopyTo(Path.Combine(keep, file.Name), overwrite: true);
                }
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string? FindBrowser()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var name in new[] { "chromium", "chromium-browser" })
        {
            foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static void Screenshot(string browser, string page, string png, string work)
    {
        var start = new ProcessStartInfo(browser)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (
            var arg in new[]
            {
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--hide-scrollbars",
                $"--user-data-dir={Path.Combine(work, "profile")}",
                $"--screenshot={png}",
                "--window-size=1280,2400",
                new Uri(page).AbsoluteUri,
            }
        )
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{browser} took longer than two minutes to screenshot {page}");
        }
        Assert.True(File.Exists(png), $"{browser} wrote no screenshot (exit {process.ExitCode}): {stderr.Result}");
    }

    /// <summary>Width, height and the share of pixel rows that differ from the first row (0 for a blank page).</summary>
    private static (int Width, int Height, double Spread) Inspect(string png)
    {
        var bytes = File.ReadAllBytes(png);
        Assert.True(
            bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }),
            "not a PNG signature"
        );
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        var width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
        var height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
        var (depth, colour, interlace) = (bytes[24], bytes[25], bytes[28]);
        Assert.Equal(8, depth);
        Assert.Equal(0, interlace);
        var channels = colour switch
        {
            2 => 3,
            6 => 4,
            0 => 1,
            4 => 2,
            _ => throw new InvalidDataException($"PNG colour type {colour}"),
        };

        using var idat = new MemoryStream();
        for (var at = 8; at < bytes.Length; )
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            if (System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4) == "IDAT")
            {
                idat.Write(bytes, at + 8, length);
            }
            at += 12 + length;
        }
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var stride = width * channels;
        var previous = new byte[stride];
        var current = new byte[stride];
        var first = new byte[stride];
        var differing = 0;
        for (var y = 0; y < height; y++)
        {
            var filter = z.ReadByte();
            z.ReadExactly(current);
            Unfilter(filter, current, previous, channels);
            if (y == 0)
            {
                current.CopyTo(first, 0);
            }
            else if (!current.AsSpan().SequenceEqual(first))
            {
                differing++;
            }
            (previous, current) = (current, previous);
        }
        return (width, height, (double)differing / height);
    }

    private static void Unfilter(int filter, byte[] row, byte[] above, int bpp)
    {
        for (var i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0,
                b = above[i],
                c = i >= bpp ? above[i - bpp] : 0;
            row[i] = (byte)(
                row[i]
                + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                }
            );
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a
            : pb <= pc ? b
            : c;
    }

    private static XDocument Parse(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        using var reader = XmlReader.Create(
            new StringReader(html),
            new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore }
        );
        return XDocument.Load(reader);
    }

    private static string OwnText(XElement e) => string.Concat(e.Nodes().OfType<XText>().Select(t => t.Value));

    private static string[] Classes(XElement e) =>
        ((string?)e.Attribute("class") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex("""(?:src|href|xlink:href)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
