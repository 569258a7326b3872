#!/usr/bin/env python3
"""Renders the built-in mockup templates from the POV-Ray scenes beside this file and writes the template
folders (docs/templates.md, format version 1) to Sources/BackdropMockup/Resources/Templates/.
Usage: build.py [name ...]   (all when none). Run through scripts/render-templates."""
import os, sys, time
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
          "lighting": {"image": "lighting.jpg", "mode": "soft-light", "strength": 0.6},
          "shading": {"image": "shading.jpg"}, "blend": "normal", "opacity": 1}
    write_template("business-card", doc("business-card", "Business cards on a walnut desk, 3.5 × 2 in", W, H, [pl]),
                   {"base.jpg": lambda p: save_jpeg(base, p), "print-mask.png": lambda p: save_grey(mask, p),
                    "shading.jpg": lambda p: save_grey_jpeg(shading, p), "lighting.jpg": lambda p: save_grey_jpeg(lighting, p)})


def glare_overlay(g):
    """The glare pass as a screen overlay: black (no change) where there is nothing."""
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
    pl = {"name": "front", "printArea": {"width": 1130, "height": 800, "fit": "fit"},
          "geometry": geo, "mask": mask_entry(0.8), "blend": "multiply", "opacity": 1}
    write_template("mug", doc("mug", "White ceramic mug, 11 oz, on an oak table", W, H, [pl],
                              [{"image": "glare.jpg", "blend": "screen", "opacity": 1}]),
                   {"base.jpg": lambda p: save_jpeg(base, p), "print-mask.png": lambda p: save_grey(mask, p),
                    "glare.jpg": lambda p: save_overlay_jpeg(glare, p)})


def phone_screen():
    W, H = 2000, 1500
    base, mask, uv, quad = planar("phone-screen", W, H)
    # the glass reflects a window: a soft-edged diagonal band of light over the glass (the screen and its
    # black border, i.e. the mask's filled outline grown a few px)
    glass = ndimage.gaussian_filter(ndimage.binary_fill_holes(mask > 128).astype(float), 1.0)
    glass = np.clip(ndimage.gaussian_filter(ndimage.binary_dilation(glass > 0.5, iterations=6).astype(float), 1.2), 0, 1)
    yy, xx = np.mgrid[0:H, 0:W].astype(float)
    s = (xx * 0.55 + yy * 0.83 - 1010) / 25.0            # signed distance (in 25 px) across the window's edge
    band = 1 / (1 + np.exp(s)) * (0.55 + 0.45 * np.clip((xx - 500) / 1100, 0, 1))
    g = 0.34 * band * glass
    glare = np.dstack([g * 0.97, g * 0.99, g])
    # a 6.1 in display, 1179 x 2556 px, at about its footprint here
    pl = {"name": "screen", "printArea": {"width": 600, "height": 1300, "fit": "fill"},
          "geometry": {"type": "perspective", "quad": quad}, "mask": mask_entry(0.6), "blend": "normal", "opacity": 1}
    write_template("phone-screen", doc("phone-screen", "Smartphone on an oak desk, the display as the print", W, H,
                                       [pl], [{"image": "glare.jpg", "blend": "screen", "opacity": 1}]),
                   {"base.jpg": lambda p: save_jpeg(base, p), "print-mask.png": lambda p: save_grey(mask, p),
                    "glare.jpg": lambda p: save_overlay_jpeg(glare, p)})


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
        files[name + "-shading.jpg"] = (lambda m: lambda p: save_grey_jpeg(m, p))(sh)
        files[name + "-lighting.jpg"] = (lambda m: lambda p: save_grey_jpeg(m, p))(li)
        placements.append({"name": name, "printArea": {"width": area[0], "height": area[1], "fit": "fill"},
                           "geometry": {"type": "perspective", "quad": quad},
                           "mask": {"image": name + "-mask.png", "feather": 0.6},
                           "lighting": {"image": name + "-lighting.jpg", "mode": "soft-light", "strength": 0.5},
                           "shading": {"image": name + "-shading.jpg"}, "blend": "normal", "opacity": 1})
    write_template("product-box", doc("product-box", "Product box, 12 × 18 × 6 cm, front and side", W, H, placements),
                   files)


