"""``custdesk-cli fields``: the firm's own client fields (defined in Base > Fields…).

``--json`` prints a list of definitions with English keys::

    [{"id": 3, "key": "cf3", "name": "Discount card", "kind": "text", "section": "Own fields",
      "required": false, "list_column": true, "choices": []}, ...]

``key`` is how ``custdesk-cli clients --json`` names the field's value in each client's ``custom``.
"""

from __future__ import annotations

import argparse

from custdesk.cli import EXIT_OK, _add_json, _open_readonly, _print_json, _print_table, command
from custdesk.core import fields as catalogue
from custdesk.i18n import N_, _, ngettext


def _fields_arguments(p: argparse.ArgumentParser) -> None:
    _add_json(p)


@command("fields", N_("list the firm's own client fields"), _fields_arguments)
def _fields(args: argparse.Namespace) -> int:
    from custdesk.core.services import custom_fields

    with _open_readonly(args) as db:
        specs = custom_fields.list_fields(db)
    if args.json:
        _print_json(custom_fields.definitions_json(specs))
        return EXIT_OK
    yes, no = _("yes"), _("no")
    rows = [
        [
            f.key,
            f.label,
            _(catalogue.KINDS[f.kind]),
            f.section_title(),
            yes if f.required else no,
            yes if f.list_column else no,
            ", ".join(f.choices),
        ]
        for f in specs
    ]
    if rows:
        headers = [_("Key"), _("Name"), _("Kind"), _("Section"), _("Required"), _("List column")]
        headers.append(_("Choices"))
        _print_table(headers, rows)
    print(ngettext("{count} field", "{count} fields", len(rows)).format(count=len(rows)))
    return EXIT_OK
