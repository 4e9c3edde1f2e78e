"""Purchases and sales plans of the demo base: when each client buys, for how much, and the plans (no Qt).

:class:`Sales` keeps the calendar of the three years (dates as the ISO text SQLAlchemy stores on SQLite,
precomputed once per day), draws each client's purchase days by its archetype, writes the purchase rows
with money as integer minor units, and sums revenue per month for the owner's sales plans.

Spend is lognormal per client (persons around 35, organisations around 100 USD a purchase, scaled to the
firm's currency) and per purchase, with a December peak, a summer dip and a little inflation; with the
one-time buyers and the regulars that gives the heavy tail DOMAIN.md expects (the top 20 % of buyers
bring about 85 % of the revenue).
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

from custdesk.core import demo_data as data

Row = tuple[Any, ...]

YEARS = 3
PAST_DAYS = 730  # clients may have been created up to two years before the three years of purchases
FUTURE_DAYS = 800  # reminders and contracts reach this far ahead
NOISE_POOL = 4096
SEASONS = ((11, 12), (3, 4, 5), (6, 7, 8), (8, 9), (12, 1))
# Amounts: median spend per purchase in major units of USD (scaled to the firm's currency).
PERSON_MEDIAN, ORG_MEDIAN = 35.0, 100.0
PERSON_SIGMA, ORG_SIGMA = 0.8, 0.9  # of the log of a client's typical spend
CURRENCY_SCALE = {"RUB": 90, "KZT": 450, "UAH": 40, "BYN": 3, "SEK": 10, "IRR": 40000}
ITEM_QUANTITIES = 100  # "Coffee beans, 1 kg × 7" is made once per product and quantity up to this
RETURN_SHARE = 0.06  # of clients with three purchases or more, who return one of them


# " HH:MM:00.000000" for every minute of a day: SQLAlchemy's DATETIME text on SQLite, after the date.
CLOCK = tuple(f" {m // 60:02d}:{m % 60:02d}:00.000000" for m in range(1440))


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class Sales:
    """The calendar of the demo and the purchases of its clients, drawn from the caller's ``rng``."""

    def __init__(self, rng: random.Random, today: date, settings: dict[str, Any], words: str = "en") -> None:
        self.rng = rng
        self.today = today
        self.returns = 0
        self.next_id = 1
        self.start = years_before(today, YEARS) + timedelta(days=1)
        self.ndays = (today - self.start).days + 1
        first = self.start - timedelta(days=PAST_DAYS)
        self.days = [first + timedelta(days=i) for i in range(PAST_DAYS + self.ndays + FUTURE_DAYS)]
        self.ds = [d.isoformat() for d in self.days]  # index: window offset + PAST_DAYS
        window = self.days[PAST_DAYS : PAST_DAYS + self.ndays]
        self.wds = [d.isoformat() for d in window]
        self.wcreated = [
            f"{d.isoformat()} {9 + i * 7 % 10:02d}:{i * 13 % 60:02d}:00.000000" for i, d in enumerate(window)
        ]
        self.wmonth = [(d.year - self.start.year) * 12 + d.month - self.start.month for d in window]
        self.month_revenue = [0] * (self.wmonth[-1] + 1)
        scale = CURRENCY_SCALE.get(str(settings.get("currency", "USD")), 1)
        self.scale = scale
        self.wfactor = [data.SEASON[d.month] / 100 * (1 + 0.06 * i / 365) for i, d in enumerate(window)]
        self.noise = [rng.lognormvariate(0, 0.45) for _ in range(NOISE_POOL)]
        self.min_cents = 100 * scale
        # Months of the window as (offset of the first day, days in the month, calendar month).
        self.months: list[tuple[int, int, int]] = []
        m = self.start.replace(day=1)
        while m <= today:
            nxt = (m + timedelta(days=32)).replace(day=1)
            self.months.append(((m - self.start).days, (nxt - m).days, m.month))
            m = nxt
        # The catalogue in the demo's language: (name, unit price in cents, texts by quantity).
        self.lang = words
        times = "{name} × {q}"
        digits = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹") if words == "fa" else None

        def quantity(name: str, q: int) -> str:
            text = times.format(name=name, q=q)
            return text if digits is None else f"{name} × {str(q).translate(digits)}"

        self.quantity = quantity
        self.catalogue = [
            (name, price * 100 * scale, [name, name, *(quantity(name, q) for q in range(2, ITEM_QUANTITIES))])
            for name, price in data.PRODUCTS[words]
        ]

    def skewed_day(self) -> int:
        """A window day, more likely late than early (the base grows)."""
        return min(self.ndays - 1, int(self.ndays * self.rng.random() ** 0.75))

    def stamp(self, minute: int) -> str:
        """The stored text of a moment given in minutes from the window's first midnight."""
        day, m = divmod(minute, 1440)
        return self.ds[day + PAST_DAYS] + CLOCK[m]

    def purchase_days(self, arch: str) -> list[int]:
        """The sorted window days (0 = the first of the three years) a client of ``arch`` buys on."""
        r = self.rng.random
        n = self.ndays
        last = n - 1
        if arch == "lead":
            return []
        if arch == "one":
            return [self.skewed_day()]
        if arch == "occasional":
            s = int(self.skewed_day() * 0.8)
            return sorted(s + int(r() * (n - s)) for _ in range(2 + int(r() * 4)))
        out: list[int] = []
        if arch in ("regular", "heavy", "lapsed"):
            gap = 22 + r() * 16 if arch != "heavy" else 4 + r() * 10
            end = last
            if arch == "lapsed":
                s = int(r() * n * 0.35)
                end = last - 400 - int(r() * 250)
                s = min(s, max(0, end - 120))
            else:
                s = 0 if r() < 0.5 else int(n * 0.85 * r())
            o = s + int(r() * gap)
            while o <= end:
                out.append(o)
                o += 1 + int(gap * (0.5 + r()))
            if len(out) < 2:
                out = sorted(max(0, end - int(r() * 90)) for _ in range(2))
            return out
        season = SEASONS[int(r() * len(SEASONS))]
        for first, length, month in self.months:
            if month in season and r() < 0.75:
                for _ in range(1 + (r() < 0.3)):
                    o = first + int(r() * length)
                    if 0 <= o <= last:
                        out.append(o)
        if len(out) < 2:
            out.extend(self.skewed_day() for _ in range(2 - len(out)))
        out.sort()
        return out

    def purchases(
        self, cid: int, org: bool, vip: bool, days: list[int], rows: list[Row]
    ) -> tuple[int, int, list[str]]:
        """Append the client's purchases (and perhaps a return).

        Returns:
            The revenue (minor units), the day of the last purchase (-1: none) and the products bought.
        """
        rng = self.rng
        r = rng.random
        bits = rng.getrandbits
        median = ORG_MEDIAN if org else PERSON_MEDIAN
        base = (
            100
            * self.scale
            * median
            * math.exp(rng.gauss(0, ORG_SIGMA if org else PERSON_SIGMA))
            * (2.5 if vip else 1)
        )
        margin = 1200 + int(r() * 3300)  # basis points of the amount
        # Per purchase one draw of 20 bits picks the amount's noise (12 bits), the margin's wobble (6 bits,
        # 0: profit not recorded) and the product (2 bits).
        catalogue = self.catalogue
        prefs = [catalogue[int(r() * len(catalogue))] for _ in range(4)]
        prefix = data.INVOICE_PREFIXES[self.lang]
        noise, wfactor, wds, wcreated = self.noise, self.wfactor, self.wds, self.wcreated
        month_revenue, wmonth, min_cents = self.month_revenue, self.wmonth, self.min_cents
        pid = self.next_id
        append = rows.append
        first_row = len(rows)
        revenue = 0
        for o in days:
            k = bits(20)
            amount = int(base * noise[k & 4095] * wfactor[o])
            if amount < min_cents:
                amount = min_cents
            m = (k >> 12) & 63
            name, unit, texts = prefs[k >> 18]
            qty = amount // unit
            append(
                (
                    pid,
                    cid,
                    wds[o],
                    amount,
                    amount * (margin + 16 * m - 500) // 10000 if m else None,
                    texts[qty] if qty < ITEM_QUANTITIES else self.quantity(name, qty),
                    f"{prefix}{pid:07d}",
                    wcreated[o],
                )
            )
            month_revenue[wmonth[o]] += amount
            revenue += amount
            pid += 1
        if len(days) >= 3 and r() < RETURN_SHARE:
            j = first_row + int(r() * len(days))
            _id, _c, _d, amount, profit, items, _n, _cr = rows[j]
            back = amount if r() < 0.6 else max(1, amount // 2)
            o = min(days[j - first_row] + 1 + int(r() * 20), self.ndays - 1)
            lost = None if profit is None else -(profit * back // amount)
            item = data.RETURN_PREFIX[self.lang] + items
            append((pid, cid, wds[o], -back, lost, item, f"{prefix}{pid:07d}", wcreated[o]))
            month_revenue[wmonth[o]] -= back
            revenue -= back
            pid += 1
            self.returns += 1
        self.next_id = pid
        return revenue, days[-1] if days else -1, [p[0] for p in prefs]

    def plan_rows(self) -> list[Row]:
        """The owner's monthly plans: the three years and the next twelve months, around the trend."""
        r = self.rng.random
        actual = self.month_revenue
        if not any(actual):
            return []  # no sales, no plan
        current = len(actual) - 1  # today's month, not over yet; month 0 began mid-month
        full = {i: v for i, v in enumerate(actual) if 0 < i < current}
        unit = 100 * 100 * self.scale  # plans are round figures

        def smooth(i: int) -> float:
            near = [full[j] for j in (i - 1, i, i + 1) if j in full]
            return sum(near) / len(near) if near else 0.0

        last12 = sum(full.get(i, 0) for i in range(current - 12, current))
        prev12 = sum(full.get(i, 0) for i in range(current - 24, current - 12))
        growth = min(1.3, max(0.9, last12 / prev12)) if prev12 > 0 else 1.05
        rows: list[Row] = []
        month = self.start.replace(day=1)
        for i in range(current + 13):
            if i < current:
                expected = smooth(i) if i else smooth(1)
            else:
                ref = i - 12 if i - 12 in full else i - 24
                expected = full.get(ref, smooth(current - 1)) * (growth if ref == i - 12 else growth * growth)
            amount = int(expected * (0.95 + 0.17 * r()) / unit + 0.5) * unit
            rows.append((i + 1, month.isoformat(), amount))
            month = (month + timedelta(days=32)).replace(day=1)
        return rows
