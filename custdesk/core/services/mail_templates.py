"""Mailing and greeting templates: a subject and a body with fields, merged per client by Jinja2.

A template file is text: a first line ``Subject: …``, a blank line, then the body. Fields are written
as ``{{ name }}``, ``{{ organisation }}``, ``{{ fields["Card number"] }}`` (the firm's own fields).
Templates run in Jinja2's sandbox (a template kept in the base cannot reach Python), with autoescape off
for a text body and on for an HTML one. A field the client lacks merges as nothing.

The firm's own fields of the clients come from :func:`client_custom_fields`; until the custom fields
exist it gives every client an empty mapping.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import select
from sqlalchemy.orm import Session

from custdesk.core.db import Database
from custdesk.core.errors import CustDeskError
from custdesk.core.models import Client, MailTemplate
from custdesk.core.services._shared import display_name
from custdesk.core.services.audit import record
from custdesk.i18n import _, format_date

MAX_TEMPLATE_BYTES = 1_000_000


class TemplateError(CustDeskError):
    """A template that cannot be read or merged; the message says where and why."""


@dataclass(frozen=True)
class Template:
    """A mailing's subject and body (Jinja2 source), and whether the body is HTML."""

    subject: str
    body: str
    is_html: bool = False
    name: str = ""

    @property
    def text_key(self) -> str:
        """What identifies the mailing's text: the same template run again is the same mailing."""
        raw = "\x00".join((self.subject, self.body, "html" if self.is_html else "text"))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def as_text(self) -> str:
        """The template as a file holds it."""
        return f"Subject: {self.subject}\n\n{self.body}"


@dataclass(frozen=True)
class Merged:
    """A template merged for one client."""

    subject: str
    body: str
    is_html: bool


def parse_template(text: str, *, name: str = "", is_html: bool | None = None) -> Template:
    """A template from its text: ``Subject: …``, a blank line, the body.

    ``is_html`` None: the body is HTML when it starts with a tag (``<html``, ``<p``, ``<!DOCTYPE``...).

    Raises:
        TemplateError: no subject line, no blank line after it, or a field written wrongly.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    first, sep, rest = text.partition("\n")
    if not first.lower().startswith("subject:"):
        raise TemplateError(
            _('A template starts with a line "Subject: …", then a blank line, then the text of the letter.')
        )
    subject = first[len("subject:") :].strip()
    if not subject:
        raise TemplateError(_('The subject of the template is empty; write it after "Subject:".'))
    if sep and rest and rest.split("\n", 1)[0].strip():
        raise TemplateError(_("Leave one blank line between the subject line and the text of the letter."))
    body = rest[1:] if rest.startswith("\n") else rest
    if is_html is None:
        is_html = body.lstrip().lower().startswith(("<html", "<!doctype", "<p", "<div", "<body", "<table"))
    template = Template(subject=subject, body=body, is_html=is_html, name=name)
    _compile(template.subject, autoescape=False, where=_("the subject"))
    _compile(template.body, autoescape=template.is_html, where=_("the text"))
    return template


def read_template_file(path: Path) -> Template:
    """:func:`parse_template` of a UTF-8 file (``.html``/``.htm``: an HTML body).

    Raises:
        TemplateError: the file cannot be read, is not text, or is not a template.
    """
    try:
        if path.stat().st_size > MAX_TEMPLATE_BYTES:
            raise TemplateError(_("The template {path} is too big for a letter.").format(path=path))
        raw = path.read_bytes()
    except OSError as exc:
        raise TemplateError(
            _("The template {path} cannot be read: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise TemplateError(_("The template {path} is not UTF-8 text.").format(path=path)) from None
    html = path.suffix.lower() in (".html", ".htm") or None
    return parse_template(text, name=path.stem, is_html=html)


_ENVIRONMENTS: dict[bool, SandboxedEnvironment] = {}


def _environment(autoescape: bool) -> SandboxedEnvironment:
    env = _ENVIRONMENTS.get(autoescape)
    if env is None:
        env = SandboxedEnvironment(autoescape=autoescape, keep_trailing_newline=True)
        _ENVIRONMENTS[autoescape] = env
    return env


def _compile(source: str, *, autoescape: bool, where: str) -> jinja2.Template:
    try:
        return _environment(autoescape).from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            _("The template has a mistake in {where}, line {line}: {reason}").format(
                where=where, line=exc.lineno, reason=exc.message or ""
            )
        ) from None


def render(template: Template, context: Mapping[str, Any]) -> Merged:
    """The template merged with one client's ``context`` (:func:`client_context`).

    Raises:
        TemplateError: a field is used in a way the values do not allow (``{{ name.x() }}``).
    """
    try:
        subject = _compile(template.subject, autoescape=False, where=_("the subject")).render(context)
        body = _compile(template.body, autoescape=template.is_html, where=_("the text")).render(context)
    except jinja2.TemplateError as exc:
        raise TemplateError(_("The template cannot be merged: {reason}").format(reason=exc)) from None
    # A subject is one line: a field with a line break must not start a new header.
    return Merged(" ".join(subject.split()), body, template.is_html)


def client_custom_fields(session: Session, client_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """The firm's own fields of the clients, by client id, as ``{label: value as a person reads it}``."""
    from custdesk.core.services import custom_fields
    from custdesk.core.services._shared import firm_settings

    currency = str(firm_settings(session).get("currency", ""))
    return custom_fields.texts_in(session, list(client_ids), currency)


