using System.Globalization;
using Crl.Core.Environments.Mazes;

namespace Crl.Core.Environments.MuJoCo.Models;

/// <summary>
/// The Brax ant of the paper's <c>ant.xml</c> / <c>ant_maze.xml</c> (environments.md §5.3–5.4), written for MuJoCo:
/// torso sphere r 0.25 at density 5, four legs (hip z-hinges ±30°, ankle hinges 30–70° in magnitude), capsules r 0.08,
/// gear 150, control ±1, joint armature 1 / damping 1, timestep 0.01 × 5 substeps = 0.05 s control step (§1).
/// Only the four foot spheres collide with the floor; in mazes the torso, the upper-leg capsules and the feet also
/// collide with walls. A <c>target</c> body on two slide joints carries the goal, as in the paper's q layout.
/// The jointless leg bodies of the original are fused into the torso here, as Brax's loader does (§4.2).
/// </summary>
public static class AntMjcf
{
    public const int FrameSkip = 5;
    public const double Timestep = 0.01;
    public const double OpenFloorHalfSize = 40, MazeFloorHalfSize = 100;
    public const double OpenTargetRange = 20, MazeTargetRange = 100;

    /// <summary>Brax's init_qpos (§5.3): torso at z 0.55, ankles at ±1 rad, target at the origin.</summary>
    public static readonly double[] InitQpos = [0, 0, 0.55, 1, 0, 0, 0, 0, 1, 0, -1, 0, -1, 0, 1, 0, 0];

    public static string Build(MazeLayout? maze, double cellSize)
    {
        bool inMaze = maze is not null;
        // In the maze asset these geoms get conaffinity 1 so that walls (contype 1) push back on them (§5.4).
        string wallContact = inMaze ? "conaffinity=\"1\"" : "";
        string Leg(int n, double dx, double dy, string ankleAxis, string ankleRange) => string.Create(CultureInfo.InvariantCulture, $"""
                  <geom name="aux_{n}_geom" type="capsule" fromto="0 0 0 {0.2 * dx} {0.2 * dy} 0" size="0.08" {wallContact}/>
                  <body name="aux_{n}" pos="{0.2 * dx} {0.2 * dy} 0">
                    <joint name="hip_{n}" type="hinge" axis="0 0 1" range="-30 30"/>
                    <geom type="capsule" fromto="0 0 0 {0.2 * dx} {0.2 * dy} 0" size="0.08"/>
                    <body name="ankle_{n}_link" pos="{0.2 * dx} {0.2 * dy} 0">
                      <joint name="ankle_{n}" type="hinge" axis="{ankleAxis}" range="{ankleRange}"/>
                      <geom type="capsule" fromto="0 0 0 {0.4 * dx} {0.4 * dy} 0" size="0.08"/>
                      <geom name="foot_{n}_geom" type="sphere" pos="{0.4 * dx} {0.4 * dy} 0" size="0.08" mass="0" contype="1" conaffinity="1"/>
                    </body>
                  </body>
            """);
        double floor = inMaze ? MazeFloorHalfSize : OpenFloorHalfSize, range = inMaze ? MazeTargetRange : OpenTargetRange;
        return string.Create(CultureInfo.InvariantCulture, $"""
            <mujoco model="{(inMaze ? $"ant_{maze!.Name}_maze" : "ant")}">
              <compiler angle="degree" coordinate="local" inertiafromgeom="true"/>
              <option timestep="{Timestep}" iterations="4"/>
              {MujocoSizes.Element}
              <custom><numeric name="init_qpos" data="{string.Join(' ', InitQpos.Select(v => v.ToString(CultureInfo.InvariantCulture)))}"/></custom>
              <default>
                <joint armature="1" damping="1" limited="true"/>
                <geom contype="0" conaffinity="0" condim="3" density="5.0" friction="1 0.5 0.5"/>
              </default>
              <worldbody>
                <geom name="floor" type="plane" pos="0 0 0" size="{floor} {floor} 40" conaffinity="1" condim="3"/>
                <body name="torso" pos="0 0 0.75">
                  <joint name="root" type="free" armature="0" damping="0" limited="false" margin="0.01"/>
                  <geom name="torso_geom" type="sphere" size="0.25" {wallContact}/>
            {Leg(1, 1, 1, "-1 1 0", "30 70")}
            {Leg(2, -1, 1, "1 1 0", "-70 -30")}
            {Leg(3, -1, -1, "-1 1 0", "-70 -30")}
            {Leg(4, 1, -1, "1 1 0", "30 70")}
                </body>
                <body name="target" pos="0 0 0.01">
                  <joint name="target_x" type="slide" axis="1 0 0" armature="0" damping="0" range="-{range} {range}"/>
                  <joint name="target_y" type="slide" axis="0 1 0" armature="0" damping="0" range="-{range} {range}"/>
                  <geom name="target" type="sphere" size="0.9" mass="1" contype="0" conaffinity="0" rgba="1 0 0 0.3"/>
                </body>
            {(inMaze ? MazeWalls.Geoms(maze!, cellSize) : "")}
              </worldbody>
              <actuator>
                <motor joint="hip_4" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
                <motor joint="ankle_4" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
                <motor joint="hip_1" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
                <motor joint="ankle_1" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
                <motor joint="hip_2" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
                <motor joint="ankle_2" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
                <motor joint="hip_3" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
                <motor joint="ankle_3" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
              </actuator>
            </mujoco>
            """);
    }
}