# ---------------------------------------------------------------- cloth: t-shirt and tote bag
# Each piece of cloth is one height field: heights above the floor, 0 off the cloth, the field a hair below
# the floor so the floor hides it there. The silhouette is where the cloth's smooth height (a rounded fold
# over an exact signed distance to the outline) rises through the floor: sub-cell accurate, no cut-out prism
# and so no stair-stepped edges.

def ridge(X, Z, x0, z0, x1, z1, amp, width):
    """A crease: a Gaussian ridge along the segment, fading towards its ends."""
    dx, dz = x1 - x0, z1 - z0
    L2 = dx * dx + dz * dz
    t = np.clip(((X - x0) * dx + (Z - z0) * dz) / L2, 0, 1)
    px, pz = x0 + t * dx, z0 + t * dz
    d2 = (X - px) ** 2 + (Z - pz) ** 2
    return amp * np.exp(-d2 / (width * width)) * np.sin(np.pi * t) ** 2


def shirt_outline():
    """The flat shirt's outline (cm, x right, z up the shirt): rounded shoulders, sleeves with slightly curved
    hems, a body a little narrower at the waist, a softly curved hem. Smooth pieces between the corners."""
    pieces = [  # right half, from the back of the neck round to the hem's middle
        [(0, 34.6), (4.4, 34.95), (7.8, 35.6), (9.6, 35.75)],            # the back of the neck, rising
        [(9.6, 35.75), (15.0, 34.1), (20.4, 32.2), (23.6, 30.6), (27.6, 27.7),
         (33.0, 24.0), (37.7, 21.0)],                                   # shoulder, top of the sleeve
        [(37.7, 21.0), (36.0, 17.8), (34.1, 14.9), (32.0, 12.1), (30.2, 9.8)],   # sleeve hem, a gentle curve
        [(30.2, 9.8), (28.3, 11.3), (26.6, 12.4), (25.6, 11.0), (25.1, 5.0), (24.6, -6.0), (24.5, -18.0),
         (24.9, -29.0), (25.5, -35.6)],                                 # under the sleeve, the side
        [(25.5, -35.6), (24.8, -36.6), (20.0, -37.2), (10.0, -37.6), (0, -37.7)]]    # hem
    right = []
    for p in pieces:
        c, _ = catmull(p, step=0.1)
        right += [tuple(q) for q in c[:-1]]
    right.append((0, -37.7))
    left = [(-x, z) for x, z in reversed(right[1:-1])]
    return right + left


def field_grid(X0, Z0, S, res):
    """The plan of a cloth height field: S x S cm from (X0, Z0), res x res cells; image row 0 is the far
    edge (z = Z0 + S). Returns the cell size and the cells' centres (X, Z)."""
    cell = S / res
    cx = X0 + (np.arange(res) + 0.5) * cell
    cz = Z0 + S - (np.arange(res) + 0.5) * cell
    X, Z = np.meshgrid(cx, cz)
    return cell, X, Z


def cloth_body(sd, cell, rng, edge_width, edge_height, inner_depth, puff_blur, puff_height, swell_blur, swell_height):
    """The shape of a piece of cloth lying flat, from the signed distance to its outline (cm, > 0 inside):
    a rounded folded edge (edge_height cm, reached edge_width cm in), a ramp that lets surface detail in
    (inner_depth cm), a puff over the blurred outline and a faint random swell (one draw from rng)."""
    t = np.clip(sd / edge_width, 0, 1)
    edge = edge_height * np.sqrt(t * (2 - t))
    inner = 1 - np.exp(-np.maximum(sd, 0) / inner_depth)
    g = np.clip((ndimage.gaussian_filter((sd > 0).astype(float), puff_blur / cell) - 0.2) / 0.8, 0, 1)
    puff = puff_height * g * g * (3 - 2 * g)
    swell = ndimage.gaussian_filter(rng.standard_normal(sd.shape), swell_blur / cell)
    swell = swell / np.abs(swell).max() * swell_height
    return edge, inner, puff, swell


