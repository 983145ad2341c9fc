namespace Crl.Core.Environments;

/// <summary>What a training slot does when its episode ends.</summary>
public enum AutoResetMode
{
    /// <summary>
    /// Brax's AutoResetWrapper as train.py uses it (environments.md §4.1): restore the slot's very first start and
    /// goal, so each slot replays one fixed (start, goal, noise) sample for the whole run.
    /// </summary>
    FirstState,

    /// <summary>Draw a fresh start and goal, as a newly reset environment would.</summary>
    Resample,
}
