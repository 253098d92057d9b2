using System.IO.Compression;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Provenance;

namespace Overlap.Cli;

/// <summary>Opens the files a command names, turning every way they can be missing or unreadable into a clear error.</summary>
internal static class InputFiles
{
    public static Contract ReadContract(string path)
    {
        var text = ReadText(path, "contract");
        if (string.IsNullOrWhiteSpace(text))
        {
            // Core refuses an empty contract in words any caller understands; here the command that drafts one can be named.
            throw new ContractException(
                path,
                0,
                "the contract is empty; draft one from your data with 'overlap contract init --data scored.csv' (it writes overlap.yaml), or start from the example in docs/contract.md"
            );
        }
        return ContractParser.Parse(text, path);
    }

    public static string ReadText(string path, string what)
    {
        EnsureReadable(path, what);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserException(ExitCodes.NoInput, $"cannot read the {what} {path}: {e.Message}");
        }
    }

    public static Table ReadTable(string path, TableReadOptions options, string what = "data file")
    {
        EnsureReadable(path, what);
        var format = DataFormats.FromFileName(path)
            ?? throw new UserException(
                ExitCodes.Usage,
                $"cannot tell the format of {path} from its name; use a .csv, .jsonl or .parquet file (optionally .gz)"
            );
        try
        {
            using var file = File.OpenRead(path);
            if (file.Length == 0)
            {
                throw new DataException($"{path} is empty (0 bytes); point --data at the scored examples");
            }
            using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(file, CompressionMode.Decompress)
                : file;
            return TableReader.Read(stream, format, options);
        }
        catch (InvalidDataException e)
        {
            throw new DataException(
                $"{path} is not valid gzip ({e.Message.TrimEnd('.')}); decompress it or compress it again"
            );
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserException(ExitCodes.NoInput, $"cannot read the {what} {path}: {e.Message}");
        }
    }

    /// <summary>A data file's name, SHA-256 and rows, for the report's provenance.</summary>
    public static DataFileProvenance Describe(string role, string path, long rows) =>
        new(role, Path.GetFileName(path), Sha256(path, $"{role} file"), rows);

    /// <summary>SHA-256 of a file's bytes as stored.</summary>
    public static string Sha256(string path, string what)
    {
        try
        {
            using var file = File.OpenRead(path);
            return ProvenanceFacts.Sha256(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserException(ExitCodes.NoInput, $"cannot read the {what} {path}: {e.Message}");
        }
    }

    private static void EnsureReadable(string path, string what)
    {
        if (Directory.Exists(path))
        {
            throw new UserException(ExitCodes.NoInput, $"the {what} {path} is a folder; name a file");
        }
        if (!File.Exists(path))
        {
            throw new UserException(
                ExitCodes.NoInput,
                $"the {what} {path} does not exist; check the path (the current folder is {Environment.CurrentDirectory})"
            );
        }
    }
}
