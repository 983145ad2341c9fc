using System.Globalization;
using System.Text;

namespace Crl.Core.Environments.MuJoCo.Models;

/// <summary>Which of the paper's three arm scenes to build (environments.md §5.5).</summary>
public enum ArmScene { PushEasy, PushHard, BinpickHard }

/// <summary>
/// A Franka Panda on a table with a 6 cm cube, from primitive shapes (environments.md §5.5): the Menagerie link
/// frames and inertials, position servos with the paper's gains (joint 1–2 4500/4500, 3–4 2000/3500, 5–7 1000/2000
/// with ±12 N·m), fingers on slide joints 0–0.08 m coupled by a joint equality and driven 0–255 (gain 0.15686,
/// kp 500). Contacts come only from explicit pairs (cube, hand, fingers, table; in bin-pick also the 8 bin walls).
/// Written already fused the way Brax's loader fuses the paper's XML (§4.2): link0 dissolved into the world, the hand
/// merged into link7 (its capsule kept, its mass not, since link7 has an explicit inertial), and the bodies in the
/// order cube, goal_marker, link1–7, left_finger, right_finger, so qpos = cube [0:7], goal_marker [7:14],
/// joint1–7 [14:21], fingers [21:23]. MuJoCo 2.2.2 has neither <c>gravcomp</c> nor <c>implicitfast</c> (§2): the goal
/// marker is pinned by the task each step, and the integrator is <c>implicit</c>; 6 solver iterations as MJX uses.
/// </summary>
public static class PandaMjcf
{
    public const int FrameSkip = 25;
    public const double Timestep = 0.002;
    public const double CubeHalfSize = 0.03;
    public const double CubeDropHeight = 0.07;

    /// <summary>Where the cube's body sits in each scene's XML (its start before the x,y noise).</summary>
    public static (double X, double Y) CubeStart(ArmScene scene) => scene switch
    {
        ArmScene.PushEasy => (-0.1, 0.6),
        ArmScene.PushHard => (-0.25, 0.65),
        _ => (-0.3, 0.6),
    };

