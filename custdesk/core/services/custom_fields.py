"""The firm's own client fields: their definitions (Base > Fields…) and their values.

Every change of a definition lives in this module (create, change, remove), so a later role check can
guard one place. Each public function opens one transaction and journals what it changed: a definition
as the entity ``custom_field``, a value as a change of the client with the field's name. Removing a field
journals every value it held (so nothing is lost), then drops them. Renaming keeps the values: they are
keyed by the field's id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from custdesk import i18n
from custdesk.core import fields
from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.errors import FieldError, NotFoundError, ValidationFailed
from custdesk.core.fields import FieldSpec
from custdesk.core.models import ClientFieldValue, CustomField
from custdesk.core.services.audit import record
from custdesk.i18n import _, ngettext

_IN_CHUNK = 900
MAX_CHOICES = 100


def _spec(row: CustomField) -> FieldSpec:
    return fields.custom_spec(
        row.id,
        row.name,
        row.kind,
        row.section,
        required=row.required,
        list_column=row.list_column,
        choices=fields.choices_from_json(row.choices),
    )


def specs_in(session: Session) -> list[FieldSpec]:
    """The firm's custom fields in their order, read in ``session``."""
    rows = session.scalars(select(CustomField).order_by(CustomField.position, CustomField.id))
    return [_spec(r) for r in rows]


def list_fields(db: Database) -> list[FieldSpec]:
    """The firm's custom fields in their order."""
    with db.session() as s:
        return specs_in(s)


def catalogue(db: Database) -> tuple[FieldSpec, ...]:
    """Every client field: the built-in ones, then the firm's own."""
    return fields.catalogue(list_fields(db))


# --- definitions -------------------------------------------------------------------------------------


def _definition_errors(
    session: Session, name: str, kind: str, choices: Sequence[str], exclude_id: int | None
) -> tuple[str, tuple[str, ...]]:
    errors: list[FieldError] = []
    clean = " ".join(name.split())
    if not clean:
        errors.append(FieldError("name", _("Enter the field's name.")))
    elif len(clean) > fields.MAX_NAME_LENGTH:
        errors.append(
            FieldError(
                "name",
                _("The name is too long: at most {max} characters.").format(max=fields.MAX_NAME_LENGTH),
            )
        )
    else:
        # Compared casefolded in Python: SQL lower() folds only ASCII on SQLite (few fields, no index needed).
        taken = session.execute(select(CustomField.id, CustomField.name))
        if any(i != exclude_id and n.casefold() == clean.casefold() for i, n in taken):
            errors.append(FieldError("name", _("A field named {name} already exists.").format(name=clean)))
    if kind not in fields.KINDS:
        errors.append(FieldError("kind", _("Choose the field's kind.")))
    items = tuple(dict.fromkeys(c.strip() for c in choices if c.strip()))
    if kind == "choice":
        if not items:
            errors.append(FieldError("choices", _("A choice field needs at least one choice.")))
        elif len(items) > MAX_CHOICES or any(len(c) > fields.MAX_VALUE_LENGTH for c in items):
            errors.append(
                FieldError("choices", _("At most {max} choices, each a short text.").format(max=MAX_CHOICES))
            )
    if errors:
        raise ValidationFailed(errors)
    return clean, items if kind == "choice" else ()


def _load(session: Session, field_id: int) -> CustomField:
    row = session.get(CustomField, field_id)
    if row is None:
        raise NotFoundError(_("There is no field with the number {id} in this base.").format(id=field_id))
    return row


def _definition_json(row: CustomField) -> str:
    return json.dumps(
        {
            "name": row.name,
            "kind": row.kind,
            "section": row.section,
            "required": row.required,
            "list_column": row.list_column,
            "choices": fields.choices_from_json(row.choices),
        },
        ensure_ascii=False,
    )


def create_field(
    db: Database,
    name: str,
    kind: str,
    *,
    section: str = "",
    required: bool = False,
    list_column: bool = False,
    choices: Sequence[str] = (),
    who: str | None = None,
) -> Change:
    """Define a new custom field (after the others).

    Raises:
        ValidationFailed: an empty, too long or taken name, an unknown kind, a choice field without choices.
    """
    with db.session() as s:
        row = create_field_in(
            s,
            name,
            kind,
            section=section,
            required=required,
            list_column=list_column,
            choices=choices,
            who=who,
        )
        return Change("custom_field", (row.id,), ("definition",))


def create_field_in(
    s: Session,
    name: str,
    kind: str,
    *,
    section: str = "",
    required: bool = False,
    list_column: bool = False,
    choices: Sequence[str] = (),
    who: str | None = None,
) -> CustomField:
    """:func:`create_field` in the caller's transaction (an import makes its new fields with its rows).

    Raises:
        ValidationFailed: as :func:`create_field`.
    """
    clean, items = _definition_errors(s, name, kind, choices, None)
    count = s.scalar(select(func.count(CustomField.id))) or 0
    if count >= fields.MAX_CUSTOM_FIELDS:
        raise ValidationFailed(
            [
                FieldError(
                    "name",
                    _("A base holds at most {max} own fields.").format(max=fields.MAX_CUSTOM_FIELDS),
                )
            ]
        )
    position = (s.scalar(select(func.max(CustomField.position))) or 0) + 1
    row = CustomField(
        name=clean,
        kind=kind,
        section=" ".join(section.split())[:64] or fields.DEFAULT_SECTION,
        required=required,
        list_column=list_column,
        choices=json.dumps(list(items), ensure_ascii=False),
        position=position,
        created_at=datetime.now(),
    )
    s.add(row)
    s.flush()
    record(s, "create", "custom_field", row.id, field=clean, new=_definition_json(row), who=who)
    return row


