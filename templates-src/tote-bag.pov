// A natural cotton canvas tote bag (38 x 42 cm) lying on a light wooden floor, straps looped above it, seen
// at an angle. Like t-shirt.pov: a height field (folds, cloth-height.png) cut by the outline (cloth-outline.inc).
#include "common.inc"
#include "cloth-outline.inc"      // Outline (prism), HMax, Extent, PrintX0, PrintZ0, PrintW, PrintH
camera { location <0, 118, -70> look_at <0, 0, 6.5> angle 31 right x up y }
#if (LIGHTS)
  light_source { <-120, 110, 50> rgb 1.1 area_light x * 50, z * 50, 3, 3 adaptive 1 circular orient }
  light_source { <60, 140, -80> rgb 0.25 shadowless }
#end
#declare Boards = texture {
  pigment { wood turbulence 0.05 octaves 5 lambda 2.3
    color_map { [0 rgb <0.56, 0.45, 0.33>] [0.5 rgb <0.62, 0.5, 0.37>] [1 rgb <0.56, 0.45, 0.33>] }
    warp { turbulence <0.2, 0.2, 0.02> } scale <1.1, 1.1, 80> rotate y * 90 translate <0, -4, 0> }
  normal { wood 0.03 scale <1.1, 1.1, 80> rotate y * 90 translate <0, -4, 0> }
  finish { diffuse 0.8 specular 0.05 roughness 0.05 } }
plane { y, 0 texture { Tex(Boards) } }
#declare Canvas = texture { pigment { rgb <0.72, 0.655, 0.53> }
  normal { average normal_map { [1 gradient x 0.35 triangle_wave scale 0.09] [1 gradient z 0.35 triangle_wave scale 0.09]
                                [1 bumps 0.2 scale 0.06] } }
  finish { diffuse 0.9 } }
#declare CU = function(x, y, z) { (x - PrintX0) / PrintW }
#declare CV = function(x, y, z) { (PrintZ0 - z) / PrintH }
#declare InRect = function(x, y, z) { select(CU(x, y, z), 0, select(1 - CU(x, y, z), 0, select(CV(x, y, z), 0,
  select(1 - CV(x, y, z), 0, 1)))) }
intersection {
  height_field { png "cloth-height.png" smooth scale <2 * Extent, HMax, 2 * Extent> translate <-Extent, 0, -Extent> }
  object { Outline }
  texture { PrintTex(Canvas, CU, CV, InRect) }
}
// the straps: flat webbing loops, sewn on at the bag's top edge and lying above it
#macro Strap(X0, X1)
  sphere_sweep { b_spline 7,
    <X0, 3.2, 17.0>, 1.2, <X0, 3.2, 20.0>, 1.2, <X0 - 1.5, 1.6, 28>, 1.2, <(X0 + X1) / 2, 1.3, 39>, 1.2,
    <X1 + 1.5, 1.6, 28>, 1.2, <X1, 3.2, 20.0>, 1.2, <X1, 3.2, 17.0>, 1.2
    scale <1, 0.2, 1> }
#end
union { object { Strap(-10, -3) } object { Strap(10, 3) }
  texture { Tex(Canvas) } texture { pigment { rgbt <0.62, 0.56, 0.45, 0.2> } } }