def write_field(d, h, plan, printrect):
    """Writes cloth-height.png (16 bit, h / HMax) and cloth-field.inc (the plan and the print's rectangle)."""
    hmax = float(h.max()) * 1.02
    Image.fromarray(np.round(h / hmax * 65535).astype(np.uint16)).save(os.path.join(d, "cloth-height.png"))
    with open(os.path.join(d, "cloth-field.inc"), "w") as f:
        f.write("#declare HMax = %.4f;\n#declare FX0 = %.4f;\n#declare FZ0 = %.4f;\n#declare FS = %.4f;\n"
                % ((hmax,) + tuple(plan)))
        f.write("#declare PrintX0 = %.4f;\n#declare PrintZ0 = %.4f;\n#declare PrintW = %.4f;\n#declare PrintH = %.4f;\n"
                % tuple(printrect))


def shirt_inputs(res=2048):
    """cloth-height.png (16 bit) and cloth-field.inc for t-shirt.pov: one height field, the shirt's edge a
    rounded fold that meets the floor (no cut-out prism, so no stair-stepped edges)."""
    d = os.path.join(WORK, "t-shirt")
    os.makedirs(d, exist_ok=True)
    plan = (-42.0, -42.0, 84.0)                          # x0, z0, side (cm)
    cell, X, Z = field_grid(*plan, res)
    sd = signed_distance(shirt_outline(), X, Z)
    edge, inner, puff, swell = cloth_body(sd, cell, np.random.default_rng(7), edge_width=0.5, edge_height=0.32,
                                          inner_depth=1.8, puff_blur=4.5, puff_height=0.95, swell_blur=4.0,
                                          swell_height=0.45)
    folds = sum(ridge(X, Z, *c) for c in SHIRT_CREASES) + shirt_collar(X, Z)
    # hems: the body's (2.5 cm) and the sleeves' (2 cm), a turned-up double layer ending in a soft step,
    # and the seams: shoulders and armholes, faint ridges
    ax = np.abs(X)
    body_hem = 0.08 / (1 + np.exp(np.clip((Z - (-37.7 + 2.5 + 0.004 * X * X)) / 0.1, -50, 50)))
    # the sleeve hem runs from (37.7, 21.0) to (30.2, 9.8): distance inside it, along its normal
    nx, nz = 11.2, -7.5
    nl = np.hypot(nx, nz); nx, nz = nx / nl, nz / nl
    sdist = (ax - 37.7) * nx + (Z - 21.0) * nz          # > 0 beyond the hem line
    sleeve_hem = 0.07 / (1 + np.exp(np.clip(-(sdist + 2.0) / 0.1, -50, 50))) * (Z > 6)
    shoulder = 0.05 * np.exp(-(((Z - 34.6) - (ax - 9.2) * (-0.16)) / 0.25) ** 2) * (ax > 9.5) * (ax < 23)
    arm = np.hypot((ax - 25.4) / 1.0, (Z - 21.5) / 9.2)
    armhole = 0.06 * np.exp(-((arm - 1) * 3.0) ** 2) * (ax > 21) * (Z > 11)
    h = np.where(sd > 0, edge + (puff + folds + swell + body_hem + sleeve_hem + shoulder + armhole) * inner, 0.0)
    h = ndimage.gaussian_filter(h, 0.6)
    write_field(d, h, plan, (-15.25, 24.6, 30.5, 40.6))
    return h


def shirt_collar(X, Z):
    # the front neckline: a rib ridge along a half ellipse between the neck points, the fabric inside it
    # (the inside of the back) a little lower; the back neck's rib follows the outline's top
    a, b, zc = 9.2, 7.6, 35.4
    r = np.sqrt((X / a) ** 2 + ((Z - zc) / b) ** 2)
    below = 1 / (1 + np.exp(np.clip((Z - zc) / 0.35, -50, 50)))       # soft ends at the neck points
    rib = 0.5 * np.exp(-((r - 1) * 8.0) ** 2) * below
    hole = np.where(r < 1, -0.45 * (1 - np.exp(-((1 - r) * 6) ** 2)), 0.0) * below
    back = 0.3 * np.exp(-((Z - (34.6 + 0.011 * X * X) + 0.9) / 0.5) ** 2) * (Z > 31) \
        / (1 + np.exp(np.clip((np.abs(X) - 9.0) / 0.35, -50, 50)))
    return rib + hole + back


