"""Markup for printed pages (no Qt): escaping, right-to-left rows, badges, tables, the page's document.

The printed card (:mod:`custdesk.io.cards`) and the printed lists (:mod:`custdesk.io.print_lists`) are
HTML that Qt's ``QTextDocument`` lays out: a subset of HTML 4 and CSS 2 (tables, ``bgcolor``, ``dir``,
``thead`` repeated on every page). The rules kept here:

- every value from the base goes through :func:`esc` (client text may hold ``<``, ``&`` and quotes), or
  :func:`ltr` for phone numbers, e-mails and ids; only this module's markup is written unescaped;
- Qt lays table columns out left to right whatever the direction, so for a right-to-left language
  :func:`row_html` writes the cells of a row in reverse order;
- in a right-to-left document each cell and heading is a bidi isolate (:func:`isolate`), so that an
  English name or a phone number keeps its brackets and punctuation where they belong.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from custdesk import i18n
from custdesk.core.vocab import FUNNEL_BY_KEY, RED_OUTLINE

# Unicode bidi isolates: left-to-right, first-strong (the text's own direction), and their end.
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"
GREY = "#BDBDBD"
_STYLE = """
body { font-size: 10pt; }
h1 { font-size: 17pt; margin-bottom: 0px; }
h2 { font-size: 12pt; margin-top: 12px; margin-bottom: 3px; color: #37474F; }
p.sub { color: #455A64; margin-top: 2px; }
p.small { font-size: 8pt; color: #546E7A; }
td.label { color: #546E7A; }
th { background-color: #ECEFF1; font-weight: bold; }
td.line { border-bottom: 1px solid #CFD8DC; }
div.list { font-size: 8pt; }
"""


@dataclass(frozen=True)
class PrintDocument:
    """One document of a print job: its title (for the running header), its HTML and direction."""

    title: str
    html: str
    rtl: bool = False


def esc(value: object) -> str:
    """``value`` as HTML text: ``<``, ``&`` and quotes escaped, line breaks kept as ``<br/>``."""
    text = html.escape(str(value), quote=True)
    return "<br/>".join(text.splitlines()) if ("\n" in text or "\r" in text) else text


def ltr(value: object) -> str:
    """``value`` escaped and kept left to right inside any text (phone numbers, e-mails, ids)."""
    return f"{LRI}{esc(value)}{PDI}"


def isolate(markup: str, *, rtl: bool) -> str:
    """In a right-to-left document, ``markup`` laid out in the direction of its own first letter.

    Without it an English name or a phone in a Persian card has its brackets and punctuation moved to
    the wrong end (the Unicode bidi algorithm places them by the paragraph's direction).
    """
    return f"{FSI}{markup}{PDI}" if rtl and markup else markup


def block(tag: str, markup: str, *, rtl: bool, css_class: str = "") -> str:
    """A heading or paragraph of escaped ``markup`` (``tag``: ``h1``, ``h2``, ``p``)."""
    cls = f' class="{css_class}"' if css_class else ""
    return f"<{tag}{cls}>{isolate(markup, rtl=rtl)}</{tag}>"


def row_html(cells: Sequence[str], *, rtl: bool, tag: str = "td", attrs: Sequence[str] | None = None) -> str:
    """A table row of escaped cells (``attrs``: each cell's attributes), reversed right to left."""
    pairs = [(isolate(c, rtl=rtl), a) for c, a in zip(cells, attrs or [""] * len(cells), strict=True)]
    if rtl:
        pairs.reverse()
    return "<tr>" + "".join(f"<{tag}{' ' + a if a else ''}>{c}</{tag}>" for c, a in pairs) + "</tr>"


def table(rows: Iterable[str], *, border: int = 0, padding: int = 3) -> str:
    """A full-width table of rows made by :func:`row_html`."""
    return (
        f'<table width="100%" border="{border}" cellspacing="0" cellpadding="{padding}" '
        f'style="border-collapse: collapse; border-color: #B0BEC5;">{"".join(rows)}</table>'
    )


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (``#RRGGBB``)."""
    r, g, b = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if (299 * r + 587 * g + 114 * b) / 1000 >= 140 else "#FFFFFF"


def badge_attrs(colour: str) -> str:
    """The attributes of a cell painted ``colour`` (framed, for a pale colour), text in contrast."""
    return (
        f'bgcolor="{colour}" align="center" style="border: 1px solid #90A4AE; color: {text_colour(colour)};"'
    )


def badge_cell(text: str, colour: str) -> str:
    """A table cell painted ``colour`` with ``text`` in bold (escaped)."""
    return f"<td {badge_attrs(colour)}><b>{esc(text)}</b></td>"


def funnel_colour(key: str) -> tuple[str, str]:
    """The funnel marker's letter and colour (unknown: the key, grey)."""
    marker = FUNNEL_BY_KEY.get(key)
    return (marker.letter, marker.colour) if marker else (key, GREY)


def funnel_badge(key: str) -> str:
    """The funnel marker as a cell in its colour with its letters; a red marker framed in red."""
    letter, colour = funnel_colour(key)
    marker = FUNNEL_BY_KEY.get(key)
    if marker is None or not marker.red:
        return badge_cell(letter, colour)
    attrs = badge_attrs(colour).replace("border: 1px solid #90A4AE", f"border: 3px solid {RED_OUTLINE}")
    return f"<td {attrs}><b>{esc(letter)}</b></td>"


def badges(cells: Sequence[str], *, rtl: bool) -> str:
    """A row of badge cells at the start of the line (the right for a right-to-left language)."""
    align = ' align="right"' if rtl else ""
    inner = "".join(reversed(cells) if rtl else cells)
    return f'<table cellspacing="4" cellpadding="3"{align}><tr>{inner}</tr></table>'


def document(body: str, *, rtl: bool) -> str:
    """A whole HTML document around ``body``, in the language's direction."""
    direction = "rtl" if rtl else "ltr"
    return (
        f'<html dir="{direction}"><head><meta charset="utf-8"/><style>{_STYLE}</style></head>'
        f'<body dir="{direction}">{body}</body></html>'
    )


def money(value: Decimal | None, currency: str) -> str:
    """An amount in the interface language (empty for ``None``)."""
    return i18n.format_money(value, currency)


def when(value: datetime) -> str:
    """A date and time in the interface language's short format, its digits and calendar (Jalali when
    chosen), as the interface writes it."""
    return i18n.format_datetime(value)


__all__ = [
    "PrintDocument",
    "badge_attrs",
    "badge_cell",
    "badges",
    "block",
    "document",
    "esc",
    "funnel_badge",
    "funnel_colour",
    "isolate",
    "ltr",
    "money",
    "row_html",
    "table",
    "text_colour",
    "when",
]
