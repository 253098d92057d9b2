using System.CommandLine;
using Overlap.Core.Contracts;

namespace Overlap.Cli.Commands;

/// <summary><c>overlap contract init|validate|explain</c>.</summary>
internal static class ContractCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("contract", "Draft a quality contract, check one, or read it out in plain English.");
        var validateFile = new Argument<string>("file") { Description = "The contract (overlap.yaml)." };
        var validate = new Command(
            "validate",
            "Check that a contract parses and makes sense; exit 0 when it does, 65 with every line to fix when not."
        )
        {
            validateFile,
        };
        validate.SetAction(parse =>
        {
            var path = parse.GetValue(validateFile)!;
            var contract = InputFiles.ReadContract(path);
            io.Out.WriteLine(
                $"{path}: valid contract for '{contract.Feature}' ({contract.Task.ToString().ToLowerInvariant()}, {contract.Requirements.Count} requirement{(contract.Requirements.Count == 1 ? string.Empty : "s")})"
            );
            return ExitCodes.Pass;
        });
        var explainFile = new Argument<string>("file") { Description = "The contract (overlap.yaml)." };
        var explain = new Command("explain", "Print the contract as plain English for a stakeholder.") { explainFile };
        explain.SetAction(parse =>
        {
            var contract = InputFiles.ReadContract(parse.GetValue(explainFile)!);
            io.Out.Write(ContractExplainer.Explain(contract));
            return ExitCodes.Pass;
        });
        command.Subcommands.Add(ContractInitCommand.Create(io));
        command.Subcommands.Add(validate);
        command.Subcommands.Add(explain);
        return command;
    }
}
