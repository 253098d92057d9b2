using BenchmarkDotNet.Running;
using Overlap.Benchmarks;

if (args is ["window", ..])
{
    return await WindowRun.RunAsync(args[1..]);
}
if (args is ["history", ..])
{
    return await HistoryRun.RunAsync(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