SHIRT_CREASES = [  # x0, z0, x1, z1, amplitude, width (cm)
    (-22, 14, -4, -32, 0.6, 2.4), (-16, 26, 4, -2, 0.4, 2.2), (6, 2, 24, -34, 0.55, 2.4),
    (2, 18, 20, -10, -0.35, 2.8), (-26, -16, -8, -38, 0.45, 2.0), (14, 30, 28, 6, 0.5, 2.2),
    (-6, -14, 12, -38, 0.35, 2.0), (-30, 28, -20, 14, 0.4, 1.8), (26, 24, 36, 12, 0.35, 1.6),
    (-12, 8, 8, 22, 0.25, 3.0)]


def cloth_passes(scene, W, H):
    base = render(scene, "base", W, H)
    mask = mask_image(render(scene, "mask", W, H))
    uv = render(scene, "uv", W, H)
    return base, mask, uv


def cloth_maps(base, mask, uv, forward):
    region = grow(mask, 4)
    disp, scale, dmax = displacement_map(uv, region, forward)
    lighting = lighting_map(base, mask, sigma=3, gain=1.6)
    print("    displacement scale %.0f px (largest move %.1f px)" % (scale, dmax))
    return disp, scale, lighting


def t_shirt():
    W, H = 2000, 2000
    shirt_inputs()
    base, mask, uv = cloth_passes("t-shirt", W, H)
    C, R = 13, 17
    uq, vq = np.meshgrid(np.linspace(0, 1, C), np.linspace(0, 1, R))
    gx, gy = uv_to_xy_interp(uv, grow(mask, 40), uq.ravel(), vq.ravel(), stride=3)
    assert not np.isnan(gx).any(), "a mesh point fell outside the uv pass"
    pts = [[round(float(a), 2), round(float(b), 2)] for a, b in zip(gx, gy)]
    disp, scale, lighting = cloth_maps(base, mask, uv, lambda u, v: mesh_forward(pts, C, R, u, v))
    pl = {"name": "front", "printArea": {"width": 900, "height": 1200, "fit": "fit", "align": "top"},
          "geometry": {"type": "mesh", "columns": C, "rows": R, "points": pts}, "mask": mask_entry(0.8),
          "displacement": {"image": "displacement.png", "scale": scale},
          "lighting": {"image": "lighting.jpg", "mode": "soft-light", "strength": 0.7},
          "blend": "multiply", "opacity": 0.96}
    write_template("t-shirt", doc("t-shirt", "White cotton t-shirt, flat lay, 12 × 16 in print", W, H, [pl]),
                   {"base.jpg": lambda p: save_jpeg(base, p), "print-mask.png": lambda p: save_grey(mask, p),
                    "displacement.png": lambda p: Image.fromarray(disp, "RGB").save(p, optimize=True),
                    "lighting.jpg": lambda p: save_grey_jpeg(lighting, p)})


def poster_frame():
    W, H = 1600, 2000
    base, mask, uv, quad = planar("poster-frame", W, H)
    # the glass: the frame's inner opening (the mat's outline, 48 x 66 cm around the 36 x 54 window); its glare
    # a soft diagonal band of window light
    Hm, _, _ = quad_from_uv(uv, mask > 254)
    mu, mv = 6 / 36, 6 / 54
    gx, gy = apply_h(Hm, np.array([-mu, 1 + mu, 1 + mu, -mu]), np.array([-mv, -mv, 1 + mv, 1 + mv]))
    from PIL import ImageDraw
    big = Image.new("L", (W * 4, H * 4), 0)
    ImageDraw.Draw(big).polygon([(a * 4, b * 4) for a, b in zip(gx, gy)], fill=255)
    glass = np.asarray(big.resize((W, H), Image.BOX), np.float64) / 255
    yy, xx = np.mgrid[0:H, 0:W].astype(float)
    s1 = (xx * 0.8 + yy * 0.6 - 1050) / 90.0
    s2 = (xx * 0.8 + yy * 0.6 - 1420) / 140.0
    band = 1 / (1 + np.exp(s1)) * 0.35 + 1 / (1 + np.exp(-s2)) * 1 / (1 + np.exp(s2 - 4)) * 0.4
    g = 0.22 * band * glass
    glare = np.dstack([g, g, g * 1.02])
    lighting = lighting_map(base, mask, sigma=4, gain=1.5)
    pl = {"name": "poster", "printArea": {"width": 1000, "height": 1500, "fit": "fill"},
          "geometry": {"type": "perspective", "quad": quad}, "mask": mask_entry(0.6),
          "lighting": {"image": "lighting.jpg", "mode": "soft-light", "strength": 0.5},
          "blend": "multiply", "opacity": 1}
    write_template("poster-frame", doc("poster-frame", "2:3 poster in a thin black frame with a passe-partout", W, H,
                                       [pl], [{"image": "glare.jpg", "blend": "screen", "opacity": 1}]),
                   {"base.jpg": lambda p: save_jpeg(base, p), "print-mask.png": lambda p: save_grey(mask, p),
                    "lighting.jpg": lambda p: save_grey_jpeg(lighting, p),
                    "glare.jpg": lambda p: save_overlay_jpeg(glare, p)})


