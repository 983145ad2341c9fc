using Crl.Jobs.Sweeps;
using Crl.Web.Queries;

namespace Crl.Web.Apis;

/// <summary>
/// <c>/api/presets</c>: the paper's experiments (<see cref="PaperPresets"/>), each with the sweep it launches and
/// what that costs here; <c>POST /api/sweeps</c> with <c>"preset": "&lt;id&gt;"</c> launches one.
/// </summary>
public static class PresetsApi
{
    /// <param name="Runs">Runs the preset queues without overrides.</param>
    /// <param name="TotalFlops">Matrix-product FLOPs of all its runs.</param>
    /// <param name="TrainingHours">Those FLOPs at the rate finished runs reached here; null before any has finished.</param>
    /// <param name="WallClockHours">The same drained by the live worker slots; null without a rate or a worker.</param>
    /// <param name="PeakMemoryBytes">Predicted peak memory of one update of its most demanding run (parameters, Adam state, activations).</param>
    /// <param name="MemoryWarning">Set when some runs will not fit the largest device the live workers report.</param>
    public sealed record PresetSummary(string Id, string Title, string Reproduces, string Description, SweepRequest Request,
        int Runs, long TotalEnvSteps, double TotalFlops, double? TrainingHours, double? WallClockHours,
        double PeakMemoryBytes, string? MemoryWarning);

    public static IEndpointRouteBuilder MapPresetsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/presets", async (ThroughputMeter throughput, WorkersQuery workers, CancellationToken ct) =>
        {
            var rate = await throughput.MeasureAsync(ct);
            var slots = workers.LiveSlots();
            var devices = workers.LiveDevices();
            return TypedResults.Ok(PaperPresets.All.Select(p =>
            {
                var plan = SweepPlanner.Plan(p.Request);
                var estimate = ComputeEstimate.Of(plan, rate, slots, devices);
                return new PresetSummary(p.Id, p.Title, p.Reproduces, p.Description, p.Request, plan.Runs.Count, plan.TotalEnvSteps,
                    estimate.TotalFlops, estimate.TrainingTime?.TotalHours, estimate.WallClock?.TotalHours,
                    estimate.LargestPeakMemoryBytes, estimate.MemoryWarning?.Message);
            }).ToList());
        }).WithTags("Presets");
        return endpoints;
    }
}
