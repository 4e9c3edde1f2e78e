"""E-mail mailings to a set of clients, by the firm's rules.

The rules (DOMAIN.md, "Mailings and greetings"):

- no client gets a mailing more often than once in ``mailing_min_gap_days`` (7): a client mailed more
  recently is left out and listed with the day of its last mailing. The owner may override that; the
  override is journalled (:func:`custdesk.core.services.audit.record`);
- a client flagged "do not mail", without an e-mail, or whose e-mail is not well formed, is left out
  and listed; so is an archived client;
- every letter that went is written into the client's history (kind ``mailing``, the subject as text),
  so the call cycle and the 7-day rule see it;
- a letter the server refuses fails for that client only; a re-run of the same mailing (the same
  template text) sends only to the clients it did not reach.

:func:`plan_mailing` decides who gets what (nothing is written); :func:`send_mailing` sends a plan, each
client's letter and its history entry in a transaction of its own (a letter that went cannot be taken
back, so a later failure must not undo the record of it). :func:`authorise_mailing` is the one place
that decides whether the person working may send it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session, selectinload

from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.errors import CustDeskError, NotFoundError
from custdesk.core.models import Client, Interaction, Mailing, MailingRecipient
from custdesk.core.services import access
from custdesk.core.services._shared import display_name, firm_settings
from custdesk.core.services.audit import current_user, record
from custdesk.core.services.mail_templates import (
    Template,
    _primary,
    client_context,
    client_custom_fields,
    parse_template,
    render,
)
from custdesk.core.services.mail_transport import DeliveryError, MailTransport
from custdesk.core.services.today import birthday_keys
from custdesk.core.validation import email_error
from custdesk.core.vocab import RFM_SEGMENT_ORDER
from custdesk.i18n import N_, _, format_date

_IN_CHUNK = 900

# Why a client is left out of a mailing, in the order the reasons are checked.
REASONS: dict[str, str] = {
    "archived": N_("archived"),
    "do-not-mail": N_("asked not to be mailed"),
    "no-email": N_("no e-mail address"),
    "bad-email": N_("the e-mail address is not usable"),
    "already-sent": N_("already received this mailing"),
    "too-soon": N_("mailed less than the minimum gap ago"),
    "no-phone": N_("no phone number"),
}


class MailingError(CustDeskError):
    """A mailing that cannot start (no sender, an unknown segment, not allowed); the message says why."""


@dataclass(frozen=True)
class Audience:
    """Whom a mailing is for: clients by id, an RFM segment, or whose birthday is ``birthdays_on``."""

    ids: tuple[int, ...] = ()
    segment: str | None = None
    birthdays_on: date | None = None


@dataclass(frozen=True)
class Recipient:
    """One client's letter, merged."""

    client_id: int
    name: str
    address: str
    subject: str
    body: str
    is_html: bool


@dataclass(frozen=True)
class LeftOut:
    """A client the mailing leaves out, and why (a key of :data:`REASONS`)."""

    client_id: int
    name: str
    reason: str
    address: str = ""
    last_mailed: date | None = None
    detail: str = ""

    @property
    def message(self) -> str:
        """The reason in words, for a person."""
        if self.reason == "too-soon" and self.last_mailed is not None:
            return _("last mailed on {date}").format(date=format_date(self.last_mailed))
        if self.detail:
            return self.detail
        return _(REASONS[self.reason])


@dataclass(frozen=True)
class MailingPlan:
    """Who gets which letter, and who is left out; nothing is written until it is sent."""

    template: Template
    recipients: tuple[Recipient, ...]
    left_out: tuple[LeftOut, ...]
    gap_days: int
    overridden: tuple[int, ...] = ()  # clients mailed sooner than the gap, included by the owner's override
    mailing_id: int | None = None  # the earlier run of the same mailing this one continues


@dataclass(frozen=True)
class Failure:
    """A letter that was not accepted, with the server's answer."""

    recipient: Recipient
    reason: str


@dataclass(frozen=True)
class MailingReport:
    """What a sent mailing did: sent, failed (per client), left out, and not tried (cancelled)."""

    mailing_id: int | None
    sent: tuple[Recipient, ...]
    failed: tuple[Failure, ...]
    left_out: tuple[LeftOut, ...]
    not_sent: tuple[Recipient, ...] = ()
    cancelled: bool = False

    @property
    def change(self) -> Change:
        """The history entries written (for the window to refresh the cards)."""
        return Change("interaction", ids=tuple(r.client_id for r in self.sent), extra={"kind": "mailing"})


