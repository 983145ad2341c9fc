using Crl.Core.Environments;
using Crl.Core.Networks;
using FluentValidation;

namespace Crl.Jobs.Sweeps;

/// <summary>The grid-level rules of a sweep (issue 6 §2); each run's full config is then checked by CrlConfig itself.</summary>
public sealed class SweepRequestValidator : AbstractValidator<SweepRequest>
{
    public const int MaxRuns = 10_000;
    public const int MinWidth = 16, MaxWidth = 8192;
    public const int MinBatch = 16, MaxBatch = 65_536;

    public SweepRequestValidator()
    {
        RuleFor(s => s.Name).NotEmpty().WithMessage("name is required")
            .MaximumLength(200).WithMessage("name must be at most 200 characters");

        RuleFor(s => s.Envs).NotEmpty().WithMessage("envs must list at least one environment");
        RuleForEach(s => s.Envs).Must(BeKnown).WithMessage((_, id) => $"'{id}' is not an environment; known: {string.Join(", ", EnvRegistry.Ids)}")
            .Must(BeAvailable).WithMessage((_, id) => $"'{id}' is not available on this server: {Reason(id)}");

        RuleFor(s => s.Depths).NotEmpty().When(s => s.ActorDepths is null && s.CriticDepths is null)
            .WithMessage("depths (or actorDepths and criticDepths) must list at least one depth");
        RuleFor(s => s.Depths).Empty().When(s => s.ActorDepths is not null || s.CriticDepths is not null)
            .WithMessage("give either depths or actorDepths and criticDepths, not both");
        RuleFor(s => s.ActorDepths).NotEmpty().When(s => s.CriticDepths is not null).WithMessage("actorDepths must list at least one depth when criticDepths is given");
        RuleFor(s => s.CriticDepths).NotEmpty().When(s => s.ActorDepths is not null).WithMessage("criticDepths must list at least one depth when actorDepths is given");
        RuleForEach(s => s.Depths).Must(BeDepth).WithMessage(DepthMessage);
        RuleForEach(s => s.ActorDepths).Must(BeDepth).WithMessage(DepthMessage);
        RuleForEach(s => s.CriticDepths).Must(BeDepth).WithMessage(DepthMessage);

        RuleFor(s => s.Widths).NotEmpty().WithMessage("widths must list at least one width");
        RuleForEach(s => s.Widths).InclusiveBetween(MinWidth, MaxWidth).WithMessage((_, w) => $"width must be in [{MinWidth}, {MaxWidth}]; got {w}");
        RuleFor(s => s.BatchSizes).NotEmpty().WithMessage("batchSizes must list at least one batch size");
        RuleForEach(s => s.BatchSizes).InclusiveBetween(MinBatch, MaxBatch).WithMessage((_, b) => $"batch size must be in [{MinBatch}, {MaxBatch}]; got {b}");
        RuleFor(s => s.Seeds).NotEmpty().WithMessage("seeds must list at least one seed");
        RuleForEach(s => s.Seeds).GreaterThanOrEqualTo(0).WithMessage((_, seed) => $"seed must be ≥ 0; got {seed}");

        RuleFor(s => s).Must(s => RunCount(s) <= MaxRuns)
            .WithName("runs").OverridePropertyName("runs")
            .WithMessage(s => $"a sweep may hold at most {MaxRuns:N0} runs; this grid has {RunCount(s):N0}");
    }

    /// <summary>envs × depth pairs × widths × batch sizes × seeds (0 while an axis is missing).</summary>
    public static long RunCount(SweepRequest s)
    {
        long depthPairs = s.Depths is { Count: > 0 } d ? d.Count : (long)(s.ActorDepths?.Count ?? 0) * (s.CriticDepths?.Count ?? 0);
        return (long)(s.Envs?.Count ?? 0) * depthPairs * (s.Widths?.Count ?? 0) * (s.BatchSizes?.Count ?? 0) * (s.Seeds?.Count ?? 0);
    }

    private static bool BeKnown(string id) => EnvRegistry.TryGet(id, out _);
    private static bool BeAvailable(string id) => !EnvRegistry.TryGet(id, out var entry) || entry.Available;
    private static string Reason(string id) => EnvRegistry.TryGet(id, out var entry) ? entry.Reason : "";

    private static bool BeDepth(int depth) =>
        depth >= ResidualTrunk.MinDepth && depth <= ResidualTrunk.MaxDepth && depth % ResidualBlock.LayersPerBlock == 0;

    private static string DepthMessage(SweepRequest _, int depth) =>
        $"depth must be a multiple of {ResidualBlock.LayersPerBlock} in [{ResidualTrunk.MinDepth}, {ResidualTrunk.MaxDepth}]; got {depth}";
}