def update_field(
    db: Database,
    field_id: int,
    *,
    name: str,
    kind: str | None = None,
    section: str = "",
    required: bool = False,
    list_column: bool = False,
    choices: Sequence[str] = (),
    who: str | None = None,
) -> Change:
    """Change a custom field's definition; a renamed field keeps its values.

    A new kind is taken only when every stored value fits it (a text column of numbers may become a
    number); a choice field's values must stay among its choices.

    Raises:
        NotFoundError: no such field.
        ValidationFailed: the definition is refused, or stored values do not fit the new kind or choices.
    """
    with db.session() as s:
        row = _load(s, field_id)
        new_kind = kind or row.kind
        clean, items = _definition_errors(s, name, new_kind, choices, row.id)
        before = _definition_json(row)
        spec = fields.custom_spec(row.id, clean, new_kind, section, choices=items)
        converted: dict[int, str] = {}
        if new_kind != row.kind or new_kind == "choice":
            stored = s.execute(
                select(ClientFieldValue.client_id, ClientFieldValue.value).where(
                    ClientFieldValue.field_id == row.id
                )
            )
            bad = 0
            for client_id, value in stored:
                text, error = fields.canonical(spec, value)
                if error or text is None:
                    bad += 1
                elif text != value:
                    converted[client_id] = text
            if bad:
                raise ValidationFailed(
                    [
                        FieldError(
                            "kind",
                            ngettext(
                                "{count} stored value does not fit: keep the kind or the choices.",
                                "{count} stored values do not fit: keep the kind or the choices.",
                                bad,
                            ).format(count=bad),
                        )
                    ]
                )
        row.name, row.kind = clean, new_kind
        row.section = " ".join(section.split())[:64] or fields.DEFAULT_SECTION
        row.required, row.list_column = required, list_column
        row.choices = json.dumps(list(items), ensure_ascii=False)
        for client_id, text in converted.items():
            value_row = s.get(ClientFieldValue, (client_id, row.id))
            if value_row is not None:
                value_row.value = text
        after = _definition_json(row)
        if after != before:
            record(s, "update", "custom_field", row.id, field=clean, old=before, new=after, who=who)
        return Change("custom_field", (row.id,), ("definition",))


def move_field(db: Database, field_id: int, step: int) -> Change:
    """Move a custom field ``step`` places up (negative) or down in the card and list order."""
    with db.session() as s:
        rows = list(s.scalars(select(CustomField).order_by(CustomField.position, CustomField.id)))
        index = next((i for i, r in enumerate(rows) if r.id == field_id), None)
        if index is None:
            raise NotFoundError(_("There is no field with the number {id} in this base.").format(id=field_id))
        target = max(0, min(len(rows) - 1, index + step))
        rows.insert(target, rows.pop(index))
        for position, r in enumerate(rows, start=1):
            r.position = position
        return Change("custom_field", (field_id,), ("order",))


def value_count(db: Database, field_id: int) -> int:
    """How many clients hold a value of the field (the removal question names it)."""
    with db.session() as s:
        return s.scalar(select(func.count()).where(ClientFieldValue.field_id == field_id)) or 0


def remove_field(db: Database, field_id: int, *, who: str | None = None) -> Change:
    """Remove a custom field; every value it held goes to the journal first (nothing is lost).

    Raises:
        NotFoundError: no such field.
    """
    with db.session() as s:
        row = _load(s, field_id)
        now = datetime.now()
        values = s.execute(
            select(ClientFieldValue.client_id, ClientFieldValue.value)
            .where(ClientFieldValue.field_id == row.id)
            .order_by(ClientFieldValue.client_id)
        )
        for client_id, value in values:
            record(s, "update", "client", client_id, field=row.name, old=value, new=None, who=who, at=now)
        record(
            s, "delete", "custom_field", row.id, field=row.name, old=_definition_json(row), who=who, at=now
        )
        s.execute(delete(ClientFieldValue).where(ClientFieldValue.field_id == row.id))
        s.delete(row)
        return Change("custom_field", (field_id,), ("definition",))


# --- values ------------------------------------------------------------------------------------------


