// Two business cards (3.5 x 2 in) on a walnut desk. The top card's face is the print.
#include "common.inc"
camera { location <0, 21, -17> look_at <0, 0, 0.6> angle 40 right x * 4/3 up y }
#if (LIGHTS)
  light_source { <-40, 55, 25> rgb 1.25 area_light x * 16, z * 16, 6, 6 adaptive 1 circular orient
    fade_distance 60 fade_power 2 }
  light_source { <10, 30, -40> rgb 0.18 shadowless }
#end
#declare Slate = texture {
  pigment { granite turbulence 0.3 scale 6
    color_map { [0 rgb <0.045, 0.047, 0.05>] [0.5 rgb <0.06, 0.062, 0.066>] [1 rgb <0.04, 0.041, 0.044>] } }
  normal { granite 0.15 scale 0.3 }
  finish { diffuse 0.8 specular 0.08 roughness 0.05 } }
plane { y, 0 texture { Tex(Slate) } }

#declare Paper = texture { pigment { rgb <0.93, 0.925, 0.91> }
  normal { granite 0.05 scale 0.04 } finish { diffuse 0.9 specular 0.04 roughness 0.06 } }
#declare CardU = function(x, y, z) { x / 8.9 }
#declare CardV = function(x, y, z) { (5.1 - z) / 5.1 }
#declare CardTop = function(x, y, z) { select(y - 0.03, 0, 1) }
#declare Card = box { <0, 0, 0>, <8.9, 0.035, 5.1> }
// the card underneath, blank
object { Card texture { Tex(Paper) } translate <-4.45, 0, -2.55> rotate y * 9 translate <-1.6, 0, 1.3> }
// the printed card on top
object { Card texture { PrintTex(Paper, CardU, CardV, CardTop) }
  translate <-4.45, 0.035, -2.55> rotate y * -13 translate <0.9, 0, -0.4> }