    public static string Build(ArmScene scene)
    {
        var (cx, cy) = CubeStart(scene);
        var (regions, walls) = SceneGeoms(scene);
        return string.Create(CultureInfo.InvariantCulture, $"""
            <mujoco model="panda_{scene.ToString().ToLowerInvariant()}">
              <compiler angle="radian" autolimits="true"/>
              <option timestep="{Timestep}" iterations="6" integrator="implicit"{(scene == ArmScene.BinpickHard ? " impratio=\"10\"" : "")}/>
              {MujocoSizes.Element}
              <default>
                <default class="panda">
                  <joint armature="0.1" damping="5" axis="0 0 1" range="-2.8973 2.8973"/>
                  <general dyntype="none" biastype="affine" ctrlrange="-2.8973 2.8973" forcerange="-87 87"/>
                  <geom contype="0" conaffinity="0" rgba="0.95 0.95 0.95 1"/>
                  <default class="finger">
                    <joint axis="0 1 0" type="slide" range="0 0.08"/>
                    <geom type="box" size="0.015 0.005 0.04" pos="0 0.0055 0.035" friction="10 0.005 0.0001" rgba="0.25 0.25 0.25 1"/>
                  </default>
                </default>
              </default>
              <worldbody>
                <body name="cube" pos="{cx} {cy} {CubeDropHeight}">
                  <freejoint name="cube_free"/>
                  <geom name="cube_geom" type="box" size="{CubeHalfSize} {CubeHalfSize} {CubeHalfSize}" contype="0" conaffinity="0" rgba="0 0.4 0 1"/>
                </body>
                <body name="goal_marker" pos="-0.3 0.6 {CubeDropHeight}">
                  <freejoint name="goal_marker_free"/>
                  <geom name="goal_marker_geom" type="box" size="{CubeHalfSize} {CubeHalfSize} {CubeHalfSize}" contype="0" conaffinity="0" rgba="0.3 1 0.3 0.5"/>
                </body>
                <body name="link1" childclass="panda" pos="0 0 0.333">
                  <inertial mass="4.970684" pos="0.003875 0.002081 -0.04762" fullinertia="0.70337 0.70661 0.0091170 -0.00013900 0.0067720 0.019169"/>
                  <joint name="joint1"/>
                  <geom type="capsule" fromto="0 0 -0.19 0 0 -0.05" size="0.06"/>
                  <body name="link2" quat="1 -1 0 0">
                    <inertial mass="0.646926" pos="-0.003141 -0.02872 0.003495" fullinertia="0.0079620 2.8110e-2 2.5995e-2 -3.925e-3 1.0254e-2 7.04e-4"/>
                    <joint name="joint2" range="-1.7628 1.7628"/>
                    <geom type="capsule" fromto="0 0 0 0 -0.25 0" size="0.06"/>
                    <body name="link3" pos="0 -0.316 0" quat="1 1 0 0">
                      <inertial mass="3.228604" pos="2.7518e-2 3.9252e-2 -6.6502e-2" fullinertia="3.7242e-2 3.6155e-2 1.083e-2 -4.761e-3 -1.1396e-2 -1.2805e-2"/>
                      <joint name="joint3"/>
                      <geom type="capsule" fromto="0 0 -0.1 0.0825 0 0" size="0.05"/>
                      <body name="link4" pos="0.0825 0 0" quat="1 1 0 0">
                        <inertial mass="3.587895" pos="-5.317e-2 1.04419e-1 2.7454e-2" fullinertia="2.5853e-2 1.9552e-2 2.8323e-2 7.796e-3 -1.332e-3 8.641e-3"/>
                        <joint name="joint4" range="-3.0718 -0.0698"/>
                        <geom type="capsule" fromto="0 0 0 -0.0825 0.3 0" size="0.05"/>
                        <body name="link5" pos="-0.0825 0.384 0" quat="1 -1 0 0">
                          <inertial mass="1.225946" pos="-1.1953e-2 4.1065e-2 -3.8437e-2" fullinertia="3.5549e-2 2.9474e-2 8.627e-3 -2.117e-3 -4.037e-3 2.29e-4"/>
                          <joint name="joint5"/>
                          <geom type="capsule" fromto="0 0 -0.22 0 0.05 -0.05" size="0.05"/>
                          <body name="link6" quat="1 1 0 0">
                            <inertial mass="1.666555" pos="6.0149e-2 -1.4117e-2 -1.0517e-2" fullinertia="1.964e-3 4.354e-3 5.433e-3 1.09e-4 -1.158e-3 3.41e-4"/>
                            <joint name="joint6" range="-0.0175 3.7525"/>
                            <geom type="capsule" fromto="0 0 0 0.088 0 0" size="0.045"/>
                            <body name="link7" pos="0.088 0 0" quat="1 1 0 0">
                              <inertial mass="7.35522e-01" pos="1.0517e-2 -4.252e-3 6.1597e-2" fullinertia="1.2516e-2 1.0027e-2 4.815e-3 -4.28e-4 -1.196e-3 -7.41e-4"/>
                              <joint name="joint7"/>
                              <geom type="cylinder" fromto="0 0 0 0 0 0.1" size="0.04"/>
                              <geom name="hand_geom" type="capsule" size="0.04 0.06" pos="0 0 0.142" quat="0.6532815 0.6532815 -0.2705981 -0.2705981" contype="0" conaffinity="0"/>
                              <body name="left_finger" pos="0 0 0.1654" quat="0.9238795 0 0 -0.3826834">
                                <inertial mass="0.015" pos="0 0 0" diaginertia="2.375e-6 2.375e-6 7.5e-7"/>
                                <joint name="finger_joint1" class="finger"/>
                                <geom name="left_finger_geom" class="finger"/>
                              </body>
                              <body name="right_finger" pos="0 0 0.1654" quat="0.3826834 0 0 0.9238795">
                                <inertial mass="0.015" pos="0 0 0" diaginertia="2.375e-6 2.375e-6 7.5e-7"/>
                                <joint name="finger_joint2" class="finger"/>
                                <geom name="right_finger_geom" class="finger"/>
                              </body>
                            </body>
                          </body>
                        </body>
                      </body>
                    </body>
                  </body>
                </body>
                <geom name="link0_geom" type="cylinder" fromto="0 0 0 0 0 0.14" size="0.09" contype="0" conaffinity="0"/>
                <geom name="table_geom" type="plane" pos="0 0.2 0" size="2.8 2.4 0.1" friction="0.2 0.005 0.0001" contype="0" conaffinity="0" rgba="0.6 0.6 0.6 1"/>
            {regions}
              </worldbody>
              <equality>
                <joint joint1="finger_joint1" joint2="finger_joint2" solimp="0.95 0.99 0.001" solref="0.005 1"/>
              </equality>
              <contact>
            {Pairs(walls)}
              </contact>
              <actuator>
                <general class="panda" name="actuator1" joint="joint1" gainprm="4500" biasprm="0 -4500 -450"/>
                <general class="panda" name="actuator2" joint="joint2" gainprm="4500" biasprm="0 -4500 -450" ctrlrange="-1.7628 1.7628"/>
                <general class="panda" name="actuator3" joint="joint3" gainprm="2000" biasprm="0 -3500 -350"/>
                <general class="panda" name="actuator4" joint="joint4" gainprm="2000" biasprm="0 -3500 -350" ctrlrange="-3.0718 -0.0698"/>
                <general class="panda" name="actuator5" joint="joint5" gainprm="1000" biasprm="0 -2000 -200" forcerange="-12 12"/>
                <general class="panda" name="actuator6" joint="joint6" gainprm="1000" biasprm="0 -2000 -200" forcerange="-12 12" ctrlrange="-0.0175 3.7525"/>
                <general class="panda" name="actuator7" joint="joint7" gainprm="1000" biasprm="0 -2000 -200" forcerange="-12 12"/>
                <general class="panda" name="actuator8" joint="finger_joint1" forcerange="-500 500" ctrlrange="0 255" gainprm="0.15686 0 0" biasprm="0 -500 -50"/>
                <general class="panda" name="actuator9" joint="finger_joint2" forcerange="-500 500" ctrlrange="0 255" gainprm="0.15686 0 0" biasprm="0 -500 -50"/>
              </actuator>
            </mujoco>
            """);
    }

