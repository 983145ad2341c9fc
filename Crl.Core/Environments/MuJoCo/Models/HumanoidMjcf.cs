using System.Globalization;
using Crl.Core.Environments.Mazes;

namespace Crl.Core.Environments.MuJoCo.Models;

/// <summary>
/// The Gym/Brax humanoid of the paper's <c>humanoid.xml</c> / <c>humanoid_maze.xml</c> (environments.md §5.1–5.2),
/// written for MuJoCo with the XML gears (100…300, 25 for the arms), control ±0.4, timestep 0.003 × 5 substeps =
/// 0.015 s control step, Euler, 8 solver iterations. Brax's loader fuses the two jointless foot bodies into the
/// shins (§4.2); they are written fused here (foot sphere at z −0.35 in the shin frame), which leaves 12 bodies
/// besides the world — torso, lwaist, pelvis, thighs, shins, upper and lower arms, and the target — and so the
/// 268-dim state of §5.1. Maze variants get a 100 m floor, a ±100 m target range and walls at 2 m cells.
/// </summary>
public static class HumanoidMjcf
{
    public const int FrameSkip = 5;
    public const double Timestep = 0.003;
    public const double MazeCellSize = 2.0;
    public const double TargetHeight = 1.25;
    public const double ControlLimit = 0.4;