# --- who may send ----------------------------------------------------------------------------------------


def authorise_mailing(db: Database, count: int, *, override_gap: bool) -> None:
    """Whether the person working may send a mailing to ``count`` clients (and override the gap): the one
    decision point for mailings, by the roles of :func:`custdesk.core.services.access.require_mailing`
    (a seller mails a few clients, never inside the gap; a viewer none).

    Raises:
        AccessDenied: not allowed, with the reason.
    """
    access.require_mailing(db, count, override_gap=override_gap)


# --- choosing the clients --------------------------------------------------------------------------------


def audience_ids(session: Session, audience: Audience) -> list[int]:
    """The clients of ``audience``, in id order (archived ones included for explicit ids only).

    Raises:
        NotFoundError: an id names no client.
        MailingError: the segment is not an RFM segment.
    """
    if audience.ids:
        wanted = list(dict.fromkeys(audience.ids))
        found: set[int] = set()
        for start in range(0, len(wanted), _IN_CHUNK):
            found.update(
                session.scalars(select(Client.id).where(Client.id.in_(wanted[start : start + _IN_CHUNK])))
            )
        missing = [i for i in wanted if i not in found]
        if missing:
            raise NotFoundError(
                _("There is no client with the number {id} in this base.").format(
                    id=", ".join(str(i) for i in missing[:10])
                )
            )
        return sorted(wanted)
    stmt = select(Client.id).where(Client.archived.is_(False), Client.merged_into_id.is_(None))
    if audience.segment is not None:
        if audience.segment not in RFM_SEGMENT_ORDER:
            raise MailingError(
                _("{segment!r} is not an RFM segment; choose one of: {segments}").format(
                    segment=audience.segment, segments=", ".join(RFM_SEGMENT_ORDER)
                )
            )
        stmt = stmt.where(Client.rfm_segment == audience.segment)
    elif audience.birthdays_on is not None:
        keys = [
            k for k, day in birthday_keys(audience.birthdays_on, 1).items() if day == audience.birthdays_on
        ]
        md = extract("month", Client.birthday) * 100 + extract("day", Client.birthday)
        stmt = stmt.where(Client.birthday.is_not(None), md.in_(keys))
    else:
        return []
    return list(session.scalars(stmt.order_by(Client.id)))


def last_mailings(session: Session, ids: Sequence[int]) -> dict[int, datetime]:
    """The time of each client's latest mailing in its history (clients never mailed are absent)."""
    out: dict[int, datetime] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        rows = session.execute(
            select(Interaction.client_id, func.max(Interaction.occurred_at))
            .where(Interaction.kind == "mailing", Interaction.client_id.in_(ids[start : start + _IN_CHUNK]))
            .group_by(Interaction.client_id)
        )
        for cid, at in rows:
            out[cid] = datetime.fromisoformat(at) if isinstance(at, str) else at
    return out


def _earlier_run(session: Session, template: Template) -> tuple[int | None, set[int]]:
    """The latest mailing of the same text, and the clients it reached."""
    mailing_id = session.scalar(
        select(Mailing.id).where(Mailing.text_key == template.text_key).order_by(Mailing.id.desc()).limit(1)
    )
    if mailing_id is None:
        return None, set()
    reached = session.scalars(
        select(MailingRecipient.client_id).where(
            MailingRecipient.mailing_id == mailing_id, MailingRecipient.status == "sent"
        )
    )
    return mailing_id, set(reached)


# --- planning --------------------------------------------------------------------------------------------


