// A natural cotton canvas tote bag (37 x 40.5 cm) lying flat on a pale paper backdrop, its two webbing
// straps lying in loose loops above it, seen from above at a slight angle, soft window light from the left.
// The bag and its straps are one height field made by build.py (cloth-height.png: a rounded folded edge, a
// gentle puff, soft folds, hem, seams and stitching; cloth-color.png: the canvas's flecks, the straps' tone,
// the thread). The field sits a hair below the floor: the cloth's outline is where it rises through it.
#include "common.inc"
#include "cloth-field.inc"        // HMax, FX0, FZ0, FS (the field's plan), PrintX0, PrintZ0, PrintW, PrintH
camera { location <0, 150, -36> look_at <0, 0, 9.5> angle 28.5 right x up y }
#if (LIGHTS)
  light_source { <-150, 85, 60> rgb 1.2 area_light x * 70, z * 70, 9, 9 adaptive 2 circular orient
    fade_distance 190 fade_power 2 }
  light_source { <80, 160, -90> rgb 0.2 shadowless }
#end
// a matte paper backdrop: faint, irregular mottling and a fine tooth, no pattern
#declare Paper = texture {
  pigment { bozo turbulence 0.6 octaves 5 lambda 2.2 scale 22
    color_map { [0 rgb <0.735, 0.725, 0.7>] [0.5 rgb <0.755, 0.745, 0.72>] [1 rgb <0.745, 0.733, 0.705>] } }
  normal { average normal_map { [1 granite 0.025 scale 8] [1 bumps 0.08 scale 0.05] } }
  finish { diffuse 0.85 } }
plane { y, 0 texture { Tex(Paper) } }
#declare Canvas = texture {
  pigment { image_map { png "cloth-color.png" gamma 1.0 interpolate 2 } rotate x * 90 scale <FS, 1, FS> translate <FX0, 0, FZ0> }
  normal { average normal_map { [1 bumps 0.25 scale <0.05, 0.05, 0.025>] [1 granite 0.06 scale 0.6] } }
  finish { diffuse 0.9 } }
#declare CU = function(x, y, z) { (x - PrintX0) / PrintW }
#declare CV = function(x, y, z) { (PrintZ0 - z) / PrintH }
#declare InRect = function(x, y, z) { select(CU(x, y, z), 0, select(1 - CU(x, y, z), 0, select(CV(x, y, z), 0,
  select(1 - CV(x, y, z), 0, 1)))) }
height_field { png "cloth-height.png" smooth scale <FS, HMax, FS> translate <FX0, -0.015, FZ0>
  texture { PrintTex(Canvas, CU, CV, InRect) } }
