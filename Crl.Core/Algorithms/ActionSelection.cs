using System.Globalization;

namespace Crl.Core.Algorithms;

/// <summary>
/// How an action is chosen for a state and goal: from the policy alone (<c>policy</c>: a tanh-Gaussian sample while
/// collecting, tanh(μ) while evaluating), or by sampling K actions from the policy and taking the one the critic
/// scores highest for the goal (<c>argmax-q:K</c>, scaling-crl's <c>expl_actor</c> / <c>eval_actor</c> K ≥ 2).
/// </summary>
/// <param name="Candidates">K, the actions sampled per state; 0 for the policy alone.</param>
public readonly record struct ActionSelection(int Candidates)
{
    public const string PolicyName = "policy";
    public const string ArgmaxQPrefix = "argmax-q:";
    public const int MaxCandidates = 1024;

    /// <summary>For help texts and messages, after "must be".</summary>
    public const string Allowed = "policy, or argmax-q:K with K in [1, 1024] sampled actions";

    public static ActionSelection Policy => new(0);

    public bool IsPolicy => Candidates == 0;

    public static bool TryParse(string? text, out ActionSelection selection)
    {
        selection = Policy;
        if (text is null) return false;
        if (string.Equals(text, PolicyName, StringComparison.OrdinalIgnoreCase)) return true;
        if (!text.StartsWith(ArgmaxQPrefix, StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(text.AsSpan(ArgmaxQPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            || k is < 1 or > MaxCandidates)
            return false;
        selection = new ActionSelection(k);
        return true;
    }

    /// <exception cref="FormatException">The text is neither <c>policy</c> nor <c>argmax-q:K</c> with K in range.</exception>
    public static ActionSelection Parse(string? text) =>
        TryParse(text, out var selection) ? selection : throw new FormatException($"action selection must be {Allowed}; got '{text}'");

    public override string ToString() => IsPolicy ? PolicyName : ArgmaxQPrefix + Candidates.ToString(CultureInfo.InvariantCulture);
}
