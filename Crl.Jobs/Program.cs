using Crl.Core.Torch;
using Crl.Jobs.Cli;

// Before anything allocates: `train` and the worker's training processes (`execute`) run their updates on this heap.
NativeHeap.KeepFreedMemory();
return await CrlCommandLine.InvokeAsync(args);
