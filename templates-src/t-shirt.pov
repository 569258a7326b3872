// A white cotton t-shirt laid flat on a pale concrete floor, with soft folds, seen from above. The shirt is a
// height field made by build.py (cloth-height.png: folds, hems, seams, the collar; its edge a rounded fold)
// that sits a hair below the floor: the shirt's outline is where the cloth rises through it.
// The print (12 x 16 in, 30.5 x 40.6 cm) sits on the chest; its uv is the fabric's own plan position.
#include "common.inc"
#include "cloth-field.inc"        // HMax, FX0, FZ0, FS (the field's plan), PrintX0, PrintZ0, PrintW, PrintH
camera { location <0, 175, -38> look_at <0, 0, -1.5> angle 27.5 right x up y }
#if (LIGHTS)
  light_source { <-140, 95, 70> rgb 1.1 area_light x * 50, z * 50, 3, 3 adaptive 1 circular orient }
  light_source { <60, 160, -60> rgb 0.22 shadowless }
#end
#declare Floor = texture { pigment { granite turbulence 0.4 scale 60
    color_map { [0 rgb <0.5, 0.49, 0.47>] [1 rgb <0.56, 0.55, 0.53>] } }
  normal { granite 0.1 scale 0.5 } finish { diffuse 0.8 } }
plane { y, 0 texture { Tex(Floor) } }
#declare Cotton = texture { pigment { rgb <0.8, 0.8, 0.79> }
  normal { bumps 0.12 scale 0.09 }
  finish { diffuse 0.9 } }
#declare CU = function(x, y, z) { (x - PrintX0) / PrintW }
#declare CV = function(x, y, z) { (PrintZ0 - z) / PrintH }
#declare InRect = function(x, y, z) { select(CU(x, y, z), 0, select(1 - CU(x, y, z), 0, select(CV(x, y, z), 0,
  select(1 - CV(x, y, z), 0, 1)))) }
height_field { png "cloth-height.png" smooth scale <FS, HMax, FS> translate <FX0, -0.015, FZ0>
  texture { PrintTex(Cotton, CU, CV, InRect) } }
