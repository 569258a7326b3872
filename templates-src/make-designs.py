#!/usr/bin/env python3
"""Makes the three sample designs in samples/designs/ (logo.png, poster.jpg, pattern.png). Deterministic."""
import math, os
import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageFilter

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples", "designs")
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def logo():
    S = 4   # drawn large, then reduced: smooth edges
    W, H = 1200, 1200
    im = Image.new("RGBA", (W * S, H * S), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    cx, cy, r = W * S // 2, 470 * S, 330 * S
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(232, 93, 4, 255))
    # a bold white mountain-and-sun mark inside the disc
    d.polygon([(cx - 250 * S, cy + 170 * S), (cx - 60 * S, cy - 120 * S), (cx + 40 * S, cy + 20 * S),
               (cx + 110 * S, cy - 60 * S), (cx + 250 * S, cy + 170 * S)], fill=(255, 255, 255, 255))
    d.ellipse([cx + 40 * S, cy - 230 * S, cx + 150 * S, cy - 120 * S], fill=(255, 236, 179, 255))
    f = ImageFont.truetype(BOLD, 190 * S)
    text = "PEAKS"
    tw = d.textlength(text, font=f)
    d.text((cx - tw / 2, 860 * S), text, font=f, fill=(31, 42, 68, 255))
    im = im.resize((W, H), Image.LANCZOS)
    im.save(os.path.join(OUT, "logo.png"), optimize=True)


def poster():
    W, H = 1200, 1800
    y, x = np.mgrid[0:H, 0:W].astype(np.float64)
    t = y / H
    # dusk sky: deep blue to orange
    sky = np.stack([40 + 215 * t ** 1.6, 30 + 120 * t ** 1.3, 90 + 40 * (1 - t)], 2)
    img = sky
    # a big sun
    sun = np.clip(1 - np.hypot(x - W * 0.62, y - H * 0.52) / 260, 0, 1)
    img = img + np.dstack([sun * 255, sun * 190, sun * 90]) * 0.9
    # layered hills
    rng = np.random.default_rng(3)
    cols = [(122, 46, 92), (86, 30, 78), (52, 22, 60), (24, 14, 38)]
    for k, c in enumerate(cols):
        base = H * (0.58 + 0.1 * k)
        ph = rng.uniform(0, 6, 3)
        ridge = base - 70 * np.sin(x / W * 5 + ph[0]) - 35 * np.sin(x / W * 13 + ph[1]) - 12 * np.sin(x / W * 37 + ph[2])
        m = np.clip((y - ridge) / 2.0, 0, 1)
        img = img * (1 - m[..., None]) + np.array(c)[None, None, :] * m[..., None]
    # grain
    img += rng.normal(0, 4, img.shape)
    im = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")
    d = ImageDraw.Draw(im)
    f = ImageFont.truetype(BOLD, 120)
    d.text((80, 110), "SUMMER", font=f, fill=(255, 240, 220))
    f2 = ImageFont.truetype(BOLD, 54)
    d.text((86, 250), "NIGHTS  ·  2026", font=f2, fill=(255, 200, 150))
    im.save(os.path.join(OUT, "poster.jpg"), quality=85, optimize=True)


def pattern():
    W, H = 1200, 1200
    S = 2
    im = Image.new("RGB", (W * S, H * S), (247, 239, 226))
    d = ImageDraw.Draw(im)
    tile = 150 * S
    for j in range(-1, H * S // tile + 2):
        for i in range(-1, W * S // tile + 2):
            cx = i * tile + (tile // 2 if j % 2 else 0)
            cy = j * tile
            r = 44 * S
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(31, 107, 117))
            d.ellipse([cx - r // 2, cy - r // 2, cx + r // 2, cy + r // 2], fill=(247, 239, 226))
            # a leaf between the dots
            lx, ly = cx + tile // 2, cy
            d.polygon([(lx - 30 * S, ly), (lx, ly - 14 * S), (lx + 30 * S, ly), (lx, ly + 14 * S)], fill=(232, 93, 4))
    im = im.resize((W, H), Image.LANCZOS)
    im.save(os.path.join(OUT, "pattern.png"), optimize=True)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    logo(); poster(); pattern()
    for f in sorted(os.listdir(OUT)):
        print(f, os.path.getsize(os.path.join(OUT, f)))
