"""Draw CustDesk's application icon: ``custdesk/resources/app.png`` (256 px) and ``app.ico`` (16-256 px).

A rounded blue square holding a white client card: a round portrait on the left and three lines of
text on the right, with a green "called" dot in the corner. Drawn at 4x and scaled down so the edges
are smooth; the small sizes of the .ico get a simplified card (no text lines) so they stay readable.

Run from the repository root: ``python packaging/make_icon.py``. The images are committed; run it
again only when the design changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

RESOURCES = Path(__file__).resolve().parent.parent / "custdesk" / "resources"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)

BLUE_TOP = (37, 99, 235)  # the rounded square, a vertical gradient from top to bottom
BLUE_BOTTOM = (29, 64, 175)
CARD = (255, 255, 255)
CARD_SHADOW = (15, 35, 100, 90)
PORTRAIT = (191, 219, 254)
PERSON = (37, 99, 235)
TEXT_LINE = (148, 163, 184)
DOT = (34, 197, 94)


def _gradient_square(size: int, radius: int) -> Image.Image:
    """The rounded square with a top-to-bottom gradient, transparent outside."""
    gradient = Image.new("RGBA", (size, size))
    draw = ImageDraw.Draw(gradient)
    for y in range(size):
        t = y / max(size - 1, 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(BLUE_TOP, BLUE_BOTTOM, strict=True))
        draw.line([(0, y), (size, y)], fill=(*colour, 255))
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size - 1, size - 1), radius=radius, fill=255)
    out = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    out.paste(gradient, (0, 0), mask)
    return out


def draw_icon(size: int, *, detailed: bool = True) -> Image.Image:
    """The icon at ``size`` pixels (drawn at 4x, then scaled down with a good filter)."""
    s = size * 4
    u = s / 64  # one unit of the 64-unit design grid
    img = _gradient_square(s, round(14 * u))
    draw = ImageDraw.Draw(img)

    # The card, with a soft shadow below it.
    card = (8 * u, 16 * u, 56 * u, 50 * u)
    draw.rounded_rectangle(
        (card[0], card[1] + 2 * u, card[2], card[3] + 2 * u), radius=round(5 * u), fill=CARD_SHADOW
    )
    draw.rounded_rectangle(card, radius=round(5 * u), fill=CARD)

    # The portrait: a light circle with a head and shoulders, cut to the circle.
    cx, cy, r = 22 * u, 33 * u, 9.5 * u
    portrait = Image.new("RGBA", img.size, (0, 0, 0, 0))
    pdraw = ImageDraw.Draw(portrait)
    pdraw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=PORTRAIT)
    head = 3.6 * u
    pdraw.ellipse((cx - head, cy - 6.5 * u, cx + head, cy + 0.7 * u), fill=PERSON)
    pdraw.ellipse((cx - 7 * u, cy + 2.2 * u, cx + 7 * u, cy + 16 * u), fill=PERSON)
    circle = Image.new("L", img.size, 0)
    ImageDraw.Draw(circle).ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
    portrait.putalpha(Image.composite(portrait.getchannel("A"), circle, circle))
    img.alpha_composite(portrait)

    # Lines of text (left out at the smallest sizes, where they would be a grey smudge).
    if detailed:
        x0 = 35 * u
        for y, length in ((26 * u, 15 * u), (33 * u, 11 * u), (40 * u, 13 * u)):
            draw.rounded_rectangle(
                (x0, y - 1.6 * u, x0 + length, y + 1.6 * u), radius=round(1.6 * u), fill=TEXT_LINE
            )
    else:
        draw.rounded_rectangle((34 * u, 27 * u, 50 * u, 31 * u), radius=round(2 * u), fill=TEXT_LINE)
        draw.rounded_rectangle((34 * u, 36 * u, 46 * u, 40 * u), radius=round(2 * u), fill=TEXT_LINE)

    # The green dot: a client called on time.
    dx, dy, dr = 50 * u, 18 * u, 5.5 * u
    draw.ellipse((dx - dr - 1.5 * u, dy - dr - 1.5 * u, dx + dr + 1.5 * u, dy + dr + 1.5 * u), fill=CARD)
    draw.ellipse((dx - dr, dy - dr, dx + dr, dy + dr), fill=DOT)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> int:
    """Write app.png and app.ico into the resources folder."""
    RESOURCES.mkdir(parents=True, exist_ok=True)
    big = draw_icon(256)
    big.save(RESOURCES / "app.png", optimize=True)
    frames = [draw_icon(n, detailed=n >= 32) for n in ICO_SIZES]
    frames[-1].save(
        RESOURCES / "app.ico",
        format="ICO",
        sizes=[(n, n) for n in ICO_SIZES],
        append_images=frames[:-1],
    )
    print(f"wrote {RESOURCES / 'app.png'} and {RESOURCES / 'app.ico'} ({', '.join(map(str, ICO_SIZES))} px)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