# The tote: one height field holds the bag and both straps; a colour map gives the canvas its flecks, the
# straps their tone and the stitches their thread.

def signed_distance(poly, X, Z):
    """Distance (cm) from each grid point to the closed polygon's outline, positive inside. X, Z: a regular
    grid, x growing along rows, z falling down the columns."""
    from scipy.spatial import cKDTree
    from PIL import ImageDraw
    P = np.asarray(list(poly) + [poly[0]], np.float64)
    dense = []
    for a, b in zip(P[:-1], P[1:]):
        n = max(2, int(np.ceil(np.hypot(*(b - a)) / 0.004)))
        t = np.linspace(0, 1, n, endpoint=False)[:, None]
        dense.append(a + t * (b - a))
    dense = np.concatenate(dense)
    d, _ = cKDTree(dense).query(np.stack([X.ravel(), Z.ravel()], 1), distance_upper_bound=6.0)
    d = np.minimum(d, 6.0).reshape(X.shape)
    # inside: the polygon filled on the grid, then an exact even-odd test for the cells near the outline
    x0, z0 = X[0, 0], Z[0, 0]
    cell = X[0, 1] - X[0, 0]
    im = Image.new("L", (X.shape[1], X.shape[0]), 0)
    ImageDraw.Draw(im).polygon([((x - x0) / cell + 0.5, (z0 - z) / cell + 0.5) for x, z in poly], fill=255)
    inside = np.asarray(im) > 127
    near = d < 3 * cell
    px, pz = X[near], Z[near]
    inn = np.zeros(px.shape, bool)
    for (xa, za), (xb, zb) in zip(P[:-1], P[1:]):
        if za == zb:
            continue
        inn ^= ((za > pz) != (zb > pz)) & (px < xa + (pz - za) * (xb - xa) / (zb - za))
    inside[near] = inn
    return np.where(inside, d, -d)


def catmull(pts, step=0.004):
    """A Catmull-Rom curve through pts, sampled every ~step cm; returns points and their arc length."""
    P = np.asarray(pts, np.float64)
    P = np.concatenate([P[:1] * 2 - P[1:2], P, P[-1:] * 2 - P[-2:-1]])
    out = []
    for i in range(1, len(P) - 2):
        p0, p1, p2, p3 = P[i - 1], P[i], P[i + 1], P[i + 2]
        n = max(2, int(np.hypot(*(p2 - p1)) / step * 1.3))
        t = np.linspace(0, 1, n, endpoint=False)[:, None]
        out.append(0.5 * (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2
                          + (3 * p1 - p0 - 3 * p2 + p3) * t ** 3))
    out.append(P[-2:-1])
    c = np.concatenate(out)
    s = np.concatenate([[0], np.cumsum(np.hypot(*np.diff(c, axis=0).T))])
    return c, s


