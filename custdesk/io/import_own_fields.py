"""A clients import's columns that fill the firm's own fields: their specs, the new fields, the values.

Planning checks each value against its field's kind (:func:`own_specs` gives the base's field, or a
stand-in with a negative id for a field the import will make); the write phase makes the new fields in
the import's transaction (:func:`make_fields`), so a failed import leaves none behind, and stores each
row's values with :func:`custdesk.core.services.custom_fields.store_values_in`, the card's storage,
journalled as the import's work.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from custdesk.core import fields
from custdesk.core.fields import FieldSpec
from custdesk.core.services import custom_fields
from custdesk.io import parsing
from custdesk.io.mapping import ColumnMapping, own_key, own_name

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from custdesk.io.import_clients import ClientPlan


def own_specs(session: Session, mapping: ColumnMapping) -> dict[str, FieldSpec]:
    """Own-field target -> its spec: the base's field of that name, else a new one (negative id)."""
    existing = {own_key(s.label): s for s in custom_fields.specs_in(session)}
    out: dict[str, FieldSpec] = {}
    for header, (name, kind) in mapping.own_columns().items():
        target = mapping.columns[header]
        spec = existing.get(own_key(name))
        out[target] = spec or fields.custom_spec(-(len(out) + 1), name, kind, "")
    return out


def own_value(
    spec: FieldSpec, value: object, *, dayfirst: bool, today: date
) -> tuple[str | None, str | None]:
    """A cell's stored text for an own field, or why it does not fit (as :func:`fields.canonical`)."""
    from custdesk.io.import_rows import cell_text

    if spec.kind == "date":
        if isinstance(value, datetime):
            value = value.date()
        elif not isinstance(value, date):
            with suppress(ValueError):  # canonical() says why it is no date
                value = parsing.parse_date(value, dayfirst=dayfirst, today=today)
    elif not (spec.kind == "yesno" and isinstance(value, bool)):
        value = cell_text(value)
    return fields.canonical(spec, value)


def make_fields(session: Session, specs: dict[str, FieldSpec], who: str) -> dict[str, FieldSpec]:
    """The specs with the new fields made in ``session`` (the import's transaction)."""
    out: dict[str, FieldSpec] = {}
    for target, spec in specs.items():
        if spec.field_id is not None and spec.field_id > 0:
            out[target] = spec
            continue
        row = custom_fields.create_field_in(session, own_name(target) or spec.label, spec.kind, who=who)
        out[target] = fields.custom_spec(row.id, row.name, row.kind, row.section)
    return out


def row_clients(plan: ClientPlan) -> dict[int, int]:
    """File row -> the card it lands in (negative: the card made from that row), before the write."""
    out: dict[int, int] = {p.row: -p.row for p in plan.creates}
    for target, rows in plan.updates.items():
        for p in rows:
            out[p.row] = target
    return out


def write_values(
    session: Session,
    plan: ClientPlan,
    landing: dict[int, int],
    created_ids: list[int],
    specs: dict[str, FieldSpec],
    who: str,
    at: Any,
) -> int:
    """Store each landed row's own values (empty cells leave a value alone); the values stored."""
    made = {-p.row: cid for p, cid in zip(plan.creates, created_ids, strict=True)}
    stored = 0
    ordered = list(specs.values())
    for row, values in plan.own.items():
        target = landing.get(row)
        if target is None or not values:
            continue
        client_id = made.get(target) if target < 0 else target
        if client_id is None:
            continue
        clean = {specs[t].key: v for t, v in values.items() if t in specs}
        custom_fields.store_values_in(session, client_id, ordered, clean, who=who, at=at)
        stored += len(clean)
    return stored


__all__ = ["make_fields", "own_specs", "own_value", "row_clients", "write_values"]
