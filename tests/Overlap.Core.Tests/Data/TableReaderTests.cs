using System.Globalization;
using System.Text;
using Overlap.Core.Data;
using Parquet.Serialization;

namespace Overlap.Core.Tests.Data;

public sealed class TableReaderTests
{
    private static Table Csv(string text, TableReadOptions? options = null) =>
        TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(text)),
            DataFormat.Csv,
            options ?? new TableReadOptions { Source = "t.csv" }
        );

    private static Table Jsonl(string text, TableReadOptions? options = null) =>
        TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(text)),
            DataFormat.JsonLines,
            options ?? new TableReadOptions { Source = "t.jsonl" }
        );

    [Fact]
    public void Csv_QuotedFieldsWithSeparatorsQuotesAndNewlines_AreReadAsOneValue()
    {
        var table = Csv("id,text,score\r\n1,\"a, b\",0.5\r\n2,\"say \"\"hi\"\"\",0.25\r\n3,\"two\nlines\",1\r\n");
        Assert.Equal(3, table.RowCount);
        var text = (CategoricalColumn)table.Find("text")!;
        Assert.Equal("a, b", text.Text(0));
        Assert.Equal("say \"hi\"", text.Text(1));
        Assert.Equal("two\nlines", text.Text(2));
        var score = (NumericColumn)table.Find("score")!;
        Assert.Equal([0.5, 0.25, 1.0], score.Values.ToArray());
    }

    [Fact]
    public void Csv_ByteOrderMarkAndMissingTokens_AreHandled()
    {
        var table = Csv("\uFEFFa,b\n1,x\nNA,\n3,null\n");
        Assert.True(table.Has("a"));
        var a = (NumericColumn)table.Find("a")!;
        Assert.True(double.IsNaN(a.Values[1]));
        Assert.Equal(1, a.MissingCount);
        var b = (CategoricalColumn)table.Find("b")!;
        Assert.Equal(2, b.MissingCount);
        Assert.Equal(["x"], b.Categories);
    }

    [Fact]
    public void Csv_ColumnTurningTextHalfway_BecomesCategoricalKeepingEarlierValues()
    {
        var table = Csv("v\n1\n2.5\nabc\n1\n");
        var v = Assert.IsType<CategoricalColumn>(table.Find("v"));
        Assert.Equal(["1", "2.5", "abc", "1"], Enumerable.Range(0, 4).Select(v.Text));
        Assert.Equal(3, v.Categories.Count);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(65536)]
    public void Csv_LargeFileArrivingInPieces_IsReadExactlyAsWritten(int chunk)
    {
        // Several times the reader's 1 MiB block, through a stream that cannot seek and hands out `chunk` bytes at a
        // time: quoted separators, doubled quotes and newlines at every offset, CRLF and LF, one field longer than a
        // block, and more short categories than the reader remembers by their bytes.
        var random = new Random(11);
        var csv = new StringBuilder("id,text,score,kind\n");
        var texts = new List<string>();
        var scores = new List<double>();
        var kinds = new List<string>();
        for (var i = 0; i < 30000; i++)
        {
            var text = (i % 5) switch
            {
                0 => $"plain {i}",
                1 => $"a, \"b\" {i}",
                2 => $"line\nbreak {i}",
                3 => i == 12003 ? new string('x', 1_500_000) : string.Empty,
                _ => new string((char)('a' + (i % 26)), random.Next(1, 300)),
            };
            var score = Math.Round(random.NextDouble(), random.Next(1, 9));
            var kind = $"k{random.Next(0, 3000)}";
            texts.Add(text);
            scores.Add(score);
            kinds.Add(kind);
            var quoted =
                text.IndexOfAny([',', '"', '\n']) >= 0 || i % 7 == 0
                    ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
                    : text;
            csv.Append(CultureInfo.InvariantCulture, $"{i},{quoted},{score:R},{kind}")
                .Append(i % 2 == 0 ? "\r\n" : "\n");
        }
        var table = TableReader.Read(
            new TrickleStream(Encoding.UTF8.GetBytes(csv.ToString()), chunk),
            DataFormat.Csv,
            new TableReadOptions { Source = "big.csv" }
        );
        Assert.Equal(texts.Count, table.RowCount);
        var textColumn = table.Find("text")!;
        var scoreColumn = (NumericColumn)table.Find("score")!;
        var kindColumn = (CategoricalColumn)table.Find("kind")!;
        for (var i = 0; i < texts.Count; i++)
        {
            Assert.Equal(texts[i].Length == 0 ? null : texts[i], textColumn.Text(i));
            Assert.Equal(scores[i], scoreColumn.Values[i]);
            Assert.Equal(kinds[i], kindColumn.Text(i));
        }
        Assert.Equal(kinds.Distinct().Count(), kindColumn.Categories.Count);
    }

    [Fact]
    public void Csv_LineNumbers_CountNewlinesInsideQuotes()
    {
        var e = Assert.Throws<DataException>(() => Csv("a,b\n1,\"x\ny\"\n\n3\n"));
        Assert.StartsWith("t.csv, line 5: 1 fields where the header has 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_Utf16_IsRefusedWithWhatToDo()
    {
        var e = Assert.Throws<DataException>(() =>
            TableReader.Read(
                new MemoryStream(
                    Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("a,b\n1,2\n")).ToArray()
                ),
                DataFormat.Csv,
                new TableReadOptions { Source = "t.csv" }
            )
        );
        Assert.Equal("t.csv is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8) and run again", e.Message);
    }

    [Fact]
    public void Csv_LastRowWithoutNewlineAndTabSeparator_AreRead()
    {
        var table = Csv("a\tb\n1\t\"x\"\n2\ty");
        Assert.Equal(2, table.RowCount);
        Assert.Equal(["x", "y"], Enumerable.Range(0, 2).Select(table.Find("b")!.Text));
    }

    /// <summary>A stream that cannot seek and returns at most a few bytes per read, as a pipe may.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, chunk), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public void Csv_WrongFieldCount_NamesTheLine()
    {
        var e = Assert.Throws<DataException>(() => Csv("a,b\n1,2\n3\n"));
        Assert.Equal(
            "t.csv, line 3: 1 fields where the header has 2; quote values that contain ',' and check the row is complete",
            e.Message
        );
    }

    [Fact]
    public void Csv_UnknownColumn_SuggestsTheNearestName()
    {
        var e = Assert.Throws<DataException>(() =>
            Csv("p_spam,label\n0.1,1\n", new TableReadOptions { Source = "t.csv", Columns = ["p_spma", "label"] })
        );
        Assert.Equal(
            "t.csv: no column named 'p_spma' (did you mean 'p_spam'?); the columns are: p_spam, label; rename the column or fix the contract",
            e.Message
        );
    }

    [Fact]
    public void Csv_ScoreOutOfRangeOrText_IsRefusedWithItsLine()
    {
        var rules = new Dictionary<string, ColumnRule>
        {
            ["s"] = new(ColumnKind.Numeric, Required: true, Min: 0, Max: 1, Role: "score"),
        };
        var options = new TableReadOptions { Source = "t.csv", Rules = rules };
        var range = Assert.Throws<DataException>(() => Csv("s\n0.5\n1.5\n", options));
        Assert.Equal(
            "t.csv, line 3: 1.5 is out of range; the score (column 's') must be between 0 to 1",
            range.Message
        );
        var text = Assert.Throws<DataException>(() => Csv("s\n0.5\nhigh\n", options));
        Assert.Equal("t.csv, line 3: 'high' is not a number; the score (column 's') must be numeric", text.Message);
        var missing = Assert.Throws<DataException>(() =>
            Csv(
                "s,t\n0.5,a\n,b\n",
                new TableReadOptions
                {
                    Source = "t.csv",
                    Rules = rules,
                    Columns = ["s"],
                }
            )
        );
        Assert.Contains("line 3: the score (column 's') is missing", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_EmptyOrHeaderOnly_SaysWhatIsMissing()
    {
        Assert.Contains(
            "is empty",
            Assert.Throws<DataException>(() => Csv(string.Empty)).Message,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "has a header but no rows",
            Assert.Throws<DataException>(() => Csv("a,b\n")).Message,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "appears twice",
            Assert.Throws<DataException>(() => Csv("a,a\n1,2\n")).Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void JsonLines_KeysVaryingByLine_FillMissingValues()
    {
        var table = Jsonl(
            "{\"a\": 1, \"b\": \"x\"}\n{\"b\": \"y\", \"c\": true}\n\n{\"a\": 3.5, \"d\": {\"k\": [1]}}\n"
        );
        Assert.Equal(3, table.RowCount);
        var a = (NumericColumn)table.Find("a")!;
        Assert.Equal(1, a.Values[0]);
        Assert.True(double.IsNaN(a.Values[1]));
        Assert.Equal(3.5, a.Values[2]);
        Assert.Equal("true", table.Find("c")!.Text(1));
        Assert.Null(table.Find("c")!.Text(0));
        Assert.Equal("{\"k\": [1]}", table.Find("d")!.Text(2));
    }

    [Fact]
    public void JsonLines_BrokenLine_NamesTheLine()
    {
        var e = Assert.Throws<DataException>(() => Jsonl("{\"a\": 1}\n{\"a\": \n"));
        Assert.StartsWith("t.jsonl, line 2: not valid JSON", e.Message, StringComparison.Ordinal);
        var notObject = Assert.Throws<DataException>(() => Jsonl("[1,2]\n"));
        Assert.StartsWith("t.jsonl, line 1: expected a JSON object", notObject.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parquet_NumbersStringsAndNulls_ReadBack()
    {
        var rows = Enumerable
            .Range(0, 2500)
            .Select(i => new Row
            {
                Id = i,
                Score = i / 2500.0,
                Segment = i % 3 == 0 ? null : "s" + (i % 3),
                Flag = i % 2 == 0,
            })
            .ToList();
        using var stream = new MemoryStream();
        await ParquetSerializer.SerializeAsync(rows, stream, new Parquet.ParquetOptions { RowGroupSize = 1000 });
        stream.Position = 0;
        var table = TableReader.Read(stream, DataFormat.Parquet, new TableReadOptions { Source = "t.parquet" });
        Assert.Equal(2500, table.RowCount);
        var score = Assert.IsType<NumericColumn>(table.Find("Score"));
        Assert.Equal(1234 / 2500.0, score.Values[1234]);
        var segment = Assert.IsType<CategoricalColumn>(table.Find("Segment"));
        Assert.Equal(834, segment.MissingCount);
        Assert.Equal("s1", segment.Text(1));
        Assert.Equal("true", table.Find("Flag")!.Text(0));
        Assert.Equal(2499.0, ((NumericColumn)table.Find("Id")!).Values[2499]);
    }

    [Fact]
    public void Parquet_NotParquet_IsAClearError()
    {
        var e = Assert.Throws<DataException>(() =>
            TableReader.Read(
                new MemoryStream("a,b\n1,2\n"u8.ToArray()),
                DataFormat.Parquet,
                new TableReadOptions { Source = "x.parquet" }
            )
        );
        Assert.StartsWith("x.parquet is not a readable Parquet file", e.Message, StringComparison.Ordinal);
    }

    private sealed class Row
    {
        public int Id { get; set; }

        public double Score { get; set; }

        public string? Segment { get; set; }

        public bool Flag { get; set; }
    }
}