def strap_field(pts, X, Z, width=2.6, thick=0.24):
    """A flat webbing strap lying along the curve through pts: (height profile, stitch mask, inside)."""
    from scipy.spatial import cKDTree
    c, s = catmull(pts)
    d, i = cKDTree(c).query(np.stack([X.ravel(), Z.ravel()], 1), distance_upper_bound=width)
    d = d.reshape(X.shape); i = i.reshape(X.shape)
    ok = np.isfinite(d) & (i > 0) & (i < len(c) - 1)          # square ends: nothing beyond the end points
    d = np.where(ok, d, width)
    sa = np.where(ok, s[np.minimum(i, len(c) - 1)], 0.0)
    half = width / 2
    u = np.clip((half - d) / 0.16, 0, 1)                      # a rounded edge, 1.6 mm
    prof = thick * np.sqrt(u * (2 - u))
    # two rows of stitching 3 mm in from the edges: 3.5 mm stitches, the thread sunk a little between them
    row = np.exp(-((d - (half - 0.3)) / 0.06) ** 2)
    dash = 0.5 + 0.5 * np.cos(2 * np.pi * sa / 0.45)
    prof = prof + (0.02 * dash - 0.025) * row * (u > 0.99)
    stitch = row * (dash > 0.35) * (u > 0.99)
    return prof * (d < half), stitch, d < half


def tote_outline():
    # the bag's body (37 x 40.5 cm lying flat), a touch narrower at the top, corners a little rounded,
    # the edges not ruler-straight
    rng = np.random.default_rng(5)
    pts = []
    for (cx, cz, a0) in ((18.1, 19.8, 0), (-18.1, 19.8, 90), (-18.5, -19.7, 180), (18.5, -19.7, 270)):
        for k in range(7):
            a = np.radians(a0 + k * 15)
            pts.append((cx + 0.7 * np.cos(a), cz + 0.7 * np.sin(a)))
    # subdivide the straight sides and let them wander by a millimetre or two
    out = []
    for p, q in zip(pts, pts[1:] + pts[:1]):
        L = np.hypot(q[0] - p[0], q[1] - p[1])
        n = max(1, int(L / 2.0))
        nx, nz = (q[1] - p[1]) / L, -(q[0] - p[0]) / L
        w = rng.standard_normal(n) * 0.07 if n > 1 else np.zeros(n)
        w = ndimage.gaussian_filter1d(w, 1.2) * 2.0 if n > 3 else w * 0
        for k in range(n):
            t = k / n
            out.append((p[0] + t * (q[0] - p[0]) + w[k] * nx, p[1] + t * (q[1] - p[1]) + w[k] * nz))
    return out


TOTE_TOP = 20.5
TOTE_CREASES = [  # soft folds: x0, z0, x1, z1, amplitude, width (cm)
    (-15, 14, -4, -17, 0.26, 2.4), (7, 17, 15, -5, 0.22, 2.0), (-17, -10, -5, -19, 0.2, 1.8),
    (3, -8, 15, -19, -0.18, 2.4), (-9, 19, 1, 15, 0.14, 1.5), (11, 19.5, 17.5, 12, 0.26, 1.3),
    (-17.5, 17, -12, 19.8, 0.2, 1.1), (-2, 5, 9, -2, 0.12, 2.6), (-6, 12, 2, -6, 0.1, 1.2)]
# the straps' centre lines (cm): the front one sewn on the bag's front below the hem, lying in a loose loop
# leaning right; the back one coming out from under the opening, leaning left, partly under the front one
FRONT_STRAP = [(-6.2, 16.2), (-6.2, 18.6), (-5.8, 21.5), (-4.4, 25.6), (-1.6, 29.6), (2.4, 32.9), (7.0, 34.4),
               (10.9, 33.2), (12.6, 29.8), (11.6, 25.6), (9.0, 22.4), (6.8, 20.1), (6.2, 18.6), (6.2, 16.2)]
BACK_STRAP = [(-7.4, 17.5), (-7.5, 20.5), (-8.3, 24.6), (-9.5, 29.4), (-9.3, 34.2), (-6.4, 38.0), (-1.6, 39.4),
              (2.9, 38.2), (5.9, 34.4), (7.3, 29.0), (7.5, 24.0), (7.4, 20.5), (7.4, 17.5)]


