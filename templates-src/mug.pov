// A white ceramic 11 oz mug (8.2 cm across, 9.5 cm tall) on an oak table, handle to the right.
// Print band: y 1.0 .. 8.6 cm, -75 .. 75 degrees (0 faces the camera).
#include "common.inc"
#declare R = 4.1;
#declare Hm = 9.5;
#declare PrintLo = 1.0;
#declare PrintHi = 8.6;
#declare PrintDeg = 75;
camera { location <0, 4.75 + 25, -140> look_at <0, 4.4, 0> angle 9.6 right x up y }
#if (LIGHTS)
  light_source { <-60, 70, -70> rgb 1.15 area_light x * 40, y * 40, 5, 5 adaptive 1 circular orient }
  light_source { <70, 30, -40> rgb 0.28 area_light x * 30, y * 30, 3, 3 adaptive 1 circular orient }
  light_source { <0, 40, -150> rgb 0.12 shadowless }
#end
// two strip softboxes low beside the mug, seen only in reflections on the glaze (the camera looks down, so
// the glaze mirrors what is low and near)
#declare Strip = box { <-1, -1, -0.05>, <1, 1, 0.05> texture {
  #if (PASS = 3) pigment { function { max(0, 1 - x * x) * min(1, 2 * (1 - abs(y))) } } finish { ambient 0 diffuse 0 emission 12 } #else Black #end } no_image no_shadow }
object { Strip scale <5, 6, 1> rotate y * -50 translate <-15.3, 4, -12.9> }
object { Strip scale <2.5, 6, 1> rotate y * 60 translate <17.3, 4, -10> scale <1, 1, 1> }
#declare Concrete = texture {
  pigment { granite turbulence 0.4 scale 25
    color_map { [0 rgb <0.44, 0.43, 0.41>] [0.5 rgb <0.5, 0.49, 0.47>] [1 rgb <0.42, 0.41, 0.39>] } }
  normal { granite 0.12 scale 0.4 }
  finish { diffuse 0.8 specular 0.05 roughness 0.05 } }
plane { y, 0 texture { Tex(Concrete) } }
#declare Wall = texture { pigment { rgb <0.78, 0.76, 0.73> } normal { granite 0.04 scale 2 } finish { diffuse 0.8 } }
plane { z, 45 texture { Tex(Wall) } }

#declare Glaze = texture { pigment { rgb <0.9, 0.9, 0.885> } finish { diffuse 0.85 } }
#declare GlazeShine = texture { pigment { rgb 0 }
  finish { ambient 0 diffuse 0 specular 0.55 roughness 0.0025 reflection { 0.05, 0.3 falloff 3 } } }
#declare MugBody = difference {
  union {
    cylinder { <0, 0.35, 0>, <0, Hm, 0>, R }
    torus { R - 0.35, 0.35 translate y * 0.35 }
    cylinder { <0, 0, 0>, <0, 0.35, 0>, R - 0.35 }
    torus { R - 0.17, 0.17 translate y * Hm }
  }
  union {
    cylinder { <0, 0.9, 0>, <0, Hm + 1, 0>, R - 0.34 }
    cylinder { <0, 0.6, 0>, <0, 0.9, 0>, R - 0.64 }
    torus { R - 0.64, 0.3 translate y * 0.9 }
  }
}
#declare Handle = sphere_sweep { b_spline 8,
  <R - 0.8, 8.9, 0>, 0.5, <R - 0.4, 7.9, 0>, 0.5, <R + 1.6, 7.8, 0>, 0.5, <R + 3.1, 6.6, 0>, 0.5,
  <R + 3.0, 3.9, 0>, 0.5, <R + 1.4, 2.6, 0>, 0.5, <R - 0.4, 2.5, 0>, 0.5, <R - 0.8, 1.6, 0>, 0.5
  scale <1, 1, 1.45> rotate y * -12 }
union { object { MugBody } object { Handle } texture { Gloss(Glaze, GlazeShine) } }
#if (PASS = 1 | PASS = 2)
  #declare Phi = function(x, y, z) { degrees(atan2(x, -z)) }
  #declare MugU = function(x, y, z) { Phi(x, y, z) / 180 + 0.5 }
  #declare MugV = function(x, y, z) { (PrintHi - y) / (PrintHi - PrintLo) }
  #declare MugIn = function(x, y, z) { select(PrintDeg - abs(Phi(x, y, z)), 0, 1) }
  cylinder { <0, PrintLo, 0>, <0, PrintHi, 0>, R + 0.002 open
    texture { PrintTex(Glaze, MugU, MugV, MugIn) } }
#end
