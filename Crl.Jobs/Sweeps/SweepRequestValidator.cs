using Crl.Core.Environments;
using Crl.Core.Training;
using FluentValidation;

namespace Crl.Jobs.Sweeps;

/// <summary>
/// The grid-level rules of a sweep (issue 6 §2); each run's full config is then checked by CrlConfig itself. An axis
/// value must be allowed by every knob it sets, as CrlConfig declares them.
/// </summary>
public sealed class SweepRequestValidator : AbstractValidator<SweepRequest>
{
    public const int MaxRuns = 10_000;

    private static readonly Knob ActorDepth = CrlKnobs.Get(nameof(CrlConfig.ActorDepth)), CriticDepth = CrlKnobs.Get(nameof(CrlConfig.CriticDepth));
    private static readonly Knob ActorWidth = CrlKnobs.Get(nameof(CrlConfig.ActorWidth)), CriticWidth = CrlKnobs.Get(nameof(CrlConfig.CriticWidth));
    private static readonly Knob BatchSize = CrlKnobs.Get(nameof(CrlConfig.BatchSize)), Seed = CrlKnobs.Get(nameof(CrlConfig.Seed));

    public SweepRequestValidator()
    {
        RuleFor(s => s.Name).NotEmpty().WithMessage("name is required")
            .MaximumLength(200).WithMessage("name must be at most 200 characters")
            .Must(n => n is null || !n.Any(char.IsControl))
            .WithMessage((_, n) => $"name must not contain control characters (tabs, line breaks, NUL, escapes); found U+{(int)n!.First(char.IsControl):X4}");

        RuleFor(s => s.Envs).NotEmpty().WithMessage("envs must list at least one environment");
        RuleForEach(s => s.Envs).Must(BeKnown).WithMessage((_, id) => $"{Echo.Quoted(id)} is not an environment; known: {string.Join(", ", EnvRegistry.Ids)}")
            .Must(BeAvailable).WithMessage((_, id) => $"{Echo.Quoted(id)} is not available on this server: {Reason(id)}");

        RuleFor(s => s.Depths).NotEmpty().When(s => s.ActorDepths is null && s.CriticDepths is null)
            .WithMessage("depths (or actorDepths and criticDepths) must list at least one depth");
        RuleFor(s => s.Depths).Empty().When(s => s.ActorDepths is not null || s.CriticDepths is not null)
            .WithMessage("give either depths or actorDepths and criticDepths, not both");
        RuleFor(s => s.ActorDepths).NotEmpty().When(s => s.CriticDepths is not null).WithMessage("actorDepths must list at least one depth when criticDepths is given");
        RuleFor(s => s.CriticDepths).NotEmpty().When(s => s.ActorDepths is not null).WithMessage("criticDepths must list at least one depth when actorDepths is given");
        Axis(RuleForEach(s => s.Depths), "depth", ActorDepth, CriticDepth);
        Axis(RuleForEach(s => s.ActorDepths), "depth", ActorDepth);
        Axis(RuleForEach(s => s.CriticDepths), "depth", CriticDepth);

        RuleFor(s => s.Widths).NotEmpty().WithMessage("widths must list at least one width");
        Axis(RuleForEach(s => s.Widths), "width", ActorWidth, CriticWidth);
        RuleFor(s => s.BatchSizes).NotEmpty().WithMessage("batchSizes must list at least one batch size");
        Axis(RuleForEach(s => s.BatchSizes), "batch size", BatchSize);
        RuleFor(s => s.Seeds).NotEmpty().WithMessage("seeds must list at least one seed");
        Axis(RuleForEach(s => s.Seeds), "seed", Seed);

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

    /// <summary>Each value must be allowed by every knob the axis sets; the message gives the first refusing knob's range.</summary>
    private static void Axis<T>(IRuleBuilderInitialCollection<SweepRequest, T> values, string name, params Knob[] knobs) =>
        values.Must(v => knobs.All(k => k.Allows(v)))
            .WithMessage((_, v) => $"{name} must be {knobs.First(k => !k.Allows(v)).Allowed}; got {v}");
}