def tote_inputs(res=2048):
    """cloth-height.png (16 bit), cloth-color.png and cloth-field.inc for tote-bag.pov."""
    d = os.path.join(WORK, "tote-bag")
    os.makedirs(d, exist_ok=True)
    plan = (-40.0, -26.0, 80.0)                          # the field's plan: x -40..40, z -26..54
    cell, X, Z = field_grid(*plan, res)
    rng = np.random.default_rng(11)
    # the bag: two layers of canvas, a rounded folded edge 3 mm high, a gentle puff, soft folds
    sd = signed_distance(tote_outline(), X, Z)
    edge, inner, puff, swell = cloth_body(sd, cell, rng, edge_width=0.45, edge_height=0.3, inner_depth=1.6,
                                          puff_blur=4.0, puff_height=0.55, swell_blur=3.0, swell_height=0.22)
    folds = sum(ridge(X, Z, *c) for c in TOTE_CREASES)
    # and a scatter of small soft wrinkles, mostly running down the bag
    wr = np.random.default_rng(23)
    for _ in range(16):
        x0, z0 = wr.uniform(-16, 16), wr.uniform(-16, 17)
        a = np.radians(wr.uniform(60, 120)); L = wr.uniform(7, 16)
        folds = folds + ridge(X, Z, x0, z0, x0 + L * np.cos(a), z0 - L * np.sin(a),
                              wr.uniform(0.05, 0.11) * wr.choice([1, 1, -1]), wr.uniform(0.6, 1.3))
    # the hem along the opening: a 3 cm turned-down double layer with a row of stitching
    hem = 0.07 / (1 + np.exp(np.clip(-(Z - (TOTE_TOP - 3.1)) / 0.08, -50, 50)))
    srow = np.exp(-((Z - (TOTE_TOP - 2.7)) / 0.05) ** 2)
    sdash = 0.5 + 0.5 * np.cos(2 * np.pi * X / 0.42)
    hem = hem + (0.02 * sdash - 0.02) * srow
    # the side and bottom seams inside the fold: a faint ridge 1 cm in
    seam = 0.05 * np.exp(-((sd - 1.0) / 0.35) ** 2) * (Z < TOTE_TOP - 1.5)
    bag = np.where(sd > 0, edge + (puff + folds + swell + hem + seam) * inner, 0.0)
    # the straps: the back one under the bag where they meet, the front one over everything, draping over
    # the back strap (the ground under it blurred: webbing bridges a step)
    bp, bst, bin_ = strap_field(BACK_STRAP, X, Z)
    fp, fst, fin = strap_field(FRONT_STRAP, X, Z)
    h = np.maximum(bag, bp)
    ground = np.maximum(h, ndimage.gaussian_filter(h, 0.35 / cell))
    # the front strap's sewn-on ends: a row of stitching across each, 6 mm above the end
    xrow = np.exp(-((Z - 16.8) / 0.05) ** 2) * (0.5 + 0.5 * np.cos(2 * np.pi * X / 0.42)) * fin * (Z < 19)
    fp = fp - 0.02 * xrow
    fst = np.maximum(fst, (xrow > 0.35) * 1.0)
    h = np.where(fin, ground + fp, h)
    h = ndimage.gaussian_filter(h, 0.6)
    write_field(d, h, plan, (-13.5, 14.5, 27.0, 30.0))
    # colour (linear rgb, read with gamma 1): natural canvas with its brown flecks, the straps a shade
    # darker, the stitches in a lighter thread
    canvas = np.array([0.72, 0.625, 0.46])
    tone = 1 + 0.035 * ndimage.gaussian_filter(rng.standard_normal((res, res)), 2.5 / cell) / 0.02
    tone = 1 + np.clip(tone - 1, -0.06, 0.06)
    fleck = ndimage.gaussian_filter((rng.random((res, res)) < 0.0005).astype(float), 0.6) * 3.0
    fleck = np.clip(fleck, 0, 0.4) * rng.uniform(0.3, 1.0, (res, res))
    col = canvas[None, None, :] * tone[..., None] * (1 - fleck[..., None] * np.array([0.55, 0.65, 0.8]))
    strap = (bin_ & (bag < bp)) | fin
    col = np.where(strap[..., None], col * np.array([0.93, 0.92, 0.9]), col)
    thread = np.array([0.8, 0.75, 0.64])
    st = np.clip(np.where(fin, fst, np.where(bin_ & (bag < bp), bst, 0)) + (srow * (sdash > 0.35) * (sd > 0.3)), 0, 1)
    col = col * (1 - st[..., None] * 0.8) + thread * st[..., None] * 0.8
    Image.fromarray(to8(col * 255), "RGB").save(os.path.join(d, "cloth-color.png"))
    return h


