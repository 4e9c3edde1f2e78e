"""Right-to-left text on the analysis charts: Unicode bidi controls for matplotlib (no Qt here).

matplotlib lays its text out with libraqm, which shapes Persian letters and orders mixed text by the
Unicode bidirectional algorithm. Two things it cannot guess, and which these helpers say with invisible
control characters (raqm honours them and draws nothing for them):

- the direction of a line: raqm takes it from the line's first strong character, so a Persian sentence
  that starts with "ABC × XYZ", "A:" or a number is laid out left to right, its colon and its words in
  the wrong order. :func:`right_to_left` starts each line with a right-to-left mark (U+200F);
- the integrity of a value inside a sentence: a number, an amount, a percentage or a date written with
  Persian digits, Arabic separators and signs ("‎$ ۷۷۴٬۹۵۲٫۸۰", "۸۰٪") is broken up by the algorithm
  next to Persian words ("٪۸۰", the "$" on the far side). :func:`isolate_ltr` wraps it in a
  left-to-right isolate (U+2066 … U+2069); :func:`isolate_own` wraps free text (a city, a stage name)
  in a first-strong isolate (U+2068 … U+2069), laid out in its own direction.

Each helper works line by line (matplotlib lays out every line of a text on its own) and returns the text
unchanged when ``rtl`` is false, so charts in left-to-right languages keep exactly their strings. Without
libraqm (an old matplotlib) text is not reordered at all and the controls could show as boxes: then the
helpers leave the text alone too.
"""

from __future__ import annotations

from functools import lru_cache

LRI = "\u2066"  # left-to-right isolate
FSI = "\u2068"  # first-strong isolate: the direction of its own first strong character
PDI = "\u2069"  # pop directional isolate: ends LRI / FSI
RLM = "\u200f"  # right-to-left mark: a strong right-to-left character of no width
CONTROLS = frozenset((LRI, FSI, PDI, RLM))


@lru_cache(maxsize=1)
def bidi_layout() -> bool:
    """Whether matplotlib orders text by the bidi algorithm (it is built with libraqm)."""
    try:
        from matplotlib import ft2font
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        return False
    return bool(getattr(ft2font, "__libraqm_version__", ""))


def _each_line(text: str, start: str, end: str) -> str:
    return "\n".join(f"{start}{line}{end}" if line else line for line in text.split("\n"))


def isolate_ltr(text: str, rtl: bool) -> str:
    """A value (number, money, percentage, date, Latin code) kept whole, left to right, in RTL text.

    Args:
        text: the value as the formatter wrote it.
        rtl: whether the chart is laid out right to left.

    Returns:
        Each line of ``text`` in a left-to-right isolate; ``text`` itself when not ``rtl``.
    """
    if not rtl or not text or not bidi_layout():
        return text
    return _each_line(text, LRI, PDI)


def isolate_own(text: str, rtl: bool) -> str:
    """Free text (a city, a stage's name) inside an RTL sentence, laid out in its own direction.

    Returns:
        Each line of ``text`` in a first-strong isolate; ``text`` itself when not ``rtl``.
    """
    if not rtl or not text or not bidi_layout():
        return text
    return _each_line(text, FSI, PDI)


def right_to_left(text: str, rtl: bool) -> str:
    """A sentence or label laid out right to left whatever its first character (a Latin "A", a digit).

    Returns:
        ``text`` with a right-to-left mark at the start of each line; ``text`` itself when not ``rtl``.
    """
    if not rtl or not text or not bidi_layout():
        return text
    return "\n".join(line if not line or line.startswith(RLM) else RLM + line for line in text.split("\n"))


def plain(text: str) -> str:
    """``text`` without the bidi controls these helpers add (to compare what a chart says)."""
    return "".join(ch for ch in text if ch not in CONTROLS)


__all__ = ["FSI", "LRI", "PDI", "RLM", "bidi_layout", "isolate_ltr", "isolate_own", "plain", "right_to_left"]