    public static string Build(MazeLayout? maze)
    {
        bool inMaze = maze is not null;
        double floor = inMaze ? 100 : 40, range = inMaze ? 100 : 20;
        return string.Create(CultureInfo.InvariantCulture, $"""
            <mujoco model="{(inMaze ? $"humanoid_{maze!.Name}_maze" : "humanoid")}">
              <compiler angle="degree" inertiafromgeom="true"/>
              <option timestep="{Timestep}" iterations="8"/>
              {MujocoSizes.Element}
              <default>
                <joint armature="1" damping="1" limited="true"/>
                <geom conaffinity="0" condim="3" contype="1"/>
                <motor ctrllimited="true" ctrlrange="-{ControlLimit} {ControlLimit}"/>
              </default>
              <worldbody>
                <geom name="floor" type="plane" pos="0 0 0" size="{floor} {floor} 0.125" conaffinity="1" condim="3" friction="1 .1 .1"/>
                <body name="torso" pos="0 0 1.4">
                  <joint name="root" type="free" armature="0" damping="0" limited="false" stiffness="0"/>
                  <geom name="torso1" type="capsule" fromto="0 -.07 0 0 .07 0" size="0.07"/>
                  <geom name="head" type="sphere" pos="0 0 .19" size=".09"/>
                  <geom name="uwaist" type="capsule" fromto="-.01 -.06 -.12 -.01 .06 -.12" size="0.06"/>
                  <body name="lwaist" pos="-.01 0 -0.260" quat="1.000 0 -0.002 0">
                    <geom name="lwaist" type="capsule" fromto="0 -.06 0 0 .06 0" size="0.06"/>
                    <joint name="abdomen_z" type="hinge" pos="0 0 0.065" axis="0 0 1" range="-45 45" armature="0.02" damping="5" stiffness="20"/>
                    <joint name="abdomen_y" type="hinge" pos="0 0 0.065" axis="0 1 0" range="-75 30" armature="0.02" damping="5" stiffness="10"/>
                    <body name="pelvis" pos="0 0 -0.165" quat="1.000 0 -0.002 0">
                      <joint name="abdomen_x" type="hinge" pos="0 0 0.1" axis="1 0 0" range="-35 35" armature="0.02" damping="5" stiffness="10"/>
                      <geom name="butt" type="capsule" fromto="-.02 -.07 0 -.02 .07 0" size="0.09"/>
                      <body name="right_thigh" pos="0 -0.1 -0.04">
                        <joint name="right_hip_x" type="hinge" axis="1 0 0" range="-25 5" armature="0.01" damping="5" stiffness="10"/>
                        <joint name="right_hip_z" type="hinge" axis="0 0 1" range="-60 35" armature="0.01" damping="5" stiffness="10"/>
                        <joint name="right_hip_y" type="hinge" axis="0 1 0" range="-110 20" armature="0.0080" damping="5" stiffness="20"/>
                        <geom name="right_thigh1" type="capsule" fromto="0 0 0 0 0.01 -.34" size="0.06"/>
                        <body name="right_shin" pos="0 0.01 -0.403">
                          <joint name="right_knee" type="hinge" pos="0 0 .02" axis="0 -1 0" range="-160 -2" armature="0.0060"/>
                          <geom name="right_shin1" type="capsule" fromto="0 0 0 0 0 -.3" size="0.049"/>
                          <geom name="right_foot" type="sphere" pos="0 0 -0.35" size="0.075"/>
                        </body>
                      </body>
                      <body name="left_thigh" pos="0 0.1 -0.04">
                        <joint name="left_hip_x" type="hinge" axis="-1 0 0" range="-25 5" armature="0.01" damping="5" stiffness="10"/>
                        <joint name="left_hip_z" type="hinge" axis="0 0 -1" range="-60 35" armature="0.01" damping="5" stiffness="10"/>
                        <joint name="left_hip_y" type="hinge" axis="0 1 0" range="-110 20" armature="0.01" damping="5" stiffness="20"/>
                        <geom name="left_thigh1" type="capsule" fromto="0 0 0 0 -0.01 -.34" size="0.06"/>
                        <body name="left_shin" pos="0 -0.01 -0.403">
                          <joint name="left_knee" type="hinge" pos="0 0 .02" axis="0 -1 0" range="-160 -2" armature="0.0060" stiffness="1"/>
                          <geom name="left_shin1" type="capsule" fromto="0 0 0 0 0 -.3" size="0.049"/>
                          <geom name="left_foot" type="sphere" pos="0 0 -0.35" size="0.075"/>
                        </body>
                      </body>
                    </body>
                  </body>
                  <body name="right_upper_arm" pos="0 -0.17 0.06">
                    <joint name="right_shoulder1" type="hinge" axis="2 1 1" range="-85 60" armature="0.0068" stiffness="1"/>
                    <joint name="right_shoulder2" type="hinge" axis="0 -1 1" range="-85 60" armature="0.0051" stiffness="1"/>
                    <geom name="right_uarm1" type="capsule" fromto="0 0 0 .16 -.16 -.16" size="0.04 0.16"/>
                    <body name="right_lower_arm" pos=".18 -.18 -.18">
                      <joint name="right_elbow" type="hinge" axis="0 -1 1" range="-90 50" armature="0.0028" stiffness="0"/>
                      <geom name="right_larm" type="capsule" fromto="0.01 0.01 0.01 .17 .17 .17" size="0.031"/>
                      <geom name="right_hand" type="sphere" pos=".18 .18 .18" size="0.04"/>
                    </body>
                  </body>
                  <body name="left_upper_arm" pos="0 0.17 0.06">
                    <joint name="left_shoulder1" type="hinge" axis="2 -1 1" range="-60 85" armature="0.0068" stiffness="1"/>
                    <joint name="left_shoulder2" type="hinge" axis="0 1 1" range="-60 85" armature="0.0051" stiffness="1"/>
                    <geom name="left_uarm1" type="capsule" fromto="0 0 0 .16 .16 -.16" size="0.04 0.16"/>
                    <body name="left_lower_arm" pos=".18 .18 -.18">
                      <joint name="left_elbow" type="hinge" axis="0 -1 -1" range="-90 50" armature="0.0028" stiffness="0"/>
                      <geom name="left_larm" type="capsule" fromto="0.01 -0.01 0.01 .17 -.17 .17" size="0.031"/>
                      <geom name="left_hand" type="sphere" pos=".18 -.18 .18" size="0.04"/>
                    </body>
                  </body>
                </body>
                <body name="target" pos="0 0 {TargetHeight}">
                  <joint name="target_x" type="slide" axis="1 0 0" armature="0" damping="0" stiffness="0" range="-{range} {range}"/>
                  <joint name="target_y" type="slide" axis="0 1 0" armature="0" damping="0" stiffness="0" range="-{range} {range}"/>
                  <geom name="target" type="sphere" size=".5" mass="1" contype="0" conaffinity="0" rgba="1 0 0 0.3"/>
                </body>
            {(inMaze ? MazeWalls.Geoms(maze!, MazeCellSize) : "")}
              </worldbody>
              <actuator>
                <motor name="abdomen_y" joint="abdomen_y" gear="100"/>
                <motor name="abdomen_z" joint="abdomen_z" gear="100"/>
                <motor name="abdomen_x" joint="abdomen_x" gear="100"/>
                <motor name="right_hip_x" joint="right_hip_x" gear="100"/>
                <motor name="right_hip_z" joint="right_hip_z" gear="100"/>
                <motor name="right_hip_y" joint="right_hip_y" gear="300"/>
                <motor name="right_knee" joint="right_knee" gear="200"/>
                <motor name="left_hip_x" joint="left_hip_x" gear="100"/>
                <motor name="left_hip_z" joint="left_hip_z" gear="100"/>
                <motor name="left_hip_y" joint="left_hip_y" gear="300"/>
                <motor name="left_knee" joint="left_knee" gear="200"/>
                <motor name="right_shoulder1" joint="right_shoulder1" gear="25"/>
                <motor name="right_shoulder2" joint="right_shoulder2" gear="25"/>
                <motor name="right_elbow" joint="right_elbow" gear="25"/>
                <motor name="left_shoulder1" joint="left_shoulder1" gear="25"/>
                <motor name="left_shoulder2" joint="left_shoulder2" gear="25"/>
                <motor name="left_elbow" joint="left_elbow" gear="25"/>
              </actuator>
            </mujoco>
            """);
    }
}