def plan_mailing(
    db: Database,
    template: Template,
    audience: Audience,
    *,
    override_gap: bool = False,
    now: datetime | None = None,
) -> MailingPlan:
    """Merge ``template`` for every client of ``audience`` who may get it; list the others and why.

    ``override_gap``: the owner includes clients mailed sooner than the minimum gap (they are listed in
    ``overridden``; :func:`send_mailing` journals it). Nothing is written.

    Raises:
        NotFoundError: an id names no client.
        MailingError: the segment is unknown.
        TemplateError: the template cannot be merged for a client.
    """
    now = now or datetime.now()
    with db.session() as s:
        conf = firm_settings(s)
        gap = int(conf["mailing_min_gap_days"])
        ids = audience_ids(s, audience)
        mailing_id, reached = _earlier_run(s, template)
        last = last_mailings(s, ids)
        fields = client_custom_fields(s, ids)
        recipients: list[Recipient] = []
        left_out: list[LeftOut] = []
        overridden: list[int] = []
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            clients = s.scalars(
                select(Client)
                .where(Client.id.in_(chunk))
                .options(selectinload(Client.emails), selectinload(Client.phones))
                .order_by(Client.id)
            )
            for client in clients:
                name = display_name(client)
                address = _primary(client.emails).address if client.emails else ""
                if client.archived or client.merged_into_id is not None:
                    left_out.append(LeftOut(client.id, name, "archived", address))
                    continue
                if client.do_not_mail:
                    detail = _do_not_mail_detail(client)
                    left_out.append(LeftOut(client.id, name, "do-not-mail", address, detail=detail))
                    continue
                if not address:
                    left_out.append(LeftOut(client.id, name, "no-email"))
                    continue
                problem = email_error(address)
                if problem is not None:
                    left_out.append(LeftOut(client.id, name, "bad-email", address, detail=problem))
                    continue
                if client.id in reached:
                    left_out.append(LeftOut(client.id, name, "already-sent", address))
                    continue
                last_at = last.get(client.id)
                if last_at is not None and gap > 0 and (now.date() - last_at.date()).days < gap:
                    if not override_gap:
                        left_out.append(
                            LeftOut(client.id, name, "too-soon", address, last_mailed=last_at.date())
                        )
                        continue
                    overridden.append(client.id)
                context = client_context(
                    client, fields.get(client.id, {}), address=address, firm_name=str(conf["firm_name"])
                )
                merged = render(template, context)
                recipients.append(
                    Recipient(client.id, name, address, merged.subject, merged.body, merged.is_html)
                )
    return MailingPlan(
        template=template,
        recipients=tuple(recipients),
        left_out=tuple(left_out),
        gap_days=gap,
        overridden=tuple(overridden),
        mailing_id=mailing_id,
    )


def _do_not_mail_detail(client: Client) -> str:
    reason = client.do_not_mail_reason.strip()
    if client.do_not_mail_on is not None and reason:
        return _("asked not to be mailed on {date}: {reason}").format(
            date=format_date(client.do_not_mail_on), reason=reason
        )
    if client.do_not_mail_on is not None:
        return _("asked not to be mailed on {date}").format(date=format_date(client.do_not_mail_on))
    if reason:
        return _("asked not to be mailed: {reason}").format(reason=reason)
    return _(REASONS["do-not-mail"])


@dataclass(frozen=True)
class SmsRow:
    """One client's text message for the firm's SMS service: the phone in E.164 and the merged text."""

    client_id: int
    name: str
    phone: str
    text: str


@dataclass(frozen=True)
class SmsList:
    """The SMS list of a set of clients, and who is left out (asked not to be mailed, no phone)."""

    rows: tuple[SmsRow, ...]
    left_out: tuple[LeftOut, ...]


def plan_sms(db: Database, text: str, audience: Audience) -> SmsList:
    """The clients' phones in E.164 (a mobile one first) with ``text`` merged for each.

    CustDesk has no SMS gateway: the list is exported for the firm's SMS service, and nothing is
    written into the history. Clients flagged "do not mail" and archived ones are left out, as are
    clients without a phone.

    Raises:
        NotFoundError: an id names no client.
        MailingError: the segment is unknown.
        TemplateError: the text has a mistake.
    """
    template = parse_template(f"Subject: SMS\n\n{text}", is_html=False)
    with db.session() as s:
        conf = firm_settings(s)
        ids = audience_ids(s, audience)
        fields = client_custom_fields(s, ids)
        rows: list[SmsRow] = []
        left_out: list[LeftOut] = []
        for start in range(0, len(ids), _IN_CHUNK):
            clients = s.scalars(
                select(Client)
                .where(Client.id.in_(ids[start : start + _IN_CHUNK]))
                .options(selectinload(Client.emails), selectinload(Client.phones))
                .order_by(Client.id)
            )
            for client in clients:
                name = display_name(client)
                if client.archived or client.merged_into_id is not None:
                    left_out.append(LeftOut(client.id, name, "archived"))
                    continue
                if client.do_not_mail:
                    left_out.append(
                        LeftOut(client.id, name, "do-not-mail", detail=_do_not_mail_detail(client))
                    )
                    continue
                phones = sorted(
                    client.phones, key=lambda p: (p.kind != "mobile", not p.is_primary, p.position)
                )
                phones = [p for p in phones if p.kind != "fax"]
                if not phones:
                    left_out.append(LeftOut(client.id, name, "no-phone"))
                    continue
                address = _primary(client.emails).address if client.emails else ""
                context = client_context(
                    client, fields.get(client.id, {}), address=address, firm_name=str(conf["firm_name"])
                )
                context["phone"] = phones[0].number
                body = render(template, context).body.strip()
                rows.append(SmsRow(client.id, name, phones[0].number, body))
    return SmsList(tuple(rows), tuple(left_out))


