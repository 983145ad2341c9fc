using System.Text.Json;
using System.Text.Json.Serialization;
using Crl.Core.Algorithms;
using Crl.Core.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Training;

/// <summary>What a checkpoint directory's <c>trainer.json</c> holds besides tensors.</summary>
public sealed record TrainerState(int FormatVersion, CrlConfig Config, TrainingCounters Counters, ulong[] SamplerRandomState);

/// <summary>
/// A resumable checkpoint: one directory with
/// <list type="bullet">
/// <item><c>model.safetensors</c> — <c>actor.*</c>, <c>critic.sa_encoder.*</c>, <c>critic.g_encoder.*</c>, <c>log_alpha</c>, and
/// <c>{actor,critic,alpha}_optimizer.{exp_avg,exp_avg_sq,step}</c> (the three Adam states, moments flat in parameter
/// order) and <c>torch_rng_state</c> (libtorch's CPU generator, which drives exploration noise);</item>
/// <item><c>trainer.json</c> — the config, counters and the replay sampler's generator state;</item>
/// <item><c>policy.safetensors</c> — the PyTorch-loadable policy export (<see cref="PolicyExport"/>).</item>
/// </list>
/// Not saved, and rebuilt on resume: the replay buffer (refilled by a fresh prefill from newly reset environments)
/// and the environments' in-flight episodes. A resumed run therefore continues its counters and weights exactly,
/// but is not bit-identical to an uninterrupted run.
/// </summary>
public static class CrlCheckpoint
{
    public const int FormatVersion = 1;
    const string ModelFile = "model.safetensors", StateFile = "trainer.json";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Save(string directory, CrlAgent agent, TrainerState state)
    {
        // Written beside the target and renamed, so a crash never leaves a half-written checkpoint under its name.
        var staging = directory.TrimEnd(Path.DirectorySeparatorChar) + ".partial";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);

        // Frees the step counters, generator state and CPU copies made while writing.
        using var scope = NewDisposeScope();
        var tensors = agent.Actor.named_parameters().Select(p => ("actor." + p.name, (Tensor)p.parameter))
            .Concat(agent.Critic.named_parameters().Select(p => ("critic." + p.name, (Tensor)p.parameter)))
            .Append(("log_alpha", agent.LogAlpha))
            .Concat(agent.ActorOptimizer.State("actor_optimizer"))
            .Concat(agent.CriticOptimizer.State("critic_optimizer"))
            .Concat(agent.AlphaOptimizer.State("alpha_optimizer"))
            .Append(("torch_rng_state", random.get_rng_state()));
        SafeTensors.Save(Path.Combine(staging, ModelFile), tensors);
        File.WriteAllText(Path.Combine(staging, StateFile), JsonSerializer.Serialize(state, Json));
        PolicyExport.Save(Path.Combine(staging, PolicyExport.FileName), agent, state.Config.Env, ConfigJson(state.Config));

        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.Move(staging, directory);
    }

    /// <summary>A config as the policy export's metadata carries it: one line, enums by name.</summary>
    public static string ConfigJson(CrlConfig config) => JsonSerializer.Serialize(config, Compact);

    private static readonly JsonSerializerOptions Compact = new(Json) { WriteIndented = false };

    /// <summary>
    /// The checkpoint's config and counters. A checkpoint written before a knob existed has no key for it and reads
    /// with that knob's default, which is the paper's setting the run trained with.
    /// </summary>
    public static TrainerState ReadState(string directory)
    {
        var path = Path.Combine(directory, StateFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"'{directory}' is not a CRL checkpoint: {StateFile} is missing", path);
        var state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"'{path}' is empty");
        if (state.FormatVersion != FormatVersion)
            throw new InvalidDataException($"'{path}' has checkpoint format {state.FormatVersion}; this build reads {FormatVersion}");
        return state;
    }

    /// <summary>Loads weights, α, optimiser states and torch's generator into an agent built from the same config.</summary>
    public static void LoadInto(string directory, CrlAgent agent) => Load(directory, agent, weightsOnly: false);

    /// <summary>
    /// Loads only the actor's and critic's weights and α: enough to act, and it leaves the process-wide generator
    /// alone (evaluating a checkpoint inside the web server must not reseed anything else).
    /// </summary>
    public static void LoadWeightsInto(string directory, CrlAgent agent) => Load(directory, agent, weightsOnly: true);

    static void Load(string directory, CrlAgent agent, bool weightsOnly)
    {
        var (tensors, _) = SafeTensors.Load(Path.Combine(directory, ModelFile));
        try
        {
            using (no_grad())
            {
                foreach (var (name, p) in agent.Actor.named_parameters()) CopyInto(p, tensors, "actor." + name);
                foreach (var (name, p) in agent.Critic.named_parameters()) CopyInto(p, tensors, "critic." + name);
                CopyInto(agent.LogAlpha, tensors, "log_alpha");
            }
            if (weightsOnly) return;
            agent.ActorOptimizer.LoadState(tensors, "actor_optimizer");
            agent.CriticOptimizer.LoadState(tensors, "critic_optimizer");
            agent.AlphaOptimizer.LoadState(tensors, "alpha_optimizer");
            random.set_rng_state(tensors["torch_rng_state"]);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    static void CopyInto(Tensor target, Dictionary<string, Tensor> source, string key)
    {
        if (!source.TryGetValue(key, out var value)) throw new InvalidDataException($"checkpoint has no tensor '{key}'");
        if (!value.shape.SequenceEqual(target.shape))
            throw new InvalidDataException($"checkpoint tensor '{key}' has shape [{string.Join(", ", value.shape)}]; the model expects [{string.Join(", ", target.shape)}]");
        target.copy_(value);
    }
}
