#!/usr/bin/env python3
"""Renders the built-in mockup templates from the POV-Ray scenes beside this file and writes the template
folders (docs/templates.md, format version 1) to Sources/BackdropCore/Resources/Templates/.
Usage: build.py [name ...]   (all when none). Run through scripts/render-templates."""
import sys, time
import numpy as np
from tplkit import *  # noqa: F401,F403


def doc(name, title, w, h, placements, overlays=None):
    d = {"version": 1, "name": name, "title": title, "canvas": {"width": w, "height": h}, "base": "base.jpg",
         "placements": placements}
    if overlays:
        d["overlays"] = overlays
    return d


def planar(scene, w, h, declares=None):
    """The common passes of a scene whose print is flat: base, mask, uv; the quad fitted to the uv pass."""
    base = render(scene, "base", w, h, declares)
    mask = mask_image(render(scene, "mask", w, h, declares))
    uv = render(scene, "uv", w, h, declares)
    H, quad, err = quad_from_uv(uv, mask > 254)
    cov, outside = check_quad(quad, mask, w, h)
    print("    quad %s  fit error %.3f px, edge coverage diff %.1f/255, mask px outside quad %d"
          % (quad, err, cov, outside))
    return base, mask, uv, quad


def business_card():
    W, H = 2000, 1500
    base, mask, uv, quad = planar("business-card", W, H)
    shading, ref = shading_map(base, mask)
    lighting = lighting_map(base, mask, sigma=4, gain=1.5)
    pl = {"name": "front", "printArea": {"width": 1050, "height": 600, "fit": "fill"},
          "geometry": {"type": "perspective", "quad": quad}, "mask": mask_entry(0.6),
          "lighting": {"image": "lighting.png", "mode": "soft-light", "strength": 0.6},
          "shading": {"image": "shading.png"}, "blend": "normal", "opacity": 1}
    write_template("business-card", doc("business-card", "Business cards on a walnut desk, 3.5 × 2 in", W, H, [pl]),
                   {"base.jpg": lambda p: save_jpeg(base, p), "print-mask.png": lambda p: save_grey(mask, p),
                    "shading.png": lambda p: save_grey(shading, p), "lighting.png": lambda p: save_grey(lighting, p)})


def glare_overlay(g):
    """The glare pass as an RGBA screen overlay: black (no change) where there is nothing."""
    g = np.clip(g, 0, 1)
    g[g.max(axis=2) < 1.5 / 255] = 0
    return g


def fit_cylinder(uv, inner):
    """The docs' cylinder model fitted to the uv pass (u = angle / 180 + 0.5, v = 0 at the print's top):
    x = centre + radius sin(phi); y = top + t (bottom - top) - arc(t) (1 - cos(phi)), arc linear in t."""
    x, y, u, v = uv_points(uv, 3, inner)
    phi = np.radians((u - 0.5) * 180)
    A = np.stack([np.ones_like(phi), np.sin(phi)], 1)
    (cx, r), *_ = np.linalg.lstsq(A, x, rcond=None)
    c = 1 - np.cos(phi)
    B = np.stack([1 - v, v, -(1 - v) * c, -v * c], 1)
    (top, bottom, arct, arcb), *_ = np.linalg.lstsq(B, y, rcond=None)
    ex = np.abs(A @ [cx, r] - x).max(); ey = np.abs(B @ [top, bottom, arct, arcb] - y).max()
    return dict(centre=cx, radius=r, top=top, bottom=bottom, arc=arct, arcBottom=arcb, ex=ex, ey=ey)


