using Overlap.Demo;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await DemoProgram.RunAsync(args, Console.Out, Console.Error, cancel.Token);
