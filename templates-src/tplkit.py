#!/usr/bin/env python3
"""Helpers for build.py: POV-Ray passes, geometry fitted to the uv pass, maps, template folders.

Each scene is rendered several times with one camera (see common.inc): the base photo with a blank print
surface, an emissive mask of the print surface, a uv pass (the print's own coordinates, 16 bit) and, where the
product is glossy, a glare pass. The geometry (quad, cylinder or mesh) is fitted to the uv pass, the maps are
derived from the passes inside the mask. Run through scripts/render-templates; deterministic."""
import json, os, subprocess, sys, time
import numpy as np
from PIL import Image
from scipy import ndimage
from scipy.interpolate import griddata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(ROOT, "out", "templates-work")
DEST = os.path.join(ROOT, "Sources", "BackdropMockup", "Resources", "Templates")
QUICK = os.environ.get("TEMPLATES_QUICK") == "1"     # preview: lower quality base pass


# ---------------------------------------------------------------- POV-Ray passes

def read_ppm(path):
    data = open(path, "rb").read()
    toks, i = [], 0
    while len(toks) < 4:
        while data[i:i + 1].isspace():
            i += 1
        if data[i:i + 1] == b"#":
            while data[i:i + 1] not in (b"\n", b"\r"):
                i += 1
            continue
        j = i
        while not data[j:j + 1].isspace():
            j += 1
        toks.append(data[i:j])
        i = j
    i += 1
    w, h, mx = int(toks[1]), int(toks[2]), int(toks[3])
    dt = np.dtype(">u2") if mx > 255 else np.uint8
    return np.frombuffer(data, dt, count=w * h * 3, offset=i).reshape(h, w, 3).astype(np.float64) / mx


PASSES = {"base": 0, "mask": 1, "uv": 2, "glare": 3}