# --- sending ---------------------------------------------------------------------------------------------


def build_message(recipient: Recipient, *, sender: str, sender_name: str = "") -> EmailMessage:
    """The letter for one recipient (a text or an HTML body; UTF-8 headers)."""
    message = EmailMessage()
    message["From"] = formataddr((sender_name, sender)) if sender_name else sender
    message["To"] = formataddr((recipient.name, recipient.address)) if recipient.name else recipient.address
    message["Subject"] = recipient.subject
    message["Date"] = formatdate(localtime=True)
    domain = sender.rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(recipient.body, subtype="html" if recipient.is_html else "plain")
    return message


def send_mailing(
    db: Database,
    plan: MailingPlan,
    transport: MailTransport,
    *,
    sender: str,
    sender_name: str = "",
    name: str = "",
    who: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> MailingReport:
    """Send the plan's letters one by one; each one that went is written into the client's history.

    A letter the server refuses fails for its client only (listed with the server's answer); when the
    server cannot be reached at all, every letter not yet sent fails with that reason. ``cancelled``
    is asked between letters: the rest are listed as not sent. Running the same plan's text again
    later sends only to the clients it did not reach.

    Raises:
        MailingError: no sender address, or the person working may not send this mailing.
    """
    if email_error(sender) is not None:
        raise MailingError(_("Set the sender's address (Firm settings → E-mail) before sending a mailing."))
    author = who if who is not None else current_user()
    authorise_mailing(db, len(plan.recipients), override_gap=bool(plan.overridden))
    if not plan.recipients:
        return MailingReport(plan.mailing_id, (), (), plan.left_out)
    mailing_id = _start(db, plan, name=name, who=author)
    sent: list[Recipient] = []
    failed: list[Failure] = []
    total = len(plan.recipients)
    server_down: str | None = None
    try:
        for index, recipient in enumerate(plan.recipients):
            if cancelled is not None and cancelled():
                return MailingReport(
                    mailing_id,
                    tuple(sent),
                    tuple(failed),
                    plan.left_out,
                    plan.recipients[index:],
                    cancelled=True,
                )
            if server_down is None:
                try:
                    transport.send(
                        build_message(recipient, sender=sender, sender_name=sender_name), recipient.address
                    )
                except DeliveryError as exc:
                    if exc.server_down:
                        server_down = exc.reason
                    _note(db, mailing_id, recipient, "failed", exc.reason, who=author)
                    failed.append(Failure(recipient, exc.reason))
                else:
                    _note(db, mailing_id, recipient, "sent", "", who=author)
                    sent.append(recipient)
            else:
                _note(db, mailing_id, recipient, "failed", server_down, who=author)
                failed.append(Failure(recipient, server_down))
            if progress is not None:
                progress(index + 1, total)
    finally:
        transport.close()
    return MailingReport(mailing_id, tuple(sent), tuple(failed), plan.left_out)


def _start(db: Database, plan: MailingPlan, *, name: str, who: str) -> int:
    """The mailing's row (the earlier run of the same text, or a new one); an override is journalled."""
    now = datetime.now()
    with db.session() as s:
        row = s.get(Mailing, plan.mailing_id) if plan.mailing_id is not None else None
        if row is None:
            row = Mailing(
                name=name or plan.template.name or plan.template.subject[:200],
                subject=plan.template.subject,
                text_key=plan.template.text_key,
                started_at=now,
                started_by=who,
                gap_overridden=bool(plan.overridden),
            )
            s.add(row)
            s.flush()
            record(s, "create", "mailing", row.id, new=row.subject, who=who, at=now)
        elif plan.overridden:
            row.gap_overridden = True
        if plan.overridden:
            record(
                s,
                "override",
                "mailing",
                row.id,
                field="mailing_min_gap_days",
                old=str(plan.gap_days),
                new=json.dumps({"clients": list(plan.overridden)}),
                who=who,
                at=now,
            )
        return row.id


def _note(db: Database, mailing_id: int, recipient: Recipient, status: str, error: str, *, who: str) -> None:
    """Record one letter's outcome; a letter that went also becomes a history entry of the client."""
    now = datetime.now()
    with db.session() as s:
        row = s.scalar(
            select(MailingRecipient).where(
                MailingRecipient.mailing_id == mailing_id, MailingRecipient.client_id == recipient.client_id
            )
        )
        if row is None:
            row = MailingRecipient(mailing_id=mailing_id, client_id=recipient.client_id)
            s.add(row)
        row.address, row.status, row.error, row.at = recipient.address, status, error, now
        if status != "sent":
            return
        entry = Interaction(
            client_id=recipient.client_id,
            kind="mailing",
            occurred_at=now,
            outcome="",
            text=recipient.subject,
            next_step="",
            created_by=who,
            created_at=now,
        )
        s.add(entry)
        s.flush()
        new = {"client_id": recipient.client_id, "kind": "mailing", "occurred_at": now.isoformat()}
        new |= {"text": recipient.subject, "mailing_id": mailing_id}
        record(s, "create", "interaction", entry.id, new=json.dumps(new, ensure_ascii=False), who=who, at=now)


# --- the "do not mail" flag ------------------------------------------------------------------------------


def set_do_not_mail(
    db: Database,
    client_id: int,
    do_not_mail: bool,
    *,
    reason: str = "",
    on: date | None = None,
    who: str | None = None,
) -> Change:
    """Flag a client "do not mail" (with the day it asked, default today, and the reason), or clear it.

    Raises:
        NotFoundError: there is no such client.
    """
    now = datetime.now()
    with db.session() as s:
        client = s.get(Client, client_id)
        if client is None:
            raise NotFoundError(
                _("There is no client with the number {id} in this base.").format(id=client_id)
            )
        old = _flag_text(client.do_not_mail, client.do_not_mail_on, client.do_not_mail_reason)
        if do_not_mail:
            client.do_not_mail = True
            client.do_not_mail_on = on or client.do_not_mail_on or now.date()
            client.do_not_mail_reason = " ".join(reason.split())[:200]
        else:
            client.do_not_mail, client.do_not_mail_on, client.do_not_mail_reason = False, None, ""
        new = _flag_text(client.do_not_mail, client.do_not_mail_on, client.do_not_mail_reason)
        if old != new:
            record(s, "update", "client", client.id, field="do_not_mail", old=old, new=new, who=who, at=now)
            client.updated_at = now
    return Change("client", ids=(client_id,), fields=("do_not_mail", "do_not_mail_on", "do_not_mail_reason"))


def _flag_text(flag: bool, on: date | None, reason: str) -> str:
    return json.dumps({"do_not_mail": flag, "on": on.isoformat() if on else None, "reason": reason})


@dataclass(frozen=True)
class DoNotMail:
    """A client's "do not mail" flag as the card shows it."""

    do_not_mail: bool
    on: date | None = None
    reason: str = ""


def do_not_mail_of(db: Database, client_id: int) -> DoNotMail:
    """The client's "do not mail" flag.

    Raises:
        NotFoundError: there is no such client.
    """
    with db.session() as s:
        client = s.get(Client, client_id)
        if client is None:
            raise NotFoundError(
                _("There is no client with the number {id} in this base.").format(id=client_id)
            )
        return DoNotMail(client.do_not_mail, client.do_not_mail_on, client.do_not_mail_reason)


def reached_clients(db: Database, mailing_id: int) -> list[int]:
    """The clients a mailing reached."""
    with db.session() as s:
        return list(
            s.scalars(
                select(MailingRecipient.client_id)
                .where(MailingRecipient.mailing_id == mailing_id, MailingRecipient.status == "sent")
                .order_by(MailingRecipient.client_id)
            )
        )


__all__ = [
    "REASONS",
    "Audience",
    "DoNotMail",
    "Failure",
    "LeftOut",
    "MailingError",
    "MailingPlan",
    "MailingReport",
    "Recipient",
    "SmsList",
    "SmsRow",
    "audience_ids",
    "authorise_mailing",
    "build_message",
    "do_not_mail_of",
    "last_mailings",
    "plan_mailing",
    "plan_sms",
    "reached_clients",
    "send_mailing",
    "set_do_not_mail",
]
