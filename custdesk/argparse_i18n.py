"""argparse in the interface language: its own words ("usage:", "options", "show this help message and
exit") and its error messages, for ``custdesk-cli`` and ``custdesk`` (no Qt here).

argparse looks its words up with ``gettext.gettext`` in the default ``messages`` domain, which CustDesk
does not use; patching the module's ``_`` would change every parser in the process. Instead:

- :class:`HelpFormatter` writes the usage prefix, the two standard section titles and the standard help
  texts of ``-h`` and ``--version`` from our catalogs at the moment the help is written (the groups keep
  argparse's English titles inside, so ``parents=`` still merges them);
- :class:`ArgumentParser` uses that formatter and, in :meth:`ArgumentParser.error`, reads argparse's
  English error message back against argparse's own templates (:data:`ARGPARSE_MESSAGES`) and writes it
  again with our translated template. A message argparse words differently (another Python version) is
  shown as argparse wrote it.

Every template is a translatable string of our catalogs with named ``{fields}``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from custdesk.i18n import N_, _, ngettext

# argparse's English words in the help, and ours to translate them.
SECTION_TITLES = {
    "positional arguments": N_("positional arguments"),
    "options": N_("options"),
    "optional arguments": N_("options"),  # Python before 3.10
}
HELP_TEXTS = {
    "show this help message and exit": N_("show this help message and exit"),
    "show program's version number and exit": N_("show the program's version number and exit"),
}


def _expected(fields: dict[str, str]) -> str:
    count = fields["count"]
    n = int(count) if count.isdigit() else 2
    return ngettext("expected {count} argument", "expected {count} arguments", n).format(count=count)


def _simple(template: str) -> Callable[[dict[str, str]], str]:
    return lambda fields: _(template).format(**fields)


# (argparse's English template, the names we give its fields in order, how to write it in our words).
# The fields called "message" hold another argparse message, translated in turn.
ARGPARSE_MESSAGES: tuple[tuple[str, tuple[str, ...], Callable[[dict[str, str]], str]], ...] = (
    ("argument %(argument_name)s: %(message)s", (), _simple(N_("argument {argument_name}: {message}"))),
    ("unrecognized arguments: %s", ("arguments",), _simple(N_("unrecognized arguments: {arguments}"))),
    (
        "the following arguments are required: %s",
        ("arguments",),
        _simple(N_("the following arguments are required: {arguments}")),
    ),
    (
        "invalid choice: %(value)r (choose from %(choices)s)",
        (),
        _simple(N_("invalid choice: {value} (choose from {choices})")),
    ),
    ("invalid %(type)s value: %(value)r", (), _simple(N_("invalid {type} value: {value}"))),
    ("expected one argument", (), _simple(N_("expected one argument"))),
    ("expected at most one argument", (), _simple(N_("expected at most one argument"))),
    ("expected at least one argument", (), _simple(N_("expected at least one argument"))),
    ("expected %s argument", ("count",), _expected),
    ("expected %s arguments", ("count",), _expected),
    (
        "ambiguous option: %(option)s could match %(matches)s",
        (),
        _simple(N_("ambiguous option: {option} could match {matches}")),
    ),
    ("not allowed with argument %s", ("argument",), _simple(N_("not allowed with argument {argument}"))),
    (
        "one of the arguments %s is required",
        ("arguments",),
        _simple(N_("one of the arguments {arguments} is required")),
    ),
    ("ignored explicit argument %r", ("value",), _simple(N_("ignored explicit argument {value}"))),
    ("can't open '%(filename)s': %(error)s", (), _simple(N_("cannot open “{filename}”: {error}"))),
)
_FIELD = re.compile(r"%\((\w+)\)[sr]|%[sr]")


def _pattern(template: str, names: Iterable[str]) -> re.Pattern[str]:
    """A regular expression that reads the fields of a message argparse made from ``template``."""
    unnamed = iter(names)
    parts, last = [], 0
    for match in _FIELD.finditer(template):
        parts.append(re.escape(template[last : match.start()]))
        parts.append(f"(?P<{match.group(1) or next(unnamed)}>.+?)")
        last = match.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


_PATTERNS = tuple((_pattern(template, names), render) for template, names, render in ARGPARSE_MESSAGES)


def translate_message(message: str) -> str:
    """An error message of argparse in the interface language (unchanged when it is not argparse's)."""
    for pattern, render in _PATTERNS:
        match = pattern.match(message)
        if match is not None:
            fields = {
                name: translate_message(value) if name == "message" else value
                for name, value in match.groupdict().items()
            }
            return render(fields)
    return message


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help with its standard words in the interface language."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        """The usage line, its prefix ("usage: ") translated."""
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        """A section; argparse's standard titles ("options") translated."""
        if heading in SECTION_TITLES:
            heading = _(SECTION_TITLES[heading])
        super().start_section(heading)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = super()._get_help_string(action)
        return _(HELP_TEXTS[text]) if text in HELP_TEXTS else text


class ArgumentParser(argparse.ArgumentParser):
    """An argument parser whose help and error messages speak the interface language.

    Subcommand parsers made by ``add_subparsers()`` are of this class too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in the interface language, then exit with status 2."""
        self.print_usage(sys.stderr)
        text = _("{prog}: error: {message}").format(prog=self.prog, message=translate_message(message))
        self.exit(2, text + "\n")


__all__ = ["ARGPARSE_MESSAGES", "ArgumentParser", "HelpFormatter", "translate_message"]