def render(scene, name, w, h, declares=None, tag=""):
    """Renders one pass of templates-src/<scene>.pov; returns float RGB (0..1). base and glare are sRGB-encoded,
    mask and uv linear (coverage, coordinates)."""
    os.makedirs(os.path.join(WORK, scene), exist_ok=True)
    out = os.path.join(WORK, scene, name + tag + ".ppm")
    if os.environ.get("TEMPLATES_REUSE") == "1" and os.path.exists(out):   # development: keep earlier passes
        return read_ppm(out)
    args = ["povray", "+I%s.pov" % scene, "+O" + out, "+W%d" % w, "+H%d" % h, "+FP16", "-D", "-V", "-GA",
            "+WT2", "+L" + os.path.join(WORK, scene), "Declare=PASS=%d" % PASSES[name]]
    for k, v in (declares or {}).items():
        args.append("Declare=%s=%s" % (k, v))
    if name in ("base", "glare"):
        args += ["File_Gamma=sRGB", "+A0.1" if not QUICK else "+A0.3", "+AM1", "+R3"]
    elif name == "uv":
        args += ["File_Gamma=1.0", "-A"]          # one ray through each pixel centre: exact uv
    else:
        args += ["File_Gamma=1.0", "+A0.02", "+AM1", "+R4"]
    t = time.time()
    r = subprocess.run(args, cwd=HERE, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write("\n".join(l for l in r.stderr.splitlines() if "rror" in l or "line" in l)[-3000:])
        raise SystemExit("povray failed on %s %s" % (scene, name))
    print("  %-14s %-10s %5.1fs" % (scene, name + tag, time.time() - t), flush=True)
    return read_ppm(out)


# ---------------------------------------------------------------- image helpers

def lum(rgb):
    return rgb[..., 0] * 0.2126 + rgb[..., 1] * 0.7152 + rgb[..., 2] * 0.0722


def blur_in(img, mask, sigma):
    """Gaussian blur of img using only pixels where mask is set (normalised convolution)."""
    m = (mask > 0.5).astype(np.float64)
    num = ndimage.gaussian_filter(img * m, sigma)
    den = ndimage.gaussian_filter(m, sigma)
    return np.where(den > 1e-6, num / np.maximum(den, 1e-6), img)


def grow(mask, px):
    """The mask's support grown by px pixels (maps stay meaningful under the feathered edge)."""
    return ndimage.binary_dilation(mask > 0.004, iterations=px)


def to8(a):
    return np.clip(np.round(a), 0, 255).astype(np.uint8)


def save_grey(a, path):
    Image.fromarray(to8(a), "L").save(path, optimize=True)


def save_jpeg(rgb01, path, q=88):
    Image.fromarray(to8(rgb01 * 255), "RGB").save(path, quality=q, optimize=True, subsampling=0)


def save_rgba(rgb01, alpha01, path):
    a = np.dstack([to8(rgb01 * 255), to8(alpha01 * 255)])
    Image.fromarray(a, "RGBA").save(path, optimize=True)


# Smooth maps and screen/multiply overlays are JPEG (Q95): they decode three to four times faster than PNG
# (a 1600 x 2000 glare: 23 -> 6 ms), which is most of the cost of reading a template (issue 5's bench).
# A screen overlay needs no alpha: black changes nothing, and screen(b, a * c) is exactly the overlay c at
# alpha a. Masks (hard edges) and displacement maps (exact values) stay PNG.

def save_grey_jpeg(a, path):
    Image.fromarray(to8(a), "L").save(path, quality=95, optimize=True)


def save_overlay_jpeg(rgb01, path):
    Image.fromarray(to8(rgb01 * 255), "RGB").save(path, quality=95, optimize=True, subsampling=2)


# ---------------------------------------------------------------- uv pass: coordinates and geometry

def uv_points(uvpass, stride=2, inner=None):
    """Pixel centres (x, y) and their print coordinates (u, v) where the uv pass saw the surface."""
    flag = uvpass[..., 2] > 0.999
    if inner is not None:
        flag &= inner
    ys, xs = np.nonzero(flag)
    sel = slice(None, None, stride)
    ys, xs = ys[sel], xs[sel]
    u = uvpass[ys, xs, 0] * 1.5 - 0.25
    v = uvpass[ys, xs, 1] * 1.5 - 0.25
    return xs + 0.5, ys + 0.5, u, v


def fit_homography(u, v, x, y):
    """H with (x, y) ~ H (u, v, 1), least squares (DLT, normalised)."""
    sx, sy, mx, my = x.std(), y.std(), x.mean(), y.mean()
    xn, yn = (x - mx) / sx, (y - my) / sy
    su, sv, mu, mv = u.std(), v.std(), u.mean(), v.mean()
    un, vn = (u - mu) / su, (v - mv) / sv
    one, zero = np.ones_like(un), np.zeros_like(un)
    A = np.concatenate([
        np.stack([un, vn, one, zero, zero, zero, -xn * un, -xn * vn, -xn], 1),
        np.stack([zero, zero, zero, un, vn, one, -yn * un, -yn * vn, -yn], 1)])
    _, _, vt = np.linalg.svd(A, full_matrices=False)
    Hn = vt[-1].reshape(3, 3)
    Tx = np.array([[sx, 0, mx], [0, sy, my], [0, 0, 1]])
    Tu = np.array([[1 / su, 0, -mu / su], [0, 1 / sv, -mv / sv], [0, 0, 1]])
    H = Tx @ Hn @ Tu
    return H / H[2, 2]


def apply_h(H, u, v):
    p = H @ np.stack([u, v, np.ones_like(u)])
    return p[0] / p[2], p[1] / p[2]


def quad_from_uv(uvpass, inner):
    x, y, u, v = uv_points(uvpass, 2, inner)
    H = fit_homography(u, v, x, y)
    px, py = apply_h(H, u, v)
    err = np.hypot(px - x, py - y)
    cu = np.array([0.0, 1, 1, 0]); cv = np.array([0.0, 0, 1, 1])
    qx, qy = apply_h(H, cu, cv)
    return H, [[round(float(a), 2), round(float(b), 2)] for a, b in zip(qx, qy)], float(err.max())


def uv_to_xy_interp(uvpass, inner, uq, vq, stride=2):
    """Canvas positions of print points (uq, vq) by linear interpolation of the uv pass (any surface)."""
    x, y, u, v = uv_points(uvpass, stride, inner)
    pts = np.stack([u, v], 1)
    gx = griddata(pts, x, (uq, vq), method="linear")
    gy = griddata(pts, y, (uq, vq), method="linear")
    return gx, gy


def mesh_forward(points, C, R, u, v):
    """Where print point (u, v) lands under a mesh geometry: each cell split into two triangles
    (top-left, top-right, bottom-right) and (top-left, bottom-right, bottom-left), mapped affinely."""
    P = np.asarray(points, np.float64).reshape(R, C, 2)
    fu = np.clip(u, 0, 1) * (C - 1); fv = np.clip(v, 0, 1) * (R - 1)
    i = np.minimum(fu.astype(int), C - 2); j = np.minimum(fv.astype(int), R - 2)
    a = fu - i; b = fv - j
    p00 = P[j, i]; p10 = P[j, i + 1]; p11 = P[j + 1, i + 1]; p01 = P[j + 1, i]
    upper = (a >= b)[..., None]
    A = a[..., None]; B = b[..., None]
    tri1 = p00 + A * (p10 - p00) + B * (p11 - p10)        # upper-right triangle
    tri2 = p00 + A * (p11 - p01) + B * (p01 - p00)        # lower-left triangle
    q = np.where(upper, tri1, tri2)
    return q[..., 0], q[..., 1]


def displacement_map(uvpass, region, forward, limit=None):
    """RGB displacement (red x, green y, 128 neutral) so the warped print, sampled scale*(value-128)/128 px
    away, shows at each pixel the print point the uv pass saw there. forward(u, v) -> canvas (x, y) is the
    template's geometry. Returns (rgb uint8 image, scale)."""
    h, w = uvpass.shape[:2]
    flag = (uvpass[..., 2] > 0.999) & region
    ys, xs = np.nonzero(flag)
    u = uvpass[ys, xs, 0] * 1.5 - 0.25
    v = uvpass[ys, xs, 1] * 1.5 - 0.25
    qx, qy = forward(u, v)
    dx = qx - (xs + 0.5); dy = qy - (ys + 0.5)
    d = np.hypot(dx, dy)
    scale = float(np.ceil(np.percentile(d, 99.9) + 0.5)) if limit is None else limit
    out = np.full((h, w, 3), 128.0)
    out[ys, xs, 0] = 128 + 128 * dx / scale
    out[ys, xs, 1] = 128 + 128 * dy / scale
    # the pixels where the surface was not seen (feathered edge) take their neighbours' values
    for c in (0, 1):
        ch = out[..., c]
        filled = blur_in(ch, flag.astype(np.float64), 2.0)
        ring = region & ~flag
        ch[ring] = filled[ring]
    return to8(out), scale, float(np.abs(d).max())


# ---------------------------------------------------------------- maps

def shading_map(base, mask, ref_pct=98, region=None):
    """255 neutral: the surface's own light fall-off, Y / Yref inside the print area."""
    Y = lum(base)
    inside = mask > 0.98
    ref = np.percentile(Y[inside], ref_pct)
    s = np.clip(Y / ref, 0, 1) * 255
    s = blur_in(s, inside, 1.0)                      # the print's own detail is not the surface's
    reg = grow(mask, 3) if region is None else region
    return np.where(reg, s, 255.0), ref


def lighting_map(base, mask, sigma=6, gain=1.0, region=None):
    """128 neutral: high-pass detail (texture, small highlights) of the surface inside the print area."""
    Y = lum(base)
    inside = mask > 0.98
    low = blur_in(Y, inside, sigma)
    hp = (Y - low) / np.maximum(low, 0.05)
    l = 128 + 128 * gain * hp
    reg = grow(mask, 3) if region is None else region
    return np.where(reg, l, 128.0)


def mask_image(maskpass):
    return np.clip(lum(maskpass), 0, 1) * 255


def check_quad(quad, mask, w, h):
    """How well the quad matches the mask's outline: max distance (px) of a >50% mask pixel outside the quad,
    and of a quad-interior pixel far from any mask where nothing occludes (reported, not enforced)."""
    big = Image.new("L", (w * 4, h * 4), 0)
    from PIL import ImageDraw
    ImageDraw.Draw(big).polygon([(x * 4, y * 4) for x, y in quad], fill=255)
    cov = np.asarray(big.resize((w, h), Image.BOX), np.float64)
    diff = np.abs(cov - mask)
    edge = (cov > 0) & (cov < 255)
    return float(diff[edge].mean()) if edge.any() else 0.0, float(((mask > 128) & (cov == 0)).sum())


# ---------------------------------------------------------------- template writing

def write_template(name, doc, files):
    d = os.path.join(DEST, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    for fname, writer in files.items():
        writer(os.path.join(d, fname))
    with open(os.path.join(d, "template.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    for f in sorted(os.listdir(d)):
        size = os.path.getsize(os.path.join(d, f))
        print("    %-22s %8d bytes%s" % (f, size, "  OVER 1 MB" if size > 1 << 20 else ""))


def mask_entry(feather=1.0):
    return {"image": "print-mask.png", "feather": feather}


