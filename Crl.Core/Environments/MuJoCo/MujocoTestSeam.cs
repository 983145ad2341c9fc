using System.Runtime.CompilerServices;

// Tests reach the native layer (library loading by name, raw mjData access) without widening the public API.
[assembly: InternalsVisibleTo("Crl.Tests")]
