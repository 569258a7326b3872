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


ALL = {"business-card": business_card}

if __name__ == "__main__":
    names = sys.argv[1:] or list(ALL)
    t0 = time.time()
    for n in names:
        t = time.time()
        print("== %s" % n, flush=True)
        ALL[n]()
        print("   %s: %.1fs" % (n, time.time() - t), flush=True)
    print("all: %.1fs" % (time.time() - t0))
