// A gallery-wrapped canvas print (45 x 60 cm front, 3.75 cm deep) on a pale wall, seen from the left so the
// wrapped left edge shows. The print runs across the left edge and the front: u = 0 at the wall on the left
// edge, 1/13 at the front's left corner (3.75 of 48.75 cm), 1 at the front's right edge.
#include "common.inc"
#declare CW = 45; #declare CH = 60; #declare CD = 3.75;
camera { location <-95, 6, -150> look_at <0, 0, -1.5> angle 27 right x * 0.8 up y }
#if (LIGHTS)
  light_source { <90, 110, -120> rgb 1.1 area_light x * 40, y * 40, 5, 5 adaptive 1 circular orient }
  light_source { <-120, 0, -120> rgb 0.22 shadowless }
#end
#declare Wall = texture { pigment { granite turbulence 0.3 scale 40
    color_map { [0 rgb <0.7, 0.69, 0.66>] [1 rgb <0.74, 0.73, 0.7>] } }
  normal { granite 0.05 scale 0.6 } finish { diffuse 0.85 } }
plane { z, 0 texture { Tex(Wall) } }
#declare Cloth = texture { pigment { rgb <0.88, 0.875, 0.86> }
  normal { average normal_map { [1 gradient x 0.4 triangle_wave scale 0.22] [1 gradient y 0.4 triangle_wave scale 0.22]
                                [1 bumps 0.15 scale 0.05] } }
  finish { diffuse 0.9 } }
#declare WU = function(x, y, z) { select((x + CW / 2) - (z + CD), -z, CD + x + CW / 2) / (CW + CD) }
#declare WV = function(x, y, z) { (CH / 2 - y) / CH }
#declare WIn = function(x, y, z) { select(min(x + CW / 2, z + CD) - 0.3, 1, 0) * select(abs(y) - (CH / 2 - 0.001), 1, 0) }
object { Round_Box(<-CW / 2, -CH / 2, -CD>, <CW / 2, CH / 2, 0>, 0.12, 1)
  texture { PrintTex(Cloth, WU, WV, WIn) } translate y * 1 }

