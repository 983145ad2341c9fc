namespace Crl.Tests.Support;

/// <summary>
/// The suite's two lanes. <c>bash scripts/test.sh --fast</c> runs every test that is not slow, in seconds;
/// <c>bash scripts/test.sh</c> runs both. A test (or a whole class) is slow when it needs a browser, PostgreSQL,
/// another process (a worker, the web server, a training process) or training longer than about a second: mark it
/// <c>[Trait(Lanes.Trait, Lanes.Slow)]</c>. In the fast lane the helpers that start a process or PostgreSQL refuse,
/// so such a test left unmarked fails there with a message naming this mark.
/// </summary>
public static class Lanes
{
    public const string Trait = "Lane";
    public const string Slow = "Slow";

    /// <summary>Set to <see cref="Fast"/> by <c>scripts/test.sh --fast</c>.</summary>
    public const string Variable = "CRL_TEST_LANE";
    public const string Fast = "fast";

    /// <summary>Throws in the fast lane: the calling test needs <paramref name="what"/>.</summary>
    public static void RequireSlowLane(string what)
    {
        if (Environment.GetEnvironmentVariable(Variable) == Fast)
            throw new InvalidOperationException(
                $"this test needs {what}, which the fast lane leaves out: mark it (or its class) [Trait(Lanes.Trait, Lanes.Slow)]");
    }
}
