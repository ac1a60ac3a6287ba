"""Pictures for the demo newsroom, drawn with Pillow: lead-image scenes and initials avatars.

Nothing is downloaded: every picture is drawn from a seeded `random.Random`, so the demo is the
same on every machine and carries no one else's photographs. Scenes are drawn at half size and
scaled up, which is quicker and gives them a soft, painted look; they are returned as encoded
bytes for `media.actions.do_upload_image`, which checks them and makes the renditions like any
upload.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from newsdesk.demo import world

Colour = tuple[int, int, int]
LEAD_SIZE = (1280, 720)  # 16:9; big enough for the page, quick to render
AVATAR_SIZE = 400


@dataclass(frozen=True)
class Scene:
    """One kind of lead picture and the words that go with it on the page."""

    theme: str
    alt_text: str
    caption: str


SCENES = (
    Scene(
        "storm",
        "Illustration: dark storm clouds over rooftops, with rain and a flash of lightning",
        "Storm Verity reached the Aldermoor coast after dark, bringing gusts and heavy rain.",
    ),
    Scene(
        "harbour",
        "Illustration: a harbour at dusk with small boats on calm water and cranes behind",
        "Kestrel Quay, where the ferries to the Skerrow Islands leave from.",
    ),
    Scene(
        "skyline",
        "Illustration: the city skyline at evening with lit windows and a pale moon",
        "The centre of Lindenhav seen from across the Serrow.",
    ),
    Scene(
        "turbines",
        "Illustration: white wind turbines on a green ridge under a wide sky",
        "Turbines on Greyfell ridge, which supplies about a fifth of the city's power.",
    ),
    Scene(
        "river",
        "Illustration: a wide river winding between low hills towards the sea",
        "The Serrow between Mossford and the estuary.",
    ),
)
THEME_BY_TOPIC = {
    "storm-verity": "storm",
    "energy": "turbines",
    "transport": "harbour",
    "weather": "storm",
    "city-hall": "skyline",
    "health": "skyline",
    "business": "harbour",
    "culture": "skyline",
    "education": "river",
    "environment": "river",
    "sport": "river",
}
_SKIES: dict[str, tuple[Colour, Colour]] = {
    "storm": ((28, 32, 44), (84, 92, 108)),
    "harbour": ((56, 48, 96), (236, 150, 96)),
    "skyline": ((18, 26, 58), (92, 84, 140)),
    "turbines": ((86, 150, 214), (206, 230, 246)),
    "river": ((120, 170, 210), (242, 214, 170)),
}


def _jitter(colour: Colour, rng: random.Random, spread: int = 18) -> Colour:
    return tuple(max(0, min(255, c + rng.randint(-spread, spread))) for c in colour)  # type: ignore[return-value]


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _gradient(
    draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], top: Colour, bottom: Colour
):
    left, upper, right, lower = box
    height = max(1, lower - upper)
    for y in range(upper, lower):
        draw.line([(left, y), (right, y)], fill=_mix(top, bottom, (y - upper) / height))


def _hills(draw, rng, width, base, amplitude, colour):
    points, y = [(0, base)], base
    for x in range(0, width + 40, 40):
        y = max(base - amplitude, min(base + amplitude // 3, y + rng.randint(-14, 14)))
        points.append((x, y))
    floor = base + amplitude + 2000  # well below the frame, whatever its size
    draw.polygon([*points, (width, floor), (0, floor)], fill=colour)


def _skyline(draw, rng, width, ground, lit: bool):
    x = 0
    while x < width:
        w, h = rng.randint(24, 70), rng.randint(40, 190)
        shade = _jitter((30, 34, 52), rng, 10)
        draw.rectangle((x, ground - h, x + w, ground), fill=shade)
        if lit:
            for wy in range(ground - h + 8, ground - 8, 14):
                for wx in range(x + 5, x + w - 6, 11):
                    if rng.random() < 0.35:
                        draw.rectangle((wx, wy, wx + 4, wy + 6), fill=(250, 214, 120))
        x += w + rng.randint(0, 8)


def _water(draw, rng, width, top, height, colour):
    _gradient(draw, (0, top, width, top + height), colour, _mix(colour, (10, 20, 30), 0.5))
    for _ in range(60):
        y = rng.randint(top + 4, top + height - 2)
        x = rng.randint(0, width)
        draw.line([(x, y), (x + rng.randint(10, 50), y)], fill=_mix(colour, (255, 255, 255), 0.3))


def _draw_scene(theme: str, rng: random.Random, size: tuple[int, int]) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    top, bottom = _SKIES[theme]
    _gradient(draw, (0, 0, width, height), _jitter(top, rng), _jitter(bottom, rng))
    horizon = int(height * rng.uniform(0.58, 0.7))
    if theme != "storm":
        r = rng.randint(18, 34)
        cx, cy = rng.randint(r, width - r), rng.randint(r, horizon // 2)
        glow = (250, 236, 200) if theme == "skyline" else (252, 222, 140)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=glow)
    if theme == "storm":
        for _ in range(14):
            cx, cy = rng.randint(0, width), rng.randint(0, horizon // 2)
            rx, ry = rng.randint(60, 160), rng.randint(20, 50)
            draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=_jitter((46, 50, 62), rng, 8))
        x, y = rng.randint(width // 4, 3 * width // 4), horizon // 4
        bolt = [(x, y)]
        while y < horizon - 40:
            x, y = x + rng.randint(-22, 22), y + rng.randint(18, 34)
            bolt.append((x, y))
        draw.line(bolt, fill=(240, 240, 255), width=3)
        _skyline(draw, rng, width, horizon + 40, lit=False)
        draw.rectangle((0, horizon + 40, width, height), fill=(24, 28, 36))
        for _ in range(320):
            x, y = rng.randint(-40, width), rng.randint(0, height)
            draw.line([(x, y), (x + 8, y + 22)], fill=(150, 160, 180))
    elif theme == "harbour":
        _hills(draw, rng, width, horizon - 10, 30, _jitter((52, 44, 70), rng))
        for _ in range(rng.randint(2, 4)):
            x = rng.randint(40, width - 80)
            draw.line([(x, horizon - 120), (x, horizon)], fill=(40, 34, 50), width=4)
            draw.line(
                [(x - 30, horizon - 110), (x + 70, horizon - 110)], fill=(40, 34, 50), width=4
            )
        _water(draw, rng, width, horizon, height - horizon, _jitter((60, 70, 110), rng))
        for _ in range(rng.randint(3, 6)):
            x, y = rng.randint(20, width - 80), rng.randint(horizon + 20, height - 30)
            draw.polygon(
                [(x, y), (x + 60, y), (x + 50, y + 12), (x + 8, y + 12)], fill=(30, 26, 36)
            )
            draw.polygon([(x + 28, y - 40), (x + 28, y - 2), (x + 50, y - 2)], fill=(236, 226, 210))
    elif theme == "skyline":
        _skyline(draw, rng, width, horizon, lit=True)
        _water(draw, rng, width, horizon, height - horizon, _jitter((28, 34, 70), rng))
    elif theme == "turbines":
        _hills(draw, rng, width, horizon, 60, _jitter((70, 130, 70), rng))
        for _ in range(rng.randint(3, 6)):
            x, y = rng.randint(40, width - 40), horizon - rng.randint(10, 50)
            tip = y - rng.randint(90, 150)
            draw.line([(x, y), (x, tip)], fill=(244, 244, 244), width=3)
            for dx, dy in ((0, -44), (38, 22), (-38, 22)):
                draw.line([(x, tip), (x + dx, tip + dy)], fill=(244, 244, 244), width=3)
        _hills(draw, rng, width, horizon + 70, 40, _jitter((52, 104, 58), rng))
    else:  # river
        _hills(draw, rng, width, horizon - 20, 50, _jitter((96, 130, 90), rng))
        _hills(draw, rng, width, horizon + 20, 30, _jitter((72, 112, 70), rng))
        bend = [(width // 2 + rng.randint(-120, 120), horizon)]
        for y in range(horizon + 20, height + 40, 30):
            bend.append((bend[-1][0] + rng.randint(-50, 50), y))
        left = [(x - 8 - (y - horizon) // 3, y) for x, y in bend]
        right = [(x + 8 + (y - horizon) // 3, y) for x, y in reversed(bend)]
        draw.polygon(left + right, fill=_jitter((110, 150, 190), rng))
    return image


def lead_image_jpeg(theme: str, rng: random.Random, size: tuple[int, int] = LEAD_SIZE) -> bytes:
    """A landscape scene for `theme` (see SCENES), as JPEG bytes of exactly `size`."""
    half = (size[0] // 2, size[1] // 2)
    image = _draw_scene(theme, rng, half).resize(size, Image.Resampling.BICUBIC)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=84)
    return buffer.getvalue()


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha() and w.lower() != "the"]
    return "".join(w[0].upper() for w in (words[:1] + words[-1:] if len(words) > 1 else words))


def avatar_png(name: str, colour: Colour, size: int = AVATAR_SIZE) -> bytes:
    """A square avatar: the author's initials on a circle of their colour, as PNG bytes."""
    image = Image.new("RGB", (size, size), _mix(colour, (255, 255, 255), 0.8))
    draw = ImageDraw.Draw(image)
    margin = size // 16
    draw.ellipse((margin, margin, size - margin, size - margin), fill=colour)
    font = ImageFont.load_default(size=size * 0.36)
    draw.text((size / 2, size / 2), initials(name), fill=(255, 255, 255), font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def photo_credit(rng: random.Random) -> str:
    return f"{rng.choice(world.PHOTOGRAPHERS)} / Newsdesk"
