"""CustDesk's translation catalogs: extract, update, compile and check (Babel, no Qt).

    python tools/i18n.py extract   # the code's strings -> custdesk/resources/locale/custdesk.pot
    python tools/i18n.py update    # .pot -> ru/fi/fa .po (new entries empty, changed ones fuzzy)
    python tools/i18n.py compile   # .po -> .mo next to them (gettext reads the .mo; not in git)
    python tools/i18n.py check     # untranslated, fuzzy or placeholder-broken entries: exit 1
    python tools/i18n.py all       # extract + update + check (what to run after adding strings)
    python tools/i18n.py reword OLD NEW [--plural NEW_PLURAL]
                                   # an English wording changes: ru/fi/fa keep their translation
                                   # (change the code's string too, then run `all`)

Strings are taken from ``custdesk/**.py`` (see ``babel.cfg``) with the keywords ``_``, ``ngettext``,
``N_`` and ``pgettext``. A comment ``# TRANSLATORS: ...`` on the line before a string reaches the
translator. ``check --list`` prints every entry still to translate, ``--lang ru`` narrows to one language.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "custdesk" / "resources" / "locale"
DOMAIN = "custdesk"
POT = LOCALE_DIR / f"{DOMAIN}.pot"
LANGUAGES = ("ru", "fi", "fa")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
METHOD_MAP = [("**.py", "python")]  # under custdesk/ (babel.cfg says the same for pybabel)
OPTIONS_MAP = {"**.py": {"encoding": "utf-8"}}
# CLDR: Persian has "one" (i = 0 or n = 1) and "other"; Babel's table says one form, CLDR says two.
PLURAL_FORMS = {"fa": "nplurals=2; plural=(n > 1);"}
PO_WIDTH = 110
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:[!:][^{}]*)?\}(?!\})")
PERCENT = re.compile(r"%(?:\([A-Za-z_]+\))?[sdif%]")


def po_path(language: str) -> Path:
    """The .po file of one language."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    """Every translatable string in the code, as a template catalog."""
    catalog = Catalog(project="CustDesk", msgid_bugs_address="", copyright_holder="CustDesk", charset="utf-8")
    found = extract_from_dir(
        str(ROOT / "custdesk"),
        method_map=METHOD_MAP,
        options_map=OPTIONS_MAP,
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        where = [(f"custdesk/{Path(filename).as_posix()}", lineno)]
        catalog.add(message, None, where, auto_comments=comments, context=context)
    return catalog


def message_keys(catalog: Catalog) -> set[tuple[str | None, str, str | None]]:
    """(context, msgid, plural msgid) of every message in a catalog, without the header."""
    out = set()
    for m in catalog:
        if not m.id:
            continue
        singular, plural = (m.id[0], m.id[1]) if isinstance(m.id, tuple | list) else (m.id, None)
        out.add((m.context, singular, plural))
    return out


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # References name the file, not the line: a line number moves with every edit above it, and the
    # catalogues would change (and conflict between branches) for nothing.
    write_po(
        buffer, catalog, width=PO_WIDTH, ignore_obsolete=True, include_previous=False, include_lineno=False
    )
    data = buffer.getvalue()
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def read_catalog(path: Path) -> Catalog:
    """A .po or .pot file as a catalog."""
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


def write_template() -> Catalog:
    """Extract and write the .pot (the file changes only when the strings do)."""
    template = extract()
    if POT.exists():  # keep the old creation date when nothing changed, so the file stays put in git
        old = read_catalog(POT)
        if message_keys(old) == message_keys(template) and _locations(old) == _locations(template):
            return old
    _write(template, POT)
    return template


def _locations(catalog: Catalog) -> list[tuple[object, list[tuple[str, int]]]]:
    return [(m.id, list(m.locations)) for m in catalog if m.id]


def update(template: Catalog | None = None) -> None:
    """Bring every language's .po in line with the .pot: new entries empty, changed ones fuzzy."""
    template = template or read_catalog(POT)
    for language in LANGUAGES:
        path = po_path(language)
        if path.exists():
            catalog = read_catalog(path)
        else:
            catalog = Catalog(locale=language, project="CustDesk", copyright_holder="CustDesk")
            catalog.last_translator = "CustDesk translators"
            catalog.language_team = f"{language} <translators@custdesk.invalid>"
            catalog.fuzzy = False
        if language in PLURAL_FORMS:
            headers = [(k, v) for k, v in catalog.mime_headers if k.lower() != "plural-forms"]
            catalog.mime_headers = [*headers, ("Plural-Forms", PLURAL_FORMS[language])]
        catalog.update(template, update_creation_date=False)
        _write(catalog, path)


