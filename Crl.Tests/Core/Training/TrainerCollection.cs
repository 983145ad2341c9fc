using Xunit;

namespace Crl.Tests.Core.Training;

/// <summary>
/// Trainers seed libtorch's process-wide generator, so tests that compare runs value for value must not overlap with
/// any other test that draws from it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainerCollection
{
    public const string Name = "CRL trainer (global torch generator)";
}