def values_in(session: Session, client_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """The stored custom values of these clients: ``{client_id: {key: text}}`` (clients without: absent)."""
    ids = list(client_ids)
    result: dict[int, dict[str, str]] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        stmt = select(ClientFieldValue.client_id, ClientFieldValue.field_id, ClientFieldValue.value).where(
            ClientFieldValue.client_id.in_(chunk)
        )
        for client_id, field_id, value in session.execute(stmt):
            result.setdefault(client_id, {})[fields.custom_key(field_id)] = value
    return result


def list_column_values(session: Session, client_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """:func:`values_in` of the fields shown as list columns only (a window of the client list)."""
    shown = list(session.scalars(select(CustomField.id).where(CustomField.list_column.is_(True))))
    if not shown or not client_ids:
        return {}
    result: dict[int, dict[str, str]] = {}
    stmt = select(ClientFieldValue.client_id, ClientFieldValue.field_id, ClientFieldValue.value).where(
        ClientFieldValue.client_id.in_(list(client_ids)), ClientFieldValue.field_id.in_(shown)
    )
    for client_id, field_id, value in session.execute(stmt):
        result.setdefault(client_id, {})[fields.custom_key(field_id)] = value
    return result


def typed_values(specs: Sequence[FieldSpec], texts: Mapping[str, str]) -> dict[str, Any]:
    """Stored texts as Python values, by key, for every field in ``specs`` (None: no value)."""
    return {f.key: fields.python_value(f, texts.get(f.key)) for f in specs}


def client_custom_fields(db: Database, client_id: int) -> dict[str, Any]:
    """A client's custom fields as ``{field name: value}`` (Decimal, date, bool, str; None: empty).

    For templates (mailings) and reports: every defined field is present.
    """
    with db.session() as s:
        specs = specs_in(s)
        texts = values_in(s, [client_id]).get(client_id, {})
    return {f.label: fields.python_value(f, texts.get(f.key)) for f in specs}


def value_text(spec: FieldSpec, text: str | None, currency: str) -> str:
    """A custom field's stored value as a person reads it (numbers, money and dates in the locale):
    the printed card and the mailings' templates write it so."""
    value = fields.python_value(spec, text)
    if value is None:
        return ""
    if spec.kind == "money":
        return i18n.format_money(value, currency)
    if spec.kind == "number":
        return i18n.format_number(value)
    if spec.kind == "date":
        return i18n.format_date(value)
    if spec.kind == "yesno":
        return _("Yes") if value else _("No")
    return str(value)


def texts_in(session: Session, client_ids: Sequence[int], currency: str) -> dict[int, dict[str, str]]:
    """Each client's custom fields as ``{field name: the value as a person reads it}`` (empty: "")."""
    specs = specs_in(session)
    texts = values_in(session, client_ids)
    return {
        cid: {f.label: value_text(f, texts.get(cid, {}).get(f.key), currency) for f in specs}
        for cid in client_ids
    }


def named_values(db: Database, client_ids: Sequence[int]) -> dict[int, dict[str, str | None]]:
    """Each client's custom fields as ``{field name: stored text or None}`` (``clients --json``)."""
    with db.session() as s:
        specs = specs_in(s)
        texts = values_in(s, client_ids)
    return {cid: {f.label: texts.get(cid, {}).get(f.key) for f in specs} for cid in client_ids}


def check_values(
    specs: Sequence[FieldSpec], values: Mapping[str, Any]
) -> tuple[dict[str, str | None], list[FieldError]]:
    """Every custom field's value checked by its kind: ``({key: text or None}, errors)``.

    Fields absent from ``values`` count as empty (so a required one is refused).
    """
    clean: dict[str, str | None] = {}
    errors: list[FieldError] = []
    for spec in specs:
        text, error = fields.canonical(spec, values.get(spec.key))
        if error:
            errors.append(FieldError(spec.key, error))
        else:
            clean[spec.key] = text
    return clean, errors


def store_values_in(
    session: Session,
    client_id: int,
    specs: Sequence[FieldSpec],
    clean: Mapping[str, str | None],
    *,
    who: str | None = None,
    at: datetime | None = None,
) -> bool:
    """Write checked values (``check_values``) of one client, journalling each changed field by name.

    Returns:
        Whether anything changed.
    """
    now = at or datetime.now()
    stored = values_in(session, [client_id]).get(client_id, {})
    changed = False
    for spec in specs:
        if spec.key not in clean or spec.field_id is None:
            continue
        old, new = stored.get(spec.key), clean[spec.key]
        if old == new:
            continue
        changed = True
        if new is None:
            session.execute(
                delete(ClientFieldValue).where(
                    ClientFieldValue.client_id == client_id, ClientFieldValue.field_id == spec.field_id
                )
            )
        else:
            row = session.get(ClientFieldValue, (client_id, spec.field_id))
            if row is None:
                session.add(ClientFieldValue(client_id=client_id, field_id=spec.field_id, value=new))
            else:
                row.value = new
        record(session, "update", "client", client_id, field=spec.label, old=old, new=new, who=who, at=now)
    return changed


def definitions_json(specs: Sequence[FieldSpec]) -> list[dict[str, Any]]:
    """The definitions as plain data (``custdesk-cli fields --json``)."""
    return [
        {
            "id": f.field_id,
            "key": f.key,
            "name": f.label,
            "kind": f.kind,
            "section": f.section,
            "required": f.required,
            "list_column": f.list_column,
            "choices": list(f.choices),
        }
        for f in specs
    ]
