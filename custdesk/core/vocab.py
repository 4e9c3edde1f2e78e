"""The closed vocabularies of the domain: stored as English keys, shown translated.

The keys are the English names of DOMAIN.md and are what JSON output carries, whatever the interface
language; ``label()`` gives the translated name for people.
"""

from __future__ import annotations

from dataclasses import dataclass

from custdesk.i18n import N_, _


@dataclass(frozen=True)
class FunnelMarker:
    """A funnel marker: its key, colour, the letter shown beside the colour, and its meaning."""

    key: str
    colour: str  # hex, for swatches, badges and spreadsheet fills
    letter: str  # for colour-blind users; not translated (a code, like a traffic sign)
    name: str  # English, marked for translation
    meaning: str


FUNNEL_MARKERS: tuple[FunnelMarker, ...] = (
    FunnelMarker("white", "#F4F4F4", "W", N_("white"), N_("attitude to the product unknown")),
    FunnelMarker("green", "#4CAF50", "G", N_("green"), N_("agreed to attend a presentation")),
    FunnelMarker("yellow", "#FFD600", "Y", N_("yellow"), N_("does not object to advertising mailings")),
    FunnelMarker("gold-green", "#A4B62B", "GG", N_("gold-green"), N_("asked for information")),
    FunnelMarker("gold", "#D4A017", "Au", N_("gold"), N_("bought once or twice")),
    FunnelMarker("platinum", "#8E9AAF", "Pt", N_("platinum"), N_("regular client: three or more purchases")),
    FunnelMarker("green-red", "#C0392B", "GR", N_("green-red"), N_("refused the offer without buying")),
    FunnelMarker("gold-red", "#B03A2E", "AuR", N_("gold-red"), N_("bought before, no longer interested")),
    FunnelMarker(
        "platinum-red", "#922B21", "PtR", N_("platinum-red"), N_("regular client who stopped cooperating")
    ),
)
FUNNEL_KEYS: tuple[str, ...] = tuple(m.key for m in FUNNEL_MARKERS)
FUNNEL_BY_KEY = {m.key: m for m in FUNNEL_MARKERS}
RED_MARKERS = frozenset({"green-red", "gold-red", "platinum-red"})

TEMPERATURES: dict[str, str] = {"hot": N_("hot"), "warm": N_("warm"), "cold": N_("cold")}
# RFM segments (analysis.rfm names and marks them) from the best to the most slipping away: the order
# the list sorts them in, the analysis lists and colours them.
RFM_SEGMENT_ORDER: tuple[str, ...] = (
    "champions",
    "loyal",
    "potential loyalist",
    "new",
    "promising",
    "need attention",
    "about to sleep",
    "at risk",
    "can't lose them",
    "hibernating",
)
CLIENT_KINDS: dict[str, str] = {"person": N_("person"), "organisation": N_("organisation")}
PHONE_KINDS: dict[str, str] = {
    "mobile": N_("mobile"),
    "work": N_("work"),
    "home": N_("home"),
    "fax": N_("fax"),
    "other": N_("other"),
}
EMAIL_KINDS: dict[str, str] = {"work": N_("work"), "personal": N_("personal"), "other": N_("other")}
INTERACTION_KINDS: dict[str, str] = {
    "call": N_("call"),
    "meeting": N_("meeting"),
    "email": N_("e-mail"),
    "visit": N_("visit"),
    "mailing": N_("mailing"),
    "note": N_("note"),
}
# Outcomes of a contact. "refused" and "ended" turn a client red; "interested" leaves red (DOMAIN.md).
OUTCOMES: dict[str, str] = {
    "": N_("no outcome"),
    "reached": N_("reached"),
    "no-answer": N_("no answer"),
    "interested": N_("interested"),
    "presentation": N_("agreed to a presentation"),
    "mailing-ok": N_("agreed to mailings"),
    "asked-info": N_("asked for information"),
    "refused": N_("refused"),
    "ended": N_("ended cooperation"),
}
FUNNEL_REASONS: dict[str, str] = {
    "manual": N_("set by hand"),
    "rule:first-purchase": N_("first purchase"),
    "rule:third-purchase": N_("third purchase"),
    "rule:refused": N_("refused the offer"),
    "rule:ended": N_("ended cooperation"),
    "rule:interest": N_("renewed interest"),
    "import": N_("imported"),
    "demo": N_("demo data"),
    "merge": N_("merged cards"),
}
REMINDER_KINDS: dict[str, str] = {
    "call": N_("call"),
    "birthday": N_("birthday"),
    "prolongation": N_("contract prolongation"),
    "custom": N_("reminder"),
}


def label(vocabulary: dict[str, str], key: str) -> str:
    """The translated name of ``key`` in ``vocabulary`` (the key itself when unknown)."""
    return _(vocabulary[key]) if key in vocabulary else key


def funnel_label(key: str) -> str:
    """The translated name of a funnel marker."""
    marker = FUNNEL_BY_KEY.get(key)
    return _(marker.name) if marker else key
