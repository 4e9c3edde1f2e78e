"""The calendar: what falls on each day of a span (calls, reminders, birthdays, contract ends, campaign
days), and moving a call to another day.

Moving a call to a day sooner than the firm's minimum gap after the client's last contact is pestering:
it raises :class:`TooSoonError` unless the seller confirmed it, as logging a contact does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import extract, select

from custdesk.core import rules
from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.errors import FieldError, TooSoonError, ValidationFailed
from custdesk.core.models import Campaign, CampaignCall, Client, Reminder
from custdesk.core.services._shared import display_name, firm_settings, load_client
from custdesk.core.services.audit import record
from custdesk.core.services.history import too_soon_message
from custdesk.core.services.today import celebrated_on
from custdesk.i18n import N_, _

# The kinds of entry, in the order a day lists them.
KINDS: dict[str, str] = {
    "call": N_("call"),
    "campaign": N_("campaign call"),
    "reminder": N_("reminder"),
    "birthday": N_("birthday"),
    "contract": N_("contract ends"),
}
MAX_SPAN_DAYS = 62


@dataclass(frozen=True)
class CalendarEntry:
    """One thing on a day."""

    day: date
    kind: str  # a key of KINDS
    client_id: int
    name: str
    text: str = ""
    at: time | None = None

    @property
    def movable(self) -> bool:
        """Whether it can be dragged to another day (a call)."""
        return self.kind in ("call", "campaign")


def _order(e: CalendarEntry) -> tuple[date, int, bool, time, str]:
    return (e.day, list(KINDS).index(e.kind), e.at is not None, e.at or time.min, e.name.casefold())


def entries_between(db: Database, first: date, last: date) -> list[CalendarEntry]:
    """Everything from ``first`` to ``last`` (inclusive; at most two months), by day.

    A client's next call is a call, or a campaign call when a campaign put it on that day; open
    reminders other than calls are reminders (a campaign's call reminder is its call).
    """
    if last < first:
        first, last = last, first
    last = min(last, first + timedelta(days=MAX_SPAN_DAYS))
    out: list[CalendarEntry] = []
    with db.session() as s:
        live = (Client.archived.is_(False), Client.merged_into_id.is_(None))
        campaign_of: dict[tuple[int, date], str] = {}
        rows = s.execute(
            select(CampaignCall.client_id, CampaignCall.due_on, Campaign.name)
            .join(Campaign, Campaign.id == CampaignCall.campaign_id)
            .where(CampaignCall.due_on >= first, CampaignCall.due_on <= last)
        )
        for cid, day, name in rows:
            campaign_of[(cid, day)] = name
        for client in s.scalars(
            select(Client).where(*live, Client.next_call_on >= first, Client.next_call_on <= last)
        ):
            call_day = client.next_call_on
            assert call_day is not None
            campaign = campaign_of.get((client.id, call_day))
            kind = "campaign" if campaign else "call"
            out.append(CalendarEntry(call_day, kind, client.id, display_name(client), campaign or ""))
        reminders = s.execute(
            select(Reminder, Client)
            .join(Client, Client.id == Reminder.client_id)
            .where(*live, Reminder.done_at.is_(None), Reminder.due_on >= first, Reminder.due_on <= last)
        )
        for reminder, client in reminders:
            if (
                reminder.kind == "call"
                and (client.id, reminder.due_on) in campaign_of
                and reminder.due_time is None
            ):
                continue  # the campaign's own reminder: its call is listed already
            out.append(
                CalendarEntry(
                    reminder.due_on,
                    "reminder",
                    client.id,
                    display_name(client),
                    reminder.text,
                    reminder.due_time,
                )
            )
        days = {first + timedelta(days=n) for n in range((last - first).days + 1)}
        keys = {d.month * 100 + d.day for d in days} | (
            {229} if any((d.month, d.day) == (2, 28) for d in days) else set()
        )
        md = extract("month", Client.birthday) * 100 + extract("day", Client.birthday)
        for client in s.scalars(
            select(Client).where(*live, Client.birthday.is_not(None), md.in_(sorted(keys)))
        ):
            assert client.birthday is not None
            for year in {first.year, last.year}:
                day = celebrated_on(client.birthday.month * 100 + client.birthday.day, year)
                if first <= day <= last:
                    out.append(CalendarEntry(day, "birthday", client.id, display_name(client)))
        for client in s.scalars(
            select(Client).where(*live, Client.contract_end >= first, Client.contract_end <= last)
        ):
            assert client.contract_end is not None
            out.append(
                CalendarEntry(
                    client.contract_end, "contract", client.id, display_name(client), client.contract_no
                )
            )
    return sorted(out, key=_order)


def move_call(
    db: Database,
    client_id: int,
    to: date,
    *,
    confirm_too_soon: bool = False,
    who: str | None = None,
    today: date | None = None,
) -> Change:
    """Move the client's next call to ``to`` (the calendar's drag), journalled.

    Raises:
        NotFoundError: no such client.
        ValidationFailed: ``to`` is before today.
        TooSoonError: ``to`` is sooner than the minimum gap after the last contact and not confirmed;
            nothing changed.
    """
    today = today or date.today()
    if to < today:
        raise ValidationFailed(
            [FieldError("next_call_on", _("A call can be moved to today or a later day only."))]
        )
    now = datetime.now()
    with db.session() as s:
        conf = firm_settings(s)
        client = load_client(s, client_id)
        gap = int(conf["min_contact_gap_days"])
        last = client.last_contact_at
        if not confirm_too_soon and rules.is_too_soon(last, datetime.combine(to, time.min), gap):
            assert last is not None
            raise TooSoonError(
                too_soon_message(display_name(client), last, gap), last_contact=last, gap_days=gap
            )
        if client.next_call_on != to:
            record(
                s,
                "update",
                "client",
                client.id,
                field="next_call_on",
                old=client.next_call_on,
                new=to,
                who=who,
            )
            old = client.next_call_on
            client.next_call_on = to
            client.updated_at = now
            # A campaign's call moves with it.
            for call in s.scalars(
                select(CampaignCall).where(CampaignCall.client_id == client.id, CampaignCall.due_on == old)
            ):
                call.due_on = to
    return Change("client", ids=(client_id,), fields=("next_call_on",))


__all__ = ["KINDS", "CalendarEntry", "entries_between", "move_call"]