def compile_bytes(catalog: Catalog) -> bytes:
    """The .mo file of a catalog (fuzzy entries left out, as gettext would)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_all(languages: Iterable[str] = LANGUAGES) -> list[Path]:
    """Compile the .po of each language to its .mo; returns the files written."""
    written = []
    for language in languages:
        po = po_path(language)
        mo = po.with_suffix(".mo")
        data = compile_bytes(read_catalog(po))
        if not mo.exists() or mo.read_bytes() != data:
            mo.write_bytes(data)
            written.append(mo)
    return written


def placeholders(text: str) -> set[str]:
    """The named ``{fields}`` and ``%`` conversions in a message."""
    return set(PLACEHOLDER.findall(text)) | set(PERCENT.findall(text))


def problems(catalog: Catalog) -> Iterator[tuple[Message, str]]:
    """Every entry of a translated catalog that a user would see wrong, with what is wrong."""
    for m in catalog:
        if not m.id:
            continue
        ids = list(m.id) if isinstance(m.id, tuple | list) else [m.id]
        strs = list(m.string) if isinstance(m.string, tuple | list) else [m.string]
        if m.fuzzy:
            yield m, "fuzzy"
            continue
        if not all(strs):
            yield m, "untranslated"
            continue
        wanted = placeholders(ids[0]) | (placeholders(ids[1]) if len(ids) > 1 else set())
        for s in strs:
            got = placeholders(s)
            # A singular form may leave out the number ("one client") but never invent a field.
            if not got <= wanted or (got != wanted and len(ids) == 1):
                yield m, f"placeholders {sorted(got)} != {sorted(wanted)}"
                break
        if ids[0].strip() != ids[0] and (ids[0][:1].isspace() != strs[0][:1].isspace()):
            yield m, "leading space differs"


def check(languages: Iterable[str] = LANGUAGES, *, listing: bool = False) -> int:
    """Report what is left to translate; 1 when anything is, else 0."""
    template = read_catalog(POT)
    code_keys = message_keys(extract())
    bad = 0
    if message_keys(template) != code_keys:
        print(f"{POT.relative_to(ROOT)} is out of date with the code: run `python tools/i18n.py all`")
        bad += 1
    for language in languages:
        catalog = read_catalog(po_path(language))
        missing = message_keys(template) - message_keys(catalog)
        found = list(problems(catalog))
        print(f"{language}: {len(found)} to fix, {len(missing)} missing from the .po")
        bad += len(found) + len(missing)
        if listing:
            for m, what in found:
                print(f"  [{what}] {m.context + ' | ' if m.context else ''}{m.id!r}")
            for key in sorted(missing, key=str):
                print(f"  [missing] {key!r}")
    return 1 if bad else 0


def reword(old: str, new: str, new_plural: str | None = None) -> list[str]:
    """Move each language's translation of msgid ``old`` to msgid ``new``; returns the languages moved.

    For a rewording in English that keeps the meaning: without it, `update` would mark the new wording
    fuzzy (or leave it empty) and the translations would have to be typed again.
    """
    moved = []
    for language in LANGUAGES:
        path = po_path(language)
        catalog = read_catalog(path)
        message = catalog.get(old)
        if message is None:
            continue
        plural = isinstance(message.id, tuple | list)
        if plural and new_plural is None:
            raise SystemExit(f"{old!r} has a plural form: give --plural")
        new_id = (new, new_plural) if plural else new
        catalog.delete(old, context=message.context)
        catalog.add(
            new_id,
            message.string,
            list(message.locations),
            flags=message.flags,
            auto_comments=message.auto_comments,
            user_comments=message.user_comments,
            context=message.context,
        )
        _write(catalog, path)
        moved.append(language)
    return moved


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; returns the exit code."""
    parser = argparse.ArgumentParser(prog="tools/i18n.py", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("extract", "update", "compile", "check", "all", "reword"))
    parser.add_argument("words", nargs="*", help="with reword: the old and the new English msgid")
    parser.add_argument("--plural", help="with reword: the new plural msgid of a plural entry")
    parser.add_argument("--lang", choices=LANGUAGES, action="append", help="only this language")
    parser.add_argument("--list", action="store_true", help="with check: list every entry to fix")
    args = parser.parse_args(argv)
    languages = args.lang or list(LANGUAGES)
    if args.action == "reword":
        if len(args.words) != 2:
            parser.error("reword takes the old and the new msgid")
        moved = reword(args.words[0], args.words[1], args.plural)
        print("reworded in: " + (", ".join(moved) or "no catalogue (no such msgid)"))
        return 0 if moved else 1
    if args.action in ("extract", "all"):
        template = write_template()
        print(f"{POT.relative_to(ROOT)}: {len(message_keys(template))} messages")
    if args.action in ("update", "all"):
        update()
        print("updated: " + ", ".join(str(po_path(lang).relative_to(ROOT)) for lang in LANGUAGES))
    if args.action == "compile":
        written = compile_all(languages)
        print("compiled: " + (", ".join(str(p.relative_to(ROOT)) for p in written) or "all up to date"))
    if args.action in ("check", "all"):
        return check(languages, listing=args.list)
    return 0


if __name__ == "__main__":
    sys.exit(main())
