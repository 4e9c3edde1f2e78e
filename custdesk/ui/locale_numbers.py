"""QLocale's way of writing numbers and money, read once on the GUI thread, usable on any thread.

A ``QLocale`` made on the GUI thread must not be used by the base worker (Qt objects belong to their
thread; sharing one crashed the app at random while the analysis drew its charts for a PDF). The charts
drawn on the worker still write numbers exactly as the window does: :meth:`LocaleNumbers.capture` reads
the locale's digits, signs, grouping and currency pattern on the GUI thread into a frozen, Qt-free
object, whose methods then format without Qt. Tests check them against QLocale itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from PySide6.QtCore import QLocale

_ASCII_DIGITS = "0123456789"
_PROBE = 1234567890123  # long enough to show the first and every further group


def _group_sizes(loc: QLocale) -> tuple[int, int, int]:
    """(first group, further groups, fewest digits before any grouping) as the locale writes integers."""
    separator = loc.groupSeparator()
    written = loc.toString(_PROBE)
    groups = written.split(separator) if separator else [written]
    if len(groups) < 2:
        return 0, 0, 0  # this locale does not group
    first, further = len(groups[-1]), len(groups[-2]) if len(groups) > 2 else len(groups[-1])
    fewest = next(
        (n for n in range(first + 1, first + 4) if separator in loc.toString(10 ** (n - 1))), first + 1
    )
    return first, further, fewest


@dataclass(frozen=True)
class LocaleNumbers:
    """How a locale writes numbers (its digits, signs, grouping) and where it puts a currency symbol."""

    zero: str
    group: str
    decimal: str
    minus: str
    first_group: int
    further_groups: int
    fewest_grouped: int
    money_pattern: str  # "\x00" stands for the symbol, "\x01" for the number

    @classmethod
    def capture(cls, loc: QLocale) -> LocaleNumbers:
        """Read ``loc`` (on the thread that owns it, the GUI thread)."""
        first, further, fewest = _group_sizes(loc)
        pattern = loc.toCurrencyString(1.0, "\x00", 2).replace(loc.toString(1.0, "f", 2), "\x01", 1)
        return cls(
            zero=loc.zeroDigit(),
            group=loc.groupSeparator(),
            decimal=loc.decimalPoint(),
            minus=loc.negativeSign(),
            first_group=first,
            further_groups=further,
            fewest_grouped=fewest,
            money_pattern=pattern,
        )

    def _digits(self, text: str) -> str:
        if self.zero == "0" or len(self.zero) != 1:
            return text
        native = "".join(chr(ord(self.zero) + i) for i in range(10))
        return text.translate(str.maketrans(_ASCII_DIGITS, native))

    def _grouped(self, digits: str) -> str:
        if not self.first_group or len(digits) < self.fewest_grouped:
            return digits
        parts = [digits[-self.first_group :]]
        rest = digits[: -self.first_group]
        while rest:
            parts.append(rest[-self.further_groups :])
            rest = rest[: -self.further_groups]
        return self.group.join(reversed(parts))

    def integer(self, value: int) -> str:
        """An integer grouped, in the locale's digits (as ``QLocale.toString(int)``)."""
        text = self._digits(self._grouped(str(abs(int(value)))))
        return self.minus + text if value < 0 else text

    def decimal_text(self, value: Decimal, places: int = 2) -> str:
        """An exact decimal with ``places`` decimals (as :func:`custdesk.ui.formatting.format_decimal`)."""
        q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
        units, frac = divmod(abs(q) * (10**places), 10**places)
        text = self._digits(self._grouped(str(int(units))))
        if places:
            text += self.decimal + self._digits(str(int(frac)).rjust(places, "0"))
        return self.minus + text if q < 0 else text

    def money(self, value: Decimal, symbol: str) -> str:
        """An amount with ``symbol`` where the locale puts it (as ``formatting.format_money`` writes it)."""
        text = self.money_pattern.replace("\x01", self.decimal_text(abs(value)), 1).replace("\x00", symbol)
        return self.minus + text if value < 0 else text


__all__ = ["LocaleNumbers"]