def mug():
    W, H = 2000, 2000
    base = render("mug", "base", W, H)
    mask = mask_image(render("mug", "mask", W, H))
    uv = render("mug", "uv", W, H)
    glare = glare_overlay(render("mug", "glare", W, H))
    c = fit_cylinder(uv, mask > 254)
    print("    cylinder fit: %s" % {k: round(float(v), 2) for k, v in c.items()})
    geo = {"type": "cylinder", "left": round(c["centre"] - c["radius"], 2), "right": round(c["centre"] + c["radius"], 2),
           "top": round(c["top"], 2), "bottom": round(c["bottom"], 2), "arc": round(c["arc"], 2),
           "arcBottom": round(c["arcBottom"], 2), "startAngle": -75, "endAngle": 75}
    # the print's size: 150 degrees of an 8.2 cm mug (10.7 cm) by 7.6 cm, about 1.2x its footprint
    pl = {"name": "front", "printArea": {"width": 1130, "height": 800, "fit": "fill"},
          "geometry": geo, "mask": mask_entry(0.8), "blend": "multiply", "opacity": 1}
    write_template("mug", doc("mug", "White ceramic mug, 11 oz, on an oak table", W, H, [pl],
                              [{"image": "glare.png", "blend": "screen", "opacity": 1}]),
                   {"base.jpg": lambda p: save_jpeg(base, p), "print-mask.png": lambda p: save_grey(mask, p),
                    "glare.png": lambda p: save_rgba(glare, np.ones(glare.shape[:2]), p)})


def phone_screen():
    W, H = 2000, 1500
    base, mask, uv, quad = planar("phone-screen", W, H)
    glare = glare_overlay(render("phone-screen", "glare", W, H))
    # a 6.1 in display, 1179 x 2556 px, at about its footprint here
    pl = {"name": "screen", "printArea": {"width": 600, "height": 1300, "fit": "fill"},
          "geometry": {"type": "perspective", "quad": quad}, "mask": mask_entry(0.6), "blend": "normal", "opacity": 1}
    write_template("phone-screen", doc("phone-screen", "Smartphone on an oak desk, the display as the print", W, H,
                                       [pl], [{"image": "glare.png", "blend": "screen", "opacity": 1}]),
                   {"base.jpg": lambda p: save_jpeg(base, p), "print-mask.png": lambda p: save_grey(mask, p),
                    "glare.png": lambda p: save_rgba(glare, np.ones(glare.shape[:2]), p)})


def product_box():
    W, H = 2000, 2000
    base = render("product-box", "base", W, H)
    files = {"base.jpg": lambda p: save_jpeg(base, p)}
    placements, ref = [], None
    for face, name, area in ((1, "front", (1000, 1500)), (2, "side", (500, 1500))):
        mask = mask_image(render("product-box", "mask", W, H, {"FACE": face}, tag="-" + name))
        uv = render("product-box", "uv", W, H, {"FACE": face}, tag="-" + name)
        _, quad, err = quad_from_uv(uv, mask > 254)
        print("    %s quad %s  fit error %.3f px" % (name, quad, err))
        if ref is None:    # one white reference for both faces, the front's: the side stays darker
            ref = np.percentile(lum(base)[mask > 254], 98)
        Y = lum(base)
        sh = np.clip(Y / ref, 0, 1) * 255
        sh = np.where(grow(mask, 3), blur_in(sh, mask > 254, 1.0), 255.0)
        print("    %s shading: median %.0f" % (name, np.median(sh[mask > 254])))
        li = lighting_map(base, mask, sigma=4, gain=1.2)
        files[name + "-mask.png"] = (lambda m: lambda p: save_grey(m, p))(mask)
        files[name + "-shading.png"] = (lambda m: lambda p: save_grey(m, p))(sh)
        files[name + "-lighting.png"] = (lambda m: lambda p: save_grey(m, p))(li)
        placements.append({"name": name, "printArea": {"width": area[0], "height": area[1], "fit": "fill"},
                           "geometry": {"type": "perspective", "quad": quad},
                           "mask": {"image": name + "-mask.png", "feather": 0.6},
                           "lighting": {"image": name + "-lighting.png", "mode": "soft-light", "strength": 0.5},
                           "shading": {"image": name + "-shading.png"}, "blend": "normal", "opacity": 1})
    write_template("product-box", doc("product-box", "Product box, 12 × 18 × 6 cm, front and side", W, H, placements),
                   files)


ALL = {"business-card": business_card, "mug": mug, "phone-screen": phone_screen, "product-box": product_box}

if __name__ == "__main__":
    names = sys.argv[1:] or list(ALL)
    t0 = time.time()
    for n in names:
        t = time.time()
        print("== %s" % n, flush=True)
        ALL[n]()
        print("   %s: %.1fs" % (n, time.time() - t), flush=True)
    print("all: %.1fs" % (time.time() - t0))
