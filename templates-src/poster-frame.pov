// A 2:3 poster (window 36 x 54 cm) behind a white passe-partout in a thin black frame (52 x 70 cm, 2.5 cm
// deep) on a warm plaster wall, seen a little from the left. The poster's visible window is the print.
#include "common.inc"
#declare WW = 36; #declare WH = 54;          // mat window
#declare MW = 48; #declare MH = 66;          // mat / inner frame
#declare FW = 52; #declare FH = 70;          // frame outer
camera { location <-38, 6, -175> look_at <0, 1, 0> angle 25.5 right x * 0.8 up y }
#if (LIGHTS)
  light_source { <-110, 120, -120> rgb 1.15 area_light x * 40, y * 40, 6, 6 adaptive 1 circular orient }
  light_source { <60, 10, -150> rgb 0.2 shadowless }
#end
// (the glass's glare is drawn by build.py as a screen overlay over the frame's opening)
#declare Plaster = texture { pigment { granite turbulence 0.3 scale 40
    color_map { [0 rgb <0.62, 0.58, 0.52>] [1 rgb <0.66, 0.62, 0.56>] } }
  normal { granite 0.06 scale 0.6 } finish { diffuse 0.85 } }
plane { z, 0 texture { Tex(Plaster) } }
#declare FrameTex = texture { pigment { rgb 0.025 } normal { bumps 0.05 scale 0.2 }
  finish { diffuse 0.6 specular 0.2 roughness 0.02 } }
#declare Mat = texture { pigment { rgb <0.86, 0.855, 0.84> } normal { granite 0.03 scale 0.1 } finish { diffuse 0.9 } }
#declare Paper = texture { pigment { rgb <0.88, 0.875, 0.86> } finish { diffuse 0.9 } }
#declare PU = function(x, y, z) { (x + WW / 2) / WW }
#declare PV = function(x, y, z) { (WH / 2 - y) / WH }
#declare One = function(x, y, z) { 1 }
union {
  difference { box { <-FW / 2, -FH / 2, -2.5>, <FW / 2, FH / 2, 0> } box { <-MW / 2, -MH / 2, -3>, <MW / 2, MH / 2, 1> }
    texture { Tex(FrameTex) } }
  // mat board with a bevelled window
  difference { box { <-MW / 2, -MH / 2, -0.75>, <MW / 2, MH / 2, -0.5> }
    box { <-WW / 2, -WH / 2, -1>, <WW / 2, WH / 2, 0> }
    texture { Tex(Mat) } }
  box { <-MW / 2, -MH / 2, -0.5>, <MW / 2, MH / 2, -0.3> texture { PrintTex(Paper, PU, PV, One) } }
  translate y * 2
}
