// A white product box (12 x 18 x 6 cm) standing on a pale grey sweep, turned so its front and right side
// show (light from the left: the side is darker). FACE (Declare=FACE=1|2) picks the print surface of the mask and uv passes: 1 front, 2 side.
#include "common.inc"
#ifndef (FACE) #declare FACE = 1; #end
#declare BW = 12; #declare BH = 18; #declare BD = 6; #declare Rr = 0.06;
camera { location <0, 24, -70> look_at <0, 8.6, 0> angle 25 right x up y }
#if (LIGHTS)
  light_source { <-45, 55, -60> rgb 1.1 area_light x * 22, y * 22, 7, 7 adaptive 1 circular orient }
  light_source { <50, 30, -30> rgb 0.3 area_light x * 30, y * 30, 4, 4 adaptive 1 circular orient }
  light_source { <0, 20, -80> rgb 0.1 shadowless }
#end
#declare Sweep = texture { pigment { rgb <0.72, 0.72, 0.73> } normal { granite 0.02 scale 1 }
  finish { diffuse 0.85 } }
union {
  plane { y, 0 }
  difference { box { <-300, -1, 30>, <300, 40, 70> } cylinder { <-301, 40, 30>, <301, 40, 30>, 40 } }
  plane { z, 70 }
  texture { Tex(Sweep) } }
#declare Board = texture { pigment { rgb <0.9, 0.895, 0.88> } normal { granite 0.03 scale 0.05 }
  finish { diffuse 0.88 specular 0.06 roughness 0.04 } }
#declare FrontU = function(x, y, z) { (x + BW / 2) / BW }
#declare FrontV = function(x, y, z) { (BH - y) / BH }
#declare SideU = function(x, y, z) { (z + BD / 2) / BD }
#declare SideV = function(x, y, z) { (BH - y) / BH }
#declare One = function(x, y, z) { 1 }
union {
  object { Round_Box(<-BW / 2, 0, -BD / 2>, <BW / 2, BH, BD / 2>, Rr, 1) texture { Tex(Board) } }
  // the lid's tuck flap line on the top face
  box { <-BW / 2 + 0.2, BH - 0.001, BD / 2 - 0.9>, <BW / 2 - 0.2, BH + 0.001, BD / 2 - 0.88>
        texture { Tex(texture { pigment { rgb 0.3 } }) } }
  #if (PASS = 1 | PASS = 2)
    #if (FACE = 1)
      polygon { 5, <-BW / 2 + Rr, Rr, 0>, <BW / 2 - Rr, Rr, 0>, <BW / 2 - Rr, BH - Rr, 0>, <-BW / 2 + Rr, BH - Rr, 0>,
                <-BW / 2 + Rr, Rr, 0>
        texture { PrintTex(Board, FrontU, FrontV, One) } translate z * (-BD / 2 - 0.001) }
    #else
      polygon { 5, <0, Rr, -BD / 2 + Rr>, <0, Rr, BD / 2 - Rr>, <0, BH - Rr, BD / 2 - Rr>, <0, BH - Rr, -BD / 2 + Rr>,
                <0, Rr, -BD / 2 + Rr>
        texture { PrintTex(Board, SideU, SideV, One) } translate x * (BW / 2 + 0.001) }
    #end
  #end
  rotate y * 32 translate <1.5, 0, 0>
}
