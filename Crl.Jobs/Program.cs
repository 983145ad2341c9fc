using Crl.Jobs.Cli;

return await CrlCommandLine.InvokeAsync(args);
