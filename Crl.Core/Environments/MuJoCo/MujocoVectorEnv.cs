namespace Crl.Core.Environments.MuJoCo;

/// <summary>
/// N copies of one MuJoCo task: one shared compiled model, one mjData per slot (environments.md §6), stepped in
/// parallel by <see cref="StepWorkers"/>. A step applies each slot's action, runs the task's frame skip of
/// mj_step inside the batch call, and writes the observation straight into the flat state rows the trainer reads.
/// Starts, auto-resets and termination follow <see cref="VectorEnv"/> (Brax wrapper semantics, §4.1); a rewound
/// slot gets back exactly the qpos/qvel it started with.
/// </summary>
public abstract class MujocoVectorEnv : VectorEnv, IDisposable
{
    protected readonly MujocoModel model;
    private readonly MujocoData[] data;
    private readonly StepWorkers workers;
    private readonly float[] actionRows;
    private readonly double[][] scratch;
    private readonly double[] initialQpos, initialQvel;
    private readonly Action<int> stepSlot;
    private readonly bool needsKinematics;

    protected MujocoVectorEnv(EnvSpec spec, MujocoModel model, int frameSkip, bool observationNeedsKinematics,
        int numEnvs, int episodeLength, AutoResetMode resetMode, int workerThreads)
        : base(spec, numEnvs, episodeLength, resetMode)
    {
        this.model = model;
        FrameSkip = frameSkip;
        needsKinematics = observationNeedsKinematics;
        data = new MujocoData[numEnvs];
        scratch = new double[numEnvs][];
        int scratchLength = Math.Max(Math.Max(model.Nq, model.Nv), Math.Max(spec.StateDim, 10 * model.Nbody));
        for (int i = 0; i < numEnvs; i++)
        {
            data[i] = model.MakeData();
            scratch[i] = new double[scratchLength];
        }
        actionRows = new float[numEnvs * spec.ActionDim];
        initialQpos = new double[numEnvs * model.Nq];
        initialQvel = new double[numEnvs * model.Nv];
        workers = new StepWorkers(Math.Max(1, workerThreads));
        stepSlot = StepSlot;
    }

    public MujocoModel Model => model;
    public int FrameSkip { get; }
    public int WorkerThreads => workers.WorkerCount;

    /// <summary>Seconds of simulated time per env step.</summary>
    public double ControlStep => FrameSkip * model.Timestep;

    /// <summary>Slot <paramref name="env"/>'s simulation, for tests that place a body by setting qpos.</summary>
    public MujocoData SlotData(int env) => data[env];

    /// <summary>
    /// Re-derive slot <paramref name="env"/>'s state, <see cref="VectorEnv.Distance"/> and <see cref="VectorEnv.Success"/>
    /// from its current qpos/qvel after a caller changed them, as a step would report them (the observation row
    /// follows at the next step).
    /// </summary>
    public void Refresh(int env)
    {
        data[env].Forward();
        Observe(env);
    }

    /// <summary>
    /// Torso heights outside which an episode ends (environments.md §4.1: ant [0.2, 1.0], humanoid [1.0, 2.0]);
    /// null for tasks that never terminate early. The torso's z is qpos[2] and state[2] in every such task.
    /// </summary>
    public virtual (double Min, double Max)? HealthyTorsoHeight => null;

    /// <summary>Write slot <paramref name="env"/>'s actuator controls for one action row, without stepping.</summary>
    public void WriteControls(int env, ReadOnlySpan<float> action) => ApplyAction(env, action, data[env], scratch[env]);

    /// <summary>Slot <paramref name="env"/>'s current state row.</summary>
    public ReadOnlySpan<float> State(int env) => states.AsSpan(env * Spec.StateDim, Spec.StateDim);

    /// <summary>Slot <paramref name="env"/>'s commanded goal.</summary>
    public ReadOnlySpan<float> Goal(int env) => goals.AsSpan(env * Spec.GoalDim, Spec.GoalDim);

    protected sealed override void SampleStart(int env, Span<float> state, Span<float> goal)
    {
        var d = data[env];
        d.Reset();
        PlaceStart(env, d, goal, scratch[env]);
        d.Forward();
        WriteState(env, d, scratch[env], state);
    }

    protected sealed override void OnInitialStatesSampled()
    {
        for (int i = 0; i < NumEnvs; i++)
        {
            data[i].Read(MjArray.Qpos, 0, initialQpos, i * model.Nq, model.Nq);
            data[i].Read(MjArray.Qvel, 0, initialQvel, i * model.Nv, model.Nv);
        }
    }

    protected sealed override void OnRestoredToInitial(int env)
    {
        var d = data[env];
        d.Reset();
        d.Write(MjArray.Qpos, 0, initialQpos, env * model.Nq, model.Nq);
        d.Write(MjArray.Qvel, 0, initialQvel, env * model.Nv, model.Nv);
        d.Forward();
    }

    protected sealed override void Advance(ReadOnlySpan<float> actions)
    {
        actions.CopyTo(actionRows);
        workers.Run(NumEnvs, stepSlot);
    }

    private void StepSlot(int env)
    {
        var d = data[env];
        int a = Spec.ActionDim;
        ApplyAction(env, actionRows.AsSpan(env * a, a), d, scratch[env]);
        BeforePhysics(env, d);
        for (int k = 0; k < FrameSkip; k++) d.Step();
        if (needsKinematics) d.Kinematics();
        Observe(env);
    }

    private void Observe(int env)
    {
        int s = Spec.StateDim;
        WriteState(env, data[env], scratch[env], states.AsSpan(env * s, s));
        var distanceToGoal = GoalDistance(env);
        distance[env] = distanceToGoal;
        success[env] = distanceToGoal < Spec.SuccessRadius ? 1f : 0f;
    }

    protected sealed override bool Terminated(int env)
    {
        if (HealthyTorsoHeight is not { } healthy) return false;
        var z = states[env * Spec.StateDim + 2];
        return z < healthy.Min || z > healthy.Max;
    }

    /// <summary>
    /// Set slot <paramref name="env"/>'s start (qpos/qvel after mj_resetData) and its goal, drawing from
    /// <see cref="VectorEnv.rng"/>; <paramref name="scratch"/> (at least nq and nv long) keeps resampling resets allocation-free.
    /// </summary>
    protected abstract void PlaceStart(int env, MujocoData d, Span<float> goal, double[] scratch);

    /// <summary>Map one action row (clipped to [−1, 1]) to the actuators' controls.</summary>
    protected abstract void ApplyAction(int env, ReadOnlySpan<float> action, MujocoData d, double[] scratch);

    /// <summary>Anything to hold fixed before the physics runs (the arm's goal marker).</summary>
    protected virtual void BeforePhysics(int env, MujocoData d) { }

    /// <summary>The task's state vector from the simulation; <paramref name="scratch"/> is this slot's own buffer.</summary>
    protected abstract void WriteState(int env, MujocoData d, double[] scratch, Span<float> state);

    protected static void Copy(double[] source, int count, Span<float> destination)
    {
        for (int k = 0; k < count; k++) destination[k] = (float)source[k];
    }

    public void Dispose()
    {
        workers.Dispose();
        foreach (var d in data) d.Dispose();
        model.Dispose();
        GC.SuppressFinalize(this);
    }
}
