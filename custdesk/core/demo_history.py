"""The life of each demo client as plain rows: card, history, funnel marker, call cycle (no Qt).

:class:`DemoBuilder` turns a client number into the tuples of its rows, in the column orders of
``CLIENT_COLUMNS`` and friends, with money as integer minor units and dates and times as the ISO text
SQLAlchemy stores on SQLite. Who the client is comes from ``demo_people``, what it bought from
``demo_sales``. Nothing here touches the base; ``custdesk.core.demo`` inserts the rows.

The shape of the base (our choice, tuned to DOMAIN.md): about 15 % leads that never bought; among buyers
about 40 % buy once; regulars buy about monthly, a few heavy buyers (mostly organisations) weekly,
seasonal buyers in their season, lapsed buyers stopped more than a year ago. Spend is lognormal per client
and per purchase (a heavy tail: a few clients bring most of the money), with a December peak and a
little inflation. Funnel markers follow ``rules`` from the purchases and outcomes written into the
history, and the next call follows the call cycle from the last contact, so that only a few calls are
overdue or due today.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from custdesk.core import demo_data as data
from custdesk.core import rules
from custdesk.core.demo_people import People
from custdesk.core.demo_sales import PAST_DAYS, Row, Sales, years_before

# Only these kinds of entry move the last contact and the call cycle (notes and mailings do not).
from custdesk.core.services.history import CONTACT_KINDS

CLIENT_COLUMNS = (
    "id", "external_id", "kind", "name", "organisation", "tax_id", "registration_no", "bank_details",
    "country", "region", "city", "district", "street", "building", "postcode", "birthday", "source", "vip",
    "buying_particulars", "preferred_products", "usual_volume", "deal_terms", "discount_percent",
    "payment_terms", "delivery_terms", "contract_no", "contract_end", "competitor", "competitor_advantage",
    "notes", "funnel", "funnel_changed_at", "funnel_reason", "temperature", "call_cycle_days",
    "last_contact_at", "next_call_on", "purchase_count", "revenue_total", "last_purchase_on", "archived",
    "archived_at", "merged_into_id", "created_at", "updated_at",
    # Derived for the client list (migration 0003): the primary phone, month * 100 + day of the birthday.
    "primary_phone", "birthday_md",
)  # fmt: skip
PHONE_COLUMNS = ("id", "client_id", "kind", "number", "extension", "is_primary", "position")
EMAIL_COLUMNS = ("id", "client_id", "kind", "address", "address_key", "is_primary", "position")
PURCHASE_COLUMNS = (
    "id",
    "client_id",
    "purchased_on",
    "amount",
    "profit",
    "items",
    "document_no",
    "created_at",
)
INTERACTION_COLUMNS = (
    "id", "client_id", "kind", "occurred_at", "outcome", "text", "next_step", "duration_seconds",
    "created_by", "created_at",
)  # fmt: skip
REMINDER_COLUMNS = ("id", "client_id", "kind", "due_on", "text", "done_at", "created_at")
TAG_COLUMNS = ("id", "name")
CLIENT_TAG_COLUMNS = ("client_id", "tag_id")
SALES_PLAN_COLUMNS = ("id", "month", "amount")


# (archetype, weight for persons, weight for organisations)
ARCHETYPES = (
    ("lead", 15, 15),
    ("one", 36, 25),
    ("occasional", 17, 15),
    ("regular", 14, 22),
    ("heavy", 2, 10),
    ("seasonal", 9, 5),
    ("lapsed", 7, 8),
)
KINDS = (("call", 55), ("email", 15), ("meeting", 7), ("visit", 5), ("mailing", 8), ("note", 10))
LEAD_MARKERS = (("white", 35), ("green", 15), ("yellow", 18), ("gold-green", 22), ("green-red", 10))
INTEREST_OUTCOME = {"green": "presentation", "yellow": "mailing-ok", "gold-green": "asked-info"}
# Share of clients whose next call is overdue / due today (the Today view's work for the day).
OVERDUE_SHARE, DUE_TODAY_SHARE = 0.02, 0.01


def _cumulative(weights: tuple[int, ...]) -> list[int]:
    return list(accumulate(weights))


@dataclass
class Counts:
    """Running totals for :class:`~custdesk.core.demo.DemoStats`."""

    clients: int = 0
    organisations: int = 0
    buyers: int = 0
    one_time_buyers: int = 0
    purchases: int = 0
    interactions: int = 0
    reminders: int = 0
    phones: int = 0
    emails: int = 0
    tagged_clients: int = 0
    overdue_calls: int = 0
    calls_today: int = 0


@dataclass
class Batch:
    """The rows of a run of clients, per table, ready for ``executemany``."""

    clients: list[Row] = field(default_factory=list)
    phones: list[Row] = field(default_factory=list)
    emails: list[Row] = field(default_factory=list)
    purchases: list[Row] = field(default_factory=list)
    interactions: list[Row] = field(default_factory=list)
    reminders: list[Row] = field(default_factory=list)
    client_tags: list[Row] = field(default_factory=list)


class DemoBuilder:
    """Makes the rows of demo clients, deterministically for (seed, today, settings)."""

    def __init__(
        self, seed: int, today: date, settings: dict[str, Any], *, people: str = "en", words: str = "en"
    ) -> None:
        """``people``: the locale the clients come from (names, addresses, phones: ``ru``, ``en``, ``fi``,
        ``fa``); ``words``: the language of what the seller typed (history, notes, products, tags)."""
        self.rng = random.Random(seed)
        self.today = today
        self.settings = settings
        self.loc, self.lang = people, words
        self.people = People(seed, self.rng, today, (people,))
        self.counts = Counts()
        self.sales = Sales(self.rng, today, settings, words)
        self.ds, self.ndays = self.sales.ds, self.sales.ndays
        self.arch_person = _cumulative(tuple(a[1] for a in ARCHETYPES))
        self.arch_org = _cumulative(tuple(a[2] for a in ARCHETYPES))
        self.kind_weights = _cumulative(tuple(k[1] for k in KINDS))
        self.lead_weights = _cumulative(tuple(k[1] for k in LEAD_MARKERS))
        self.tag_count = len(data.TAGS[words])
        self.prolong_days = int(settings.get("prolongation_days_ahead", 30))
        self.next_ids = {"phone": 1, "email": 1, "interaction": 1, "reminder": 1}
        self.contract_seq = 0

    # -- small helpers ------------------------------------------------------------------------------------

    def _pick(self, seq: tuple[str, ...] | list[str]) -> str:
        return seq[int(self.rng.random() * len(seq))]

    def _weighted(self, cumulative: list[int]) -> int:
        return bisect(cumulative, self.rng.random() * cumulative[-1])

    def tag_rows(self) -> list[Row]:
        """The tags of the demo base."""
        return [(i, name) for i, name in enumerate(data.TAGS[self.lang], start=1)]

    # -- history and funnel -------------------------------------------------------------------------------

    def _temperature(self, arch: str, marker: str, count: int, last_day: int) -> str:
        r = self.rng.random
        if marker in ("green-red", "gold-red", "platinum-red"):
            return "cold"
        if count == 0:
            if marker == "white":
                return "cold" if r() < 0.5 else "warm"
            if marker == "gold-green":
                return "hot" if r() < 0.5 else "warm"
            return "warm"
        idle = self.ndays - 1 - last_day
        if arch == "lapsed" or idle > 365:
            return "cold" if r() < 0.7 else "warm"
        if arch in ("regular", "heavy") and idle < 45:
            return "hot" if r() < 0.3 else "warm"
        u = r()
        return "hot" if u < 0.1 else "cold" if u < 0.2 else "warm"

    def _neutral(self, kind: str) -> str:
        u = self.rng.random()
        if kind == "call":
            return "reached" if u < 0.62 else "no-answer" if u < 0.87 else ""
        if kind in ("meeting", "visit"):
            return "reached"
        if kind == "email":
            return "reached" if u < 0.3 else ""
        return ""

    def _history(
        self, arch: str, count: int, created: int, last_contact: int
    ) -> tuple[list[int], list[str], list[str]]:
        """Moments (minutes from the window's start), kinds and neutral outcomes of the client's history."""
        r = self.rng.random
        n = {"lead": 1, "one": 1, "occasional": 2, "regular": 3, "heavy": 3}.get(arch, 2)
        n += int(r() * (6 if arch in ("regular", "heavy") else 3 if arch != "lead" else 4))
        span = last_contact - created + 1
        moments = [(created + int(r() * span)) * 1440 + 540 + int(r() * 600) for _ in range(n - 1)]
        moments.append(last_contact * 1440 + 540 + int(r() * 600))
        moments.sort()
        for i in range(1, n):
            if moments[i] <= moments[i - 1]:
                moments[i] = moments[i - 1] + 1
        kinds = [KINDS[self._weighted(self.kind_weights)][0] for _ in range(n)]
        if kinds[-1] not in CONTACT_KINDS:
            kinds[-1] = "call"  # the last entry is the last contact the call cycle counts from
        outcomes = [self._neutral(k) for k in kinds]
        if count and arch != "lead":
            for i, k in enumerate(kinds):
                if k in ("call", "meeting") and r() < 0.08:
                    outcomes[i] = "interested"  # a buying client's marker is set by its purchases
        return moments, kinds, outcomes

    def _write_history(
        self, cid: int, loc: str, moments: list[int], kinds: list[str], outcomes: list[str], batch: Batch
    ) -> None:
        r = self.rng.random
        texts = data.INTERACTION_TEXTS[loc]
        steps = data.NEXT_STEPS[loc]
        sellers = data.SELLERS[loc]
        iid = self.next_ids["interaction"]
        for moment, kind, outcome in zip(moments, kinds, outcomes, strict=True):
            stamp = self.sales.stamp(moment)
            pool = texts[outcome]
            text = pool[int(r() * len(pool))]
            step = steps[int(r() * len(steps))] if outcome not in ("", "no-answer") and r() < 0.5 else ""
            if kind == "call":
                duration = 20 + int(r() * r() * 1500) if outcome != "no-answer" else None
            elif kind == "meeting":
                duration = 1200 + int(r() * 4200)
            elif kind == "visit":
                duration = 600 + int(r() * 3000)
            else:
                duration = None
            seller = sellers[int(r() * len(sellers))]
            batch.interactions.append((iid, cid, kind, stamp, outcome, text, step, duration, seller, stamp))
            iid += 1
        self.counts.interactions += iid - self.next_ids["interaction"]
        self.next_ids["interaction"] = iid

    def _reminders(
        self, cid: int, loc: str, vip: bool, birthday: date | None, contract_end: date | None, batch: Batch
    ) -> None:
        r = self.rng.random
        today = self.today
        texts = data.REMINDER_TEXTS[loc]
        due: list[tuple[str, date, bool]] = []
        if vip and birthday is not None:
            nxt = years_before(birthday, birthday.year - today.year)
            if nxt < today - timedelta(days=3):
                nxt = years_before(birthday, birthday.year - today.year - 1)
            due.append(("birthday", nxt, False))
        if contract_end is not None and -30 <= (contract_end - today).days <= 365:
            when = contract_end - timedelta(days=self.prolong_days)
            due.append(("prolongation", when, when < today - timedelta(days=7) and r() < 0.7))
        if r() < 0.04:
            when = today + timedelta(days=int(r() * 41) - 10)
            due.append(("call" if r() < 0.6 else "custom", when, when < today and r() < 0.6))
        rid = self.next_ids["reminder"]
        for kind, when, done in due:
            created = min(when - timedelta(days=7), today).isoformat() + " 08:30:00.000000"
            done_at = (when + timedelta(days=1)).isoformat() + " 10:15:00.000000" if done else None
            batch.reminders.append((rid, cid, kind, when.isoformat(), texts[kind], done_at, created))
            rid += 1
        self.counts.reminders += rid - self.next_ids["reminder"]
        self.next_ids["reminder"] = rid

    # -- one client ---------------------------------------------------------------------------------------

    def client(self, cid: int, batch: Batch) -> None:
        """Append every row of client number ``cid`` (its id) to ``batch``."""
        rng = self.rng
        r = rng.random
        counts = self.counts
        last = self.ndays - 1
        loc, lang = self.loc, self.lang
        org = r() < 0.2
        arch = ARCHETYPES[self._weighted(self.arch_org if org else self.arch_person)][0]
        vip = r() < 0.03
        who = self.people.identity(loc, org)
        days = self.sales.purchase_days(arch)
        count = len(days)
        revenue, last_day, products = self.sales.purchases(cid, org, vip, days, batch.purchases)

        if count:
            created = days[0] - int(r() * 45)
            if days[0] < 60 and r() < 0.6:
                created = -int(r() * (PAST_DAYS - 1))
        else:
            created = last - int(self.ndays * r() ** 2)
        refusal = False
        if count == 0:
            marker = LEAD_MARKERS[self._weighted(self.lead_weights)][0]
            refusal = marker == "green-red"
        else:
            refusal = last_day <= last - 400 and r() < (0.5 if arch == "lapsed" else 0.1)
            bought = rules.marker_for_purchases(count)
            assert bought is not None
            marker = rules.red_marker_for(count) if refusal else bought
        temperature = self._temperature(arch, marker, count, last_day)
        override = (7, 21, 30, 45, 90)[int(r() * 5)] if r() < 0.05 else None
        cycle = rules.call_cycle_days(temperature, override, self.settings)

        # Place the last contact so that the next call by the cycle falls on the day wanted: mostly ahead,
        # a few today or overdue (what a seller who keeps the cycle has on the Today view).
        u = r()
        if u < OVERDUE_SHARE:
            ahead = -1 - int(r() * 10)
        elif u < OVERDUE_SHARE + DUE_TODAY_SHARE:
            ahead = 0
        else:
            ahead = 1 + int(r() * cycle)
        last_contact = min(last, last + ahead - cycle)
        if last_contact < created:
            last_contact = created + int(r() * (last - created + 1))
        if refusal and count and last_contact <= last_day:
            last_contact = min(last, last_day + 30)

        moments, kinds, outcomes = self._history(arch, count, created, last_contact)
        created_at = f"{self.ds[created + PAST_DAYS]} 08:{int(r() * 60):02d}:00.000000"
        changed_at = created_at
        n = len(moments)
        if count and not refusal:
            changed_at = self.sales.wcreated[days[2] if count >= 3 else days[0]]
        elif marker in INTEREST_OUTCOME:
            j = int(r() * n)
            outcomes[j] = "interested" if marker == "gold-green" and r() < 0.5 else INTEREST_OUTCOME[marker]
            if kinds[j] not in CONTACT_KINDS:
                kinds[j] = "call"
            changed_at = self.sales.stamp(moments[j])
        elif refusal:
            if count:
                after = [i for i, m in enumerate(moments) if m // 1440 > last_day]
                k = after[int(r() * len(after))]
            else:
                k = n - 1 if r() < 0.6 else int(r() * n)
                if k and r() < 0.5:
                    j = int(r() * k)
                    outcomes[j] = "asked-info"
                    if kinds[j] not in CONTACT_KINDS:
                        kinds[j] = "call"
            outcomes[k] = "ended" if count and r() < 0.6 else "refused"
            for i in range(k + 1, n):
                if outcomes[i] == "interested":
                    outcomes[i] = "reached"  # renewed interest would leave red
            if kinds[k] not in CONTACT_KINDS:
                kinds[k] = "call"
            changed_at = self.sales.stamp(moments[k])
        self._write_history(cid, lang, moments, kinds, outcomes, batch)
        last_contact_at = self.sales.stamp(moments[-1])
        created_on = self.sales.days[created + PAST_DAYS]
        contact_day = self.sales.days[moments[-1] // 1440 + PAST_DAYS]
        next_call = rules.next_call_on(contact_day, cycle, created_on)
        if next_call < self.today:
            counts.overdue_calls += 1
        elif next_call == self.today:
            counts.calls_today += 1

        # Phones, e-mails, tags.
        pid = self.next_ids["phone"]
        for pos, (kind, number, ext) in enumerate(who.phones):
            batch.phones.append((pid, cid, kind, number, ext, int(pos == 0), pos))
            pid += 1
        counts.phones += pid - self.next_ids["phone"]
        self.next_ids["phone"] = pid
        eid = self.next_ids["email"]
        for pos, (kind, address) in enumerate(who.emails):
            batch.emails.append((eid, cid, kind, address, address.lower(), int(pos == 0), pos))
            eid += 1
        counts.emails += eid - self.next_ids["email"]
        self.next_ids["email"] = eid
        if r() < 0.3:
            picked = {1 + int(r() * self.tag_count) for _ in range(1 + (r() < 0.3))}
            batch.client_tags.extend((cid, t) for t in sorted(picked))
            counts.tagged_clients += 1

        # Special data.
        buyer = count > 0
        particulars = self._pick(data.BUYING_PARTICULARS[lang]) if buyer and r() < 0.25 else ""
        preferred = ""
        if buyer and r() < 0.6:
            preferred = ", ".join(dict.fromkeys(products))
        volume = self._pick(data.USUAL_VOLUMES[lang]) if arch in ("regular", "heavy") and r() < 0.5 else ""
        terms = self._pick(data.DEAL_TERMS[lang]) if org and r() < 0.4 else ""
        discount = (300, 500, 700, 1000, 1500)[int(r() * 5)] if vip or r() < 0.12 else None
        with_terms = r() < (0.7 if org else 0.1)
        payment = self._pick(data.PAYMENT_TERMS[lang]) if with_terms else ""
        delivery = self._pick(data.DELIVERY_TERMS[lang]) if with_terms else ""
        contract_no, contract_end = "", None
        if org and r() < 0.45:
            self.contract_seq += 1
            year = self.today.year - int(r() * 3)
            contract_no = data.CONTRACT_FORMATS[lang].format(year=year, seq=self.contract_seq)
            contract_end = self.today + timedelta(days=int(r() * 480) - 60)
        competitor = advantage = ""
        if (refusal and r() < 0.5) or r() < 0.03:
            competitor = self._pick(data.COMPETITORS[lang])
            advantage = self._pick(data.COMPETITOR_ADVANTAGES[lang])
        notes = self._pick(data.NOTES[lang]) if r() < 0.15 else ""
        source = self._pick(data.SOURCES[lang]) if r() < 0.85 else ""
        self._reminders(cid, lang, vip, who.birthday, contract_end, batch)

        last_purchase = self.sales.wds[last_day] if count else None
        updated_at = max(created_at, last_contact_at, self.sales.wcreated[last_day] if count else "")
        batch.clients.append(
            (
                cid, f"DEMO-{cid:06d}", "organisation" if org else "person", who.name, who.organisation,
                who.tax_id, who.registration_no, who.bank_details, who.country, who.region, who.city,
                who.district, who.street, who.building, who.postcode,
                who.birthday.isoformat() if who.birthday else None, source, int(vip),
                particulars, preferred, volume, terms, discount, payment, delivery, contract_no,
                contract_end.isoformat() if contract_end else None, competitor, advantage, notes,
                marker, changed_at, rules.REASON_DEMO, temperature, override,
                last_contact_at, next_call.isoformat(), count, revenue, last_purchase, 0,
                None, None, created_at, updated_at,
                who.phones[0][1] if who.phones else "",
                who.birthday.month * 100 + who.birthday.day if who.birthday else None,
            )
        )  # fmt: skip
        counts.clients += 1
        counts.organisations += org
        if count:
            counts.buyers += 1
            counts.one_time_buyers += count == 1
        counts.purchases += count
