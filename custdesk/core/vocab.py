"""The closed vocabularies of the domain: stored as English keys, shown translated.

The keys are the English names of DOMAIN.md and are what JSON output carries, whatever the interface
language; ``label()`` gives the translated name for people.
"""

from __future__ import annotations

from dataclasses import dataclass

from custdesk.i18n import N_, _, current_language, pgettext


@dataclass(frozen=True)
class FunnelMarker:
    """A funnel marker: its key, colour, the English short letters shown on the colour, and its meaning.

    The colours are chosen so that all nine stay apart (CIEDE2000 of at least 8 between any two) for
    normal vision and under simulated protanopia, deuteranopia and tritanopia; the red markers are also
    drawn with a red outline and hatching, and every swatch carries the marker's letters in the
    interface language (:attr:`letter`), so colour is never the only cue.
    """

    key: str
    colour: str  # hex, for swatches, badges and spreadsheet fills
    code: str  # the English letters; :attr:`letter` is the interface language's
    name: str  # English, marked for translation
    meaning: str

    @property
    def letter(self) -> str:
        """The short letters on the swatch, in the interface language ("W", "Б", "Va", "سف")."""
        return funnel_letters()[self.key]

    @property
    def red(self) -> bool:
        """Whether it is one of the red markers (drawn with a red outline and hatching)."""
        return self.key in RED_MARKERS


def funnel_letters() -> dict[str, str]:
    """The short letters of every marker in the interface language (each language its own initials)."""
    language = current_language()
    letters = _LETTERS.get(language)
    if letters is None:
        letters = _LETTERS[language] = _translated_letters()
    return letters


_LETTERS: dict[str, dict[str, str]] = {}  # per language: the list paints a swatch per visible row


def _translated_letters() -> dict[str, str]:
    return {
        # TRANSLATORS: the short letters on the white funnel marker's swatch: one or two letters of the
        # marker's name in your language; all nine must differ (W, G, Y, GG, Go, Pl, GR, GoR, PlR).
        "white": pgettext("funnel marker letters", "W"),
        "green": pgettext("funnel marker letters", "G"),
        "yellow": pgettext("funnel marker letters", "Y"),
        "gold-green": pgettext("funnel marker letters", "GG"),
        "gold": pgettext("funnel marker letters", "Go"),
        "platinum": pgettext("funnel marker letters", "Pl"),
        # TRANSLATORS: the red markers: the letters of their stage and R for red (the swatch is also
        # outlined in red and hatched).
        "green-red": pgettext("funnel marker letters", "GR"),
        "gold-red": pgettext("funnel marker letters", "GoR"),
        "platinum-red": pgettext("funnel marker letters", "PlR"),
    }


FUNNEL_MARKERS: tuple[FunnelMarker, ...] = (
    FunnelMarker("white", "#F5F5F5", "W", N_("white"), N_("attitude to the product unknown")),
    FunnelMarker("green", "#59B47D", "G", N_("green"), N_("agreed to attend a presentation")),
    FunnelMarker("yellow", "#DFD65F", "Y", N_("yellow"), N_("does not object to advertising mailings")),
    FunnelMarker("gold-green", "#ACB900", "GG", N_("gold-green"), N_("asked for information")),
    FunnelMarker("gold", "#BA8400", "Go", N_("gold"), N_("bought once or twice")),
    FunnelMarker("platinum", "#727FA5", "Pl", N_("platinum"), N_("regular client: three or more purchases")),
    FunnelMarker("green-red", "#AC543F", "GR", N_("green-red"), N_("refused the offer without buying")),
    FunnelMarker("gold-red", "#8C3700", "GoR", N_("gold-red"), N_("bought before, no longer interested")),
    FunnelMarker(
        "platinum-red", "#59002B", "PlR", N_("platinum-red"), N_("regular client who stopped cooperating")
    ),
)
FUNNEL_KEYS: tuple[str, ...] = tuple(m.key for m in FUNNEL_MARKERS)
FUNNEL_BY_KEY = {m.key: m for m in FUNNEL_MARKERS}
RED_OUTLINE = "#E00000"  # the outline and hatching of a red marker's swatch
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
    "prolongation": N_("contract renewal"),
    "custom": N_("reminder"),
}


def label(vocabulary: dict[str, str], key: str) -> str:
    """The translated name of ``key`` in ``vocabulary`` (the key itself when unknown)."""
    return _(vocabulary[key]) if key in vocabulary else key


def funnel_label(key: str) -> str:
    """The translated name of a funnel marker."""
    marker = FUNNEL_BY_KEY.get(key)
    return _(marker.name) if marker else key


# Legal forms that mark a name as a firm's, as a shop's old list writes them in the name column
# («ООО "Ромашка"», "Virtanen Oy", "Acme LLC", «شرکت آلفا»): before the name (Russian, Persian, and the
# Russian ones after it too) or after it (Finnish, Swedish, English, German).
LEGAL_FORMS_BEFORE = frozenset(
    {
        "ооо", "зао", "оао", "пао", "ао", "нао", "ип", "тоо", "одо", "нко", "ано", "гуп", "муп", "фгуп",
        "شرکت", "موسسه", "مؤسسه",
    }
)  # fmt: skip
LEGAL_FORMS_AFTER = frozenset(
    {
        "ооо", "зао", "оао", "пао", "ао",
        "oy", "oyj", "ab", "ky", "tmi", "ry", "osk",
        "llc", "inc", "ltd", "corp", "plc", "llp", "gmbh",
    }
)  # fmt: skip
_NAME_PUNCTUATION = "\"'«»„“”‘’.,;:()[]"


def has_legal_form(name: str) -> bool:
    """Whether a name is a firm's: it starts or ends with a legal form (ООО, Oy, LLC, شرکت...)."""
    words = [w.strip(_NAME_PUNCTUATION).casefold() for w in name.split()]
    words = [w for w in words if w]
    if len(words) < 2:
        return False
    return words[0] in LEGAL_FORMS_BEFORE or words[-1] in LEGAL_FORMS_AFTER