    /// <summary>The coloured floor regions (push) or the two bins with 6.6 cm walls (bin-pick), and the wall names.</summary>
    private static (string Geoms, string[] Walls) SceneGeoms(ArmScene scene)
    {
        var xml = new StringBuilder();
        if (scene == ArmScene.BinpickHard)
        {
            var walls = new List<string>();
            foreach (var (bin, x, rgba) in new[] { ("binA", -0.3, "0 0.2 0.8 1"), ("binB", 0.3, "0.8 0 0 1") })
            {
                var sides = new (double Dx, double Dy, double Hx, double Hy)[] { (0, -0.19, 0.195, 0.005), (0, 0.19, 0.195, 0.005), (0.19, 0, 0.005, 0.185), (-0.19, 0, 0.005, 0.185) };
                for (int k = 0; k < sides.Length; k++)
                {
                    var name = $"{bin}{k + 1}";
                    walls.Add(name);
                    xml.AppendLine(string.Create(CultureInfo.InvariantCulture,
                        $"""    <geom name="{name}" type="box" pos="{x + sides[k].Dx} {0.6 + sides[k].Dy} 0.033" size="{sides[k].Hx} {sides[k].Hy} 0.033" contype="0" conaffinity="0" rgba="{rgba}"/>"""));
                }
            }
            return (xml.ToString(), [.. walls]);
        }
        var (centre, half) = scene == ArmScene.PushEasy ? ((X: 0.1, Y: 0.6), 0.1) : ((X: 0.25, Y: 0.65), 0.25);
        foreach (var (name, x, rgba) in new[] { ("regionA", -centre.X, "0 0.2 0.8 1"), ("regionB", centre.X, "0.8 0 0 1") })
            xml.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"""    <geom name="{name}" type="box" pos="{x} {centre.Y} 0.0005" size="{half} {half} 0.0005" contype="0" conaffinity="0" rgba="{rgba}"/>"""));
        return (xml.ToString(), []);
    }

    /// <summary>The push scenes' 8 pairs; bin-pick adds cube, hand and both fingers against each bin wall (40 in all, §5.5).</summary>
    private static string Pairs(string[] walls)
    {
        var pairs = new List<(string, string)>
        {
            ("cube_geom", "table_geom"), ("cube_geom", "hand_geom"), ("cube_geom", "left_finger_geom"), ("cube_geom", "right_finger_geom"),
            ("table_geom", "hand_geom"), ("table_geom", "left_finger_geom"), ("table_geom", "right_finger_geom"),
            ("left_finger_geom", "right_finger_geom"),
        };
        foreach (var wall in walls)
            foreach (var mover in new[] { "cube_geom", "hand_geom", "left_finger_geom", "right_finger_geom" })
                pairs.Add((mover, wall));
        return string.Join(Environment.NewLine, pairs.Select(p => $"""    <pair geom1="{p.Item1}" geom2="{p.Item2}"/>"""));
    }
}
