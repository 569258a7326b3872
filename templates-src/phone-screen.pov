// A smartphone (7.15 x 14.67 x 0.78 cm) lying at an angle on a light oak desk. The display is the print.
#include "common.inc"
#declare PW = 7.15; #declare PH = 14.67; #declare PT = 0.78;
#declare SW = 6.6; #declare SH = 14.3; #declare SR = 0.95;     // display size and corner radius
camera { location <0, 30, -24> look_at <0, 0, 0.3> angle 36 right x * 4/3 up y }
#if (LIGHTS)
  light_source { <-30, 60, 35> rgb 1.1 area_light x * 25, z * 25, 6, 6 adaptive 1 circular orient }
  light_source { <20, 40, -40> rgb 0.25 shadowless }
#end
// (the glass's reflection of a window is drawn by build.py as the glare overlay)
#declare Oak = texture {
  pigment { wood turbulence 0.05 octaves 5 lambda 2.3
    color_map { [0 rgb <0.52, 0.38, 0.24>] [0.45 rgb <0.6, 0.45, 0.29>] [0.75 rgb <0.48, 0.34, 0.21>] [1 rgb <0.52, 0.38, 0.24>] }
    warp { turbulence <0.25, 0.25, 0.02> } scale <0.9, 0.9, 50> rotate y * 8 translate <0, -4, 0> }
  normal { wood 0.04 scale <0.9, 0.9, 50> rotate y * 8 translate <0, -4, 0> }
  finish { diffuse 0.75 specular 0.15 roughness 0.02 } }
plane { y, 0 texture { Tex(Oak) } }
#declare Frame = texture { pigment { rgb <0.09, 0.09, 0.1> }
  finish { diffuse 0.5 specular 0.5 roughness 0.01 metallic } }
#declare GlassOff = texture { pigment { rgb 0.004 } finish { diffuse 0.3 specular 0.3 roughness 0.004 } }
#declare GlassShine = texture { pigment { rgb 0 } finish { ambient 0 diffuse 0 specular 0.6 roughness 0.003
  reflection { 0.05, 0.5 falloff 3 } } }
#declare ScrU = function(x, y, z) { (x + SW / 2) / SW }
#declare ScrV = function(x, y, z) { (SH / 2 - z) / SH }
#declare InScreen = function(x, y, z) {
  select(pow(max(abs(x) - (SW / 2 - SR), 0), 2) + pow(max(abs(z) - (SH / 2 - SR), 0), 2) - SR * SR, 1, 0) *
  select(pow(max(abs(x) - 0.72, 0), 2) + pow(z - (SH / 2 - 0.62), 2) - 0.3 * 0.3, 0, 1) }
// a rounded rectangle in x-z, corner radius Rc, as a prism from y0 to y1
#macro RoundRect(W2, H2, Rc, Y0, Y1)
  prism { linear_sweep linear_spline Y0, Y1, 4 * 9 + 1,
    #for (Q, 0, 3)
      #local Cx = (Q = 0 | Q = 3 ? 1 : -1) * (W2 - Rc);
      #local Cz = (Q < 2 ? 1 : -1) * (H2 - Rc);
      #for (K, 0, 8)
        #local A = radians(Q * 90 + K * 90 / 8);
        <Cx + Rc * cos(A), Cz + Rc * sin(A)>,
      #end
    #end
    <W2, H2 - Rc> }
#end
union {
  // aluminium band with softened edges, then the glass on top
  object { RoundRect(PW / 2, PH / 2, 1.15, 0.06, PT - 0.06) texture { Tex(Frame) } }
  object { RoundRect(PW / 2 - 0.06, PH / 2 - 0.06, 1.09, 0, PT) texture { Tex(Frame) } }
  object { RoundRect(PW / 2 - 0.07, PH / 2 - 0.07, 1.08, PT - 0.01, PT + 0.004) texture { Gloss(GlassOff, GlassShine) } }
  #if (PASS = 1 | PASS = 2)
    box { <-SW / 2, PT + 0.006, -SH / 2>, <SW / 2, PT + 0.007, SH / 2>
          texture { PrintTex(GlassOff, ScrU, ScrV, InScreen) } }
  #end
  // camera bump shadow side is down; a little lift so it does not sit in the wood
  rotate y * -28 translate <0.6, 0, 0.4>
}