# Endings of an East Slavic or Turkic patronymic: "Иванов Иван Иванович" is surname, name, patronymic.
_PATRONYMIC = ("ич", "вна", "чна", "оглы", "кызы", "uly", "qyzy")


def first_name(name: str) -> str:
    """The given name in ``name``: the first word, or the word before a patronymic ("Иванова Анна
    Петровна" and "Анна Петровна" give "Анна"; "Дмитрий Дмитриевич Шостакович" gives "Дмитрий")."""
    words = name.split()
    surname_first = len(words) >= 3 and words[2].casefold().endswith(_PATRONYMIC)
    if surname_first and not words[1].casefold().endswith(_PATRONYMIC):
        return words[1]
    return words[0] if words else ""


def client_context(
    client: Client, fields: Mapping[str, str], *, address: str = "", firm_name: str = ""
) -> dict[str, Any]:
    """The values a template can use for ``client``: ``name``, ``organisation``, ``display_name``,
    ``first_name``, ``city``, ``email``, ``phone``, ``birthday``, ``discount``, ``contract_no``,
    ``contract_end``, ``firm`` and ``fields`` (the firm's own fields by label)."""
    name = client.name or ""
    return {
        "name": name,
        "first_name": first_name(name),
        "organisation": client.organisation or "",
        "display_name": display_name(client),
        "city": client.city or "",
        "email": address,
        "phone": _primary(client.phones).number if client.phones else "",
        "birthday": format_date(client.birthday) if client.birthday else "",
        "discount": "" if client.discount_percent is None else f"{client.discount_percent.normalize():f}",
        "contract_no": client.contract_no or "",
        "contract_end": format_date(client.contract_end) if client.contract_end else "",
        "firm": firm_name,
        "fields": dict(fields),
    }


def _primary(items: list[Any]) -> Any:
    """The primary phone or e-mail of a client (the first one when none is marked)."""
    ordered = sorted(items, key=lambda i: i.position)
    return next((i for i in ordered if i.is_primary), ordered[0])


# --- templates kept in the base --------------------------------------------------------------------------


def list_templates(db: Database) -> list[Template]:
    """The templates kept in the base, by name."""
    with db.session() as s:
        rows = s.scalars(select(MailTemplate).order_by(MailTemplate.name))
        return [Template(r.subject, r.body, r.is_html, r.name) for r in rows]


def save_template(db: Database, template: Template, *, language: str = "", who: str | None = None) -> None:
    """Keep ``template`` in the base under its name (replacing one of that name), journalled.

    Raises:
        TemplateError: no name, or the template does not compile.
    """
    name = template.name.strip()
    if not name:
        raise TemplateError(_("Give the template a name."))
    parse_template(template.as_text(), name=name, is_html=template.is_html)
    now = datetime.now()
    with db.session() as s:
        row = s.scalar(select(MailTemplate).where(MailTemplate.name == name))
        old = None if row is None else f"Subject: {row.subject}\n\n{row.body}"
        if row is None:
            row = MailTemplate(name=name, language=language, is_html=template.is_html)
            s.add(row)
        row.subject, row.body, row.is_html, row.updated_at = (
            template.subject,
            template.body,
            template.is_html,
            now,
        )
        if language:
            row.language = language
        s.flush()
        action = "create" if old is None else "update"
        record(
            s, action, "mail_template", row.id, field=name, old=old, new=template.as_text(), who=who, at=now
        )


__all__ = [
    "Merged",
    "Template",
    "TemplateError",
    "client_context",
    "client_custom_fields",
    "first_name",
    "list_templates",
    "parse_template",
    "read_template_file",
    "render",
    "save_template",
]
