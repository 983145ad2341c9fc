using System.Runtime.CompilerServices;

// Tests and the env benchmark's bare mj_step loop reach the native layer (library loading by name, raw mjData
// access) without widening the public API.
[assembly: InternalsVisibleTo("Crl.Tests")]
[assembly: InternalsVisibleTo("Crl.Benchmarks")]