def tote_bag():
    W, H = 2000, 2000
    tote_inputs()
    base, mask, uv = cloth_passes("tote-bag", W, H)
    Hm, quad, err = quad_from_uv(uv, mask > 254)
    print("    quad %s  (fit residual up to %.1f px, taken up by the displacement)" % (quad, err))
    disp, scale, lighting = cloth_maps(base, mask, uv, lambda u, v: apply_h(Hm, u, v))
    pl = {"name": "front", "printArea": {"width": 900, "height": 1000, "fit": "fit"},
          "geometry": {"type": "perspective", "quad": quad}, "mask": mask_entry(0.8),
          "displacement": {"image": "displacement.png", "scale": scale},
          "lighting": {"image": "lighting.jpg", "mode": "soft-light", "strength": 0.8},
          "blend": "multiply", "opacity": 0.94}
    write_template("tote-bag", doc("tote-bag", "Natural canvas tote bag, flat lay", W, H, [pl]),
                   {"base.jpg": lambda p: save_jpeg(base, p), "print-mask.png": lambda p: save_grey(mask, p),
                    "displacement.png": lambda p: Image.fromarray(disp, "RGB").save(p, optimize=True),
                    "lighting.jpg": lambda p: save_grey_jpeg(lighting, p)})


def canvas_print():
    W, H = 1600, 2000
    base = render("canvas-print", "base", W, H)
    mask = mask_image(render("canvas-print", "mask", W, H))
    uv = render("canvas-print", "uv", W, H)
    C, R = 14, 9                       # column 1 is the fold: 3.75 of 48.75 cm = 1/13
    fold = 1.0 / 13
    x, y, u, v = uv_points(uv, 2, mask > 254)
    edge = u < fold - 0.002
    front = u > fold + 0.002
    He = fit_homography(u[edge], v[edge], x[edge], y[edge])
    Hf = fit_homography(u[front], v[front], x[front], y[front])
    for Hh, sel, nm in ((He, edge, "edge"), (Hf, front, "front")):
        px, py = apply_h(Hh, u[sel], v[sel])
        print("    %s face: %d px, fit error %.3f px" % (nm, sel.sum(), np.hypot(px - x[sel], py - y[sel]).max()))
    pts = []
    for j in range(R):
        for i in range(C):
            uu, vv = i / (C - 1), j / (R - 1)
            px, py = apply_h(He if i == 0 else Hf, np.array([uu]), np.array([vv]))
            pts.append([round(float(px[0]), 2), round(float(py[0]), 2)])
    lighting = lighting_map(base, mask, sigma=3, gain=1.5)
    pl = {"name": "wrap", "printArea": {"width": 1300, "height": 1600, "fit": "fill"},
          "geometry": {"type": "mesh", "columns": C, "rows": R, "points": pts}, "mask": mask_entry(0.6),
          "lighting": {"image": "lighting.jpg", "mode": "soft-light", "strength": 0.6},
          "blend": "multiply", "opacity": 1}
    write_template("canvas-print", doc("canvas-print", "Gallery-wrapped canvas, 45 × 60 cm, the print wrapping the "
                                       "left edge", W, H, [pl]),
                   {"base.jpg": lambda p: save_jpeg(base, p), "print-mask.png": lambda p: save_grey(mask, p),
                    "lighting.jpg": lambda p: save_grey_jpeg(lighting, p)})


ALL = {"canvas-print": canvas_print, "poster-frame": poster_frame, "tote-bag": tote_bag, "t-shirt": t_shirt, "business-card": business_card, "mug": mug, "phone-screen": phone_screen, "product-box": product_box}

if __name__ == "__main__":
    names = sys.argv[1:] or list(ALL)
    t0 = time.time()
    for n in names:
        t = time.time()
        print("== %s" % n, flush=True)
        ALL[n]()
        print("   %s: %.1fs" % (n, time.time() - t), flush=True)
    print("all: %.1fs" % (time.time() - t0))
