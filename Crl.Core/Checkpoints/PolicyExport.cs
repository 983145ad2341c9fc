using System.Globalization;
using Crl.Core.Algorithms;
using Crl.Core.Networks;
using TorchSharp;

namespace Crl.Core.Checkpoints;

/// <summary>
/// The policy alone, as a safetensors file PyTorch users can load with <c>safetensors.torch.load_file</c>.
/// <para>Keys (float32; W = actor width, D = actor depth, O = state_dim + goal_dim, A = action_dim; Linear weights are
/// PyTorch's (out, in) layout):</para>
/// <code>
/// trunk.inputProjection.dense.weight (W, O)   trunk.inputProjection.dense.bias (W)
/// trunk.inputProjection.norm.weight  (W)      trunk.inputProjection.norm.bias  (W)       LayerNorm eps 1e-6
/// trunk.blocks.{b}.layers.{l}.dense.weight (W, W), .dense.bias (W), .norm.weight (W), .norm.bias (W)
///                                              b = 0 … D/4 − 1, l = 0 … 3
/// mean.weight (A, W)  mean.bias (A)  logStd.weight (A, W)  logStd.bias (A)
/// </code>
/// Forward pass: h = act(LN(dense(x))) for the input projection; each block computes four such layers and adds its
/// input after the fourth (unless <c>residual</c> is false); action = tanh(mean(h)) (deterministic);
/// log σ = −5 + 3.5·(tanh(logStd(h)) + 1).
/// The header's <c>__metadata__</c> carries the shapes (<c>state_dim</c>, <c>goal_dim</c>, <c>action_dim</c>,
/// <c>width</c>, <c>depth</c>, <c>env</c>, <c>log_std_min</c>, <c>log_std_max</c>, <c>layer_norm_eps</c>), the
/// architecture switches (<c>activation</c>: swish or relu, <c>residual</c>: true or false) and, when given, the run's
/// whole config as JSON (<c>config</c>).
/// </summary>
public static class PolicyExport
{
    public const string FileName = "policy.safetensors";

    /// <param name="configJson">The run's config, kept in the metadata so the file says how it was trained.</param>
    public static void Save(string path, CrlAgent agent, string envId, string? configJson = null)
    {
        var spec = agent.Spec;
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "crl-policy-v1",
            ["env"] = envId,
            ["state_dim"] = Str(spec.StateDim),
            ["goal_dim"] = Str(spec.GoalDim),
            ["action_dim"] = Str(spec.ActionDim),
            ["width"] = Str(spec.ActorWidth),
            ["depth"] = Str(spec.ActorDepth),
            ["log_std_min"] = Str(GaussianActor.LogStdMin),
            ["log_std_max"] = Str(GaussianActor.LogStdMax),
            ["layer_norm_eps"] = "1e-06",
            ["activation"] = spec.Activation.ToString().ToLowerInvariant(),
            ["residual"] = spec.Residual ? "true" : "false",
        };
        if (configJson is not null) metadata["config"] = configJson;
        SafeTensors.Save(path, agent.Actor.named_parameters().Select(p => (p.name, (torch.Tensor)p.parameter)), metadata);
    }

    static string Str(double value) => value.ToString(CultureInfo.InvariantCulture);
}
