// A natural cotton canvas tote bag (38 x 42 cm) lying on a light wooden floor, straps looped above it, seen
// at an angle. Like t-shirt.pov: a height field (folds, cloth-height.png) cut by the outline (cloth-outline.inc).
#include "common.inc"
#include "transforms.inc"
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
// the straps: flat cotton webbing (2.5 cm wide), sewn on at the bag's top edge and lying in a loop above it:
// two straight legs and a half circle, built from short flat segments
#macro Seg(P0, P1)
  box { <-1.25, -0.12, -0.25>, <1.25, 0.12, vlength(P1 - P0) + 0.25> Reorient_Trans(z, vnormalize(P1 - P0)) translate P0 }
#end
#macro Strap(X0, X1, Hs)
  #local Xm = (X0 + X1) / 2; #local Rx = (X1 - X0) / 2;
  union {
    Seg(<X0, 0.62, 16.5>, <X0, 0.62, 17 + Hs>)
    Seg(<X1, 0.62, 16.5>, <X1, 0.62, 17 + Hs>)
    #local N = 40;
    #for (K, 0, N - 1)
      #local A0 = pi - K / N * pi; #local A1 = pi - (K + 1) / N * pi;
      Seg(<Xm + Rx * cos(A0), 0.62, 17 + Hs + Rx * sin(A0)>, <Xm + Rx * cos(A1), 0.62, 17 + Hs + Rx * sin(A1)>)
    #end
  }
#end
union { object { Strap(-11, -3, 13) } object { Strap(3, 11, 13) }
  texture { Tex(Canvas) } texture { pigment { rgbt <0.62, 0.56, 0.45, 0.2> } } }
