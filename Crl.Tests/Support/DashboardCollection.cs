using Xunit;

namespace Crl.Tests.Support;

/// <summary>Tests that boot a <see cref="Crl.Benchmarks.Harness.RunningDashboard"/>: Hangfire keeps its storage in a process-wide static.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection
{
    public const string Name = "dashboard (Hangfire is process-wide)";
}
