namespace Crl.Core.Networks;

/// <summary>Trainable parameter counts of the three networks (what <c>describe</c> prints).</summary>
public sealed record NetworkSizes(long Actor, long SaEncoder, long GEncoder)
{
    public long Total => Actor + SaEncoder + GEncoder;

    /// <summary>
    /// Counted in closed form so that <c>describe</c> answers for depth 1024 without allocating 200M parameters;
    /// tests check it against the modules' real parameter counts.
    /// </summary>
    public static NetworkSizes Of(long stateDim, long goalDim, long actionDim, long actorWidth, int actorDepth, long criticWidth, int criticDepth) => new(
        Actor: Trunk(stateDim + goalDim, actorWidth, actorDepth) + 2 * Dense(actorWidth, actionDim),
        SaEncoder: Trunk(stateDim + actionDim, criticWidth, criticDepth) + Dense(criticWidth, ContrastiveCritic.RepresentationDim),
        GEncoder: Trunk(goalDim, criticWidth, criticDepth) + Dense(criticWidth, ContrastiveCritic.RepresentationDim));

    static long Dense(long fanIn, long fanOut) => fanIn * fanOut + fanOut;

    // Dense + LayerNorm (scale and bias).
    static long DenseNormSwish(long fanIn, long width) => Dense(fanIn, width) + 2 * width;

    static long Trunk(long inputDim, long width, int depth) => DenseNormSwish(inputDim, width) + depth * DenseNormSwish(width, width);
}
