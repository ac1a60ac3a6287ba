"""Draw the Newsdesk icons: the favicon, the touch icon and the web app manifest's icons.

The mark is `newsdesk/public/static/newsdesk/icon.svg` (a live dot, a headline and two lines of
text on the accent blue); this script draws the same shapes with Pillow for the PNG and ICO
files browsers that do not take SVG icons need, so every size is drawn, not scaled from one:

    python scripts/make-icons.py      # rewrites the PNGs and favicon.ico beside icon.svg
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parents[1] / "newsdesk" / "public" / "static" / "newsdesk"
BLUE, WHITE, LIVE = (11, 87, 208, 255), (255, 255, 255, 255), (255, 176, 32, 255)
GRID = 64  # the SVG's viewBox: every shape below is in its units
SUPERSAMPLE = 4  # drawn larger, then reduced: smooth edges without an SVG renderer

# (shape, box in viewBox units, corner radius, colour): the same list as icon.svg.
SHAPES = [
    ("ellipse", (13, 13, 25, 25), 0, LIVE),
    ("rect", (30, 14, 52, 24), 5, WHITE),
    ("rect", (12, 31, 52, 36), 2.5, WHITE),
    ("rect", (12, 40, 52, 45), 2.5, WHITE),
    ("rect", (12, 49, 40, 54), 2.5, WHITE),
]


def draw(size: int, *, maskable: bool = False) -> Image.Image:
    """The icon at `size` pixels. A maskable icon fills the square (the platform rounds or
    circles it) and keeps the mark inside the middle 80%, its safe zone."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=BLUE)
        scale, offset = big * 0.8 / GRID, big * 0.1
    else:
        scale, offset = big / GRID, 0.0
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=14 * scale, fill=BLUE)
    for shape, (x0, y0, x1, y1), radius, colour in SHAPES:
        box = tuple(offset + v * scale for v in (x0, y0, x1, y1))
        if shape == "ellipse":
            pen.ellipse(box, fill=colour)
        else:
            pen.rounded_rectangle(box, radius=radius * scale, fill=colour)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    for size in (32, 180, 192, 512):
        draw(size).save(STATIC / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(STATIC / "icon-maskable-512.png", optimize=True)
    draw(48).save(STATIC / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    print(f"Icons written to {STATIC}")


if __name__ == "__main__":
    main()
