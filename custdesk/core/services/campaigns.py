"""Call campaigns: a named call for each client of a set, spread over the next working days, and its
progress (called, reached, bought afterwards).

Our rules:

- the calls go on the firm's working days (the setting ``working_days``, Monday to Friday by default)
  from ``first_day`` (the next working day after today by default), at most ``per_day`` a day, as evenly
  as the days allow (the first days get one more when they do not divide); the clients who bring the
  most revenue are called first;
- a client's next call becomes its day in the campaign (the day is what Today lists), and the card
  gets a call reminder carrying the campaign's note ("offer the spring collection");
- archived clients and clients without a phone are left out and listed;
- more clients than ``days × per_day`` is refused: nothing is scheduled (one transaction);
- progress counts, since the campaign was made, the clients called (a call in their history), reached
  (a call with an outcome other than "no answer") and who bought afterwards (a purchase on or after the
  campaign's first day).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.errors import CustDeskError, NotFoundError
from custdesk.core.models import Campaign, CampaignCall, Client, Interaction, Purchase, Reminder
from custdesk.core.services._shared import display_name, firm_settings
from custdesk.core.services.audit import current_user, record
from custdesk.core.services.mailings import Audience, LeftOut, audience_ids
from custdesk.i18n import _, format_number, ngettext

_IN_CHUNK = 900
MAX_DAYS = 366
MAX_PER_DAY = 1000


class CampaignError(CustDeskError):
    """A campaign that cannot be made as asked; the message says why and what to change."""


@dataclass(frozen=True)
class ScheduledCall:
    """One client's call in a campaign."""

    client_id: int
    name: str
    due_on: date


@dataclass(frozen=True)
class CampaignPlan:
    """What a campaign schedules (or would), and who it leaves out."""

    name: str
    calls: tuple[ScheduledCall, ...]
    left_out: tuple[LeftOut, ...]
    days: tuple[date, ...]
    campaign_id: int | None = None

    def per_day(self) -> dict[date, int]:
        """How many calls each day gets (every day of the campaign, 0 included)."""
        counts = dict.fromkeys(self.days, 0)
        for call in self.calls:
            counts[call.due_on] += 1
        return counts

    @property
    def change(self) -> Change:
        """The clients whose next call moved."""
        return Change(
            "client", ids=tuple(c.client_id for c in self.calls), fields=("next_call_on", "reminders")
        )


@dataclass(frozen=True)
class CampaignProgress:
    """How far a campaign has come."""

    campaign_id: int
    name: str
    note: str
    first_day: date
    last_day: date
    clients: int
    called: int
    reached: int
    bought: int
    revenue: Decimal
    created_at: datetime


def working_days(start: date, count: int, weekdays: list[int] | tuple[int, ...]) -> list[date]:
    """``count`` working days (``weekdays``: 0 = Monday ... 6 = Sunday) from ``start`` on, ``start``
    included when it is one."""
    allowed = {int(d) % 7 for d in weekdays} or {0, 1, 2, 3, 4}
    days: list[date] = []
    day = start
    while len(days) < count:
        if day.weekday() in allowed:
            days.append(day)
        day += timedelta(days=1)
    return days


def spread(n: int, days: list[date], per_day: int) -> list[date]:
    """The day of each of ``n`` calls: as even as the days allow, the first days one more, never more
    than ``per_day`` a day. ``n`` must fit (``n <= len(days) * per_day``)."""
    if not days:
        return []
    base, extra = divmod(n, len(days))
    out: list[date] = []
    for i, day in enumerate(days):
        take = base + (1 if i < extra else 0)
        assert take <= per_day
        out.extend([day] * take)
    return out


def _check_numbers(name: str, days: int, per_day: int) -> str:
    name = " ".join(name.split())
    if not name:
        raise CampaignError(_("Give the campaign a name, so that its progress can be followed."))
    if len(name) > 200:
        raise CampaignError(_("The name of the campaign is too long (at most 200 characters)."))
    if not 1 <= days <= MAX_DAYS:
        raise CampaignError(
            _("A campaign lasts from 1 to {max} working days.").format(max=format_number(MAX_DAYS))
        )
    if not 1 <= per_day <= MAX_PER_DAY:
        raise CampaignError(
            _("A campaign makes from 1 to {max} calls a day.").format(max=format_number(MAX_PER_DAY))
        )
    return name


def plan_campaign(
    db: Database,
    name: str,
    audience: Audience,
    *,
    days: int,
    per_day: int,
    first_day: date | None = None,
    today: date | None = None,
) -> CampaignPlan:
    """Who is called on which day (nothing is written).

    Raises:
        CampaignError: no name, a name already used, numbers out of range, or more clients than the days
            and calls a day allow.
        NotFoundError, MailingError: the audience names no client, or an unknown segment.
    """
    name = _check_numbers(name, days, per_day)
    today = today or date.today()
    with db.session() as s:
        if s.scalar(select(Campaign.id).where(Campaign.name == name)) is not None:
            raise CampaignError(
                _("There is already a campaign named {name}; choose another name.").format(name=name)
            )
        conf = firm_settings(s)
        weekdays = list(conf.get("working_days") or [0, 1, 2, 3, 4])
        start = first_day or working_days(today + timedelta(days=1), 1, weekdays)[0]
        schedule_days = working_days(start, days, weekdays)
        ids = audience_ids(s, audience)
        chosen: list[Client] = []
        left_out: list[LeftOut] = []
        for i in range(0, len(ids), _IN_CHUNK):
            rows = s.scalars(
                select(Client)
                .where(Client.id.in_(ids[i : i + _IN_CHUNK]))
                .options(selectinload(Client.phones))
            )
            for client in rows:
                if client.archived or client.merged_into_id is not None:
                    left_out.append(LeftOut(client.id, display_name(client), "archived"))
                elif not client.phones:
                    left_out.append(LeftOut(client.id, display_name(client), "no-phone"))
                else:
                    chosen.append(client)
        capacity = days * per_day
        if len(chosen) > capacity:
            raise CampaignError(
                ngettext(
                    "There are more clients ({clients}) than calls that fit: {days} working day × {per_day} "
                    "calls a day = {capacity}. Add days or calls a day, or choose fewer clients.",
                    "There are more clients ({clients}) than calls that fit: {days} working days × {per_day} "
                    "calls a day = {capacity}. Add days or calls a day, or choose fewer clients.",
                    days,
                ).format(
                    clients=format_number(len(chosen)),
                    days=format_number(days),
                    per_day=format_number(per_day),
                    capacity=format_number(capacity),
                )
            )
        # The clients who bring the most are called first.
        chosen.sort(key=lambda c: (-(c.revenue_total or Decimal(0)), c.id))
        dates = spread(len(chosen), schedule_days, per_day)
        calls = tuple(ScheduledCall(c.id, display_name(c), d) for c, d in zip(chosen, dates, strict=True))
    left_out.sort(key=lambda e: e.client_id)
    return CampaignPlan(name, calls, tuple(left_out), tuple(schedule_days))


def create_campaign(
    db: Database,
    plan: CampaignPlan,
    *,
    note: str = "",
    per_day: int,
    who: str | None = None,
) -> CampaignPlan:
    """Schedule the plan's calls in one transaction: the campaign, each client's day (its next call) and
    a call reminder with the note; journalled.

    Raises:
        CampaignError: the name was taken meanwhile.
    """
    author = who if who is not None else current_user()
    now = datetime.now()
    note = note.strip()
    with db.session() as s:
        if s.scalar(select(Campaign.id).where(Campaign.name == plan.name)) is not None:
            raise CampaignError(
                _("There is already a campaign named {name}; choose another name.").format(name=plan.name)
            )
        campaign = Campaign(
            name=plan.name,
            note=note,
            first_day=plan.days[0],
            days=len(plan.days),
            per_day=per_day,
            created_at=now,
            created_by=author,
        )
        s.add(campaign)
        s.flush()
        text = _("Campaign {name}: {note}").format(name=plan.name, note=note) if note else plan.name
        by_id = {c.client_id: c for c in plan.calls}
        for i in range(0, len(plan.calls), _IN_CHUNK):
            chunk = [c.client_id for c in plan.calls[i : i + _IN_CHUNK]]
            for client in s.scalars(select(Client).where(Client.id.in_(chunk))):
                call = by_id[client.id]
                s.add(CampaignCall(campaign_id=campaign.id, client_id=client.id, due_on=call.due_on))
                s.add(
                    Reminder(client_id=client.id, kind="call", due_on=call.due_on, text=text, created_at=now)
                )
                if client.next_call_on != call.due_on:
                    old = client.next_call_on
                    record(
                        s,
                        "update",
                        "client",
                        client.id,
                        field="next_call_on",
                        old=old,
                        new=call.due_on,
                        who=author,
                    )
                    client.next_call_on = call.due_on
                    client.updated_at = now
        detail = {"clients": len(plan.calls), "first_day": plan.days[0].isoformat(), "days": len(plan.days)}
        detail |= {"per_day": per_day, "note": note}
        new = json.dumps(detail, ensure_ascii=False)
        record(s, "create", "campaign", campaign.id, field=plan.name, new=new, who=author, at=now)
        campaign_id = campaign.id
    return CampaignPlan(plan.name, plan.calls, plan.left_out, plan.days, campaign_id)


def campaign_progress(
    db: Database, campaign_id: int | None = None, *, name: str | None = None
) -> CampaignProgress:
    """How far a campaign has come (by id or by name).

    Raises:
        NotFoundError: no such campaign.
    """
    with db.session() as s:
        if campaign_id is not None:
            campaign = s.get(Campaign, campaign_id)
        else:
            campaign = s.scalar(select(Campaign).where(Campaign.name == " ".join((name or "").split())))
        if campaign is None:
            raise NotFoundError(_("There is no campaign named {name}.").format(name=name or campaign_id))
        return _progress(s, campaign)


def list_campaigns(db: Database) -> list[CampaignProgress]:
    """Every campaign with its progress, the newest first."""
    with db.session() as s:
        return [_progress(s, c) for c in s.scalars(select(Campaign).order_by(Campaign.id.desc()))]


def _progress(s: Session, campaign: Campaign) -> CampaignProgress:
    members = select(CampaignCall.client_id).where(CampaignCall.campaign_id == campaign.id)
    clients = int(s.scalar(select(func.count()).select_from(members.subquery())) or 0)
    calls = (
        select(Interaction.client_id)
        .where(
            Interaction.kind == "call",
            Interaction.occurred_at >= campaign.created_at,
            Interaction.client_id.in_(members),
        )
        .distinct()
    )
    called = int(s.scalar(select(func.count()).select_from(calls.subquery())) or 0)
    reached_q = calls.where(Interaction.outcome.not_in(("", "no-answer")))
    reached = int(s.scalar(select(func.count()).select_from(reached_q.subquery())) or 0)
    bought_q = select(Purchase.client_id).where(
        Purchase.client_id.in_(members), Purchase.purchased_on >= campaign.first_day, Purchase.amount > 0
    )
    bought = int(s.scalar(select(func.count()).select_from(bought_q.distinct().subquery())) or 0)
    revenue = s.scalar(
        select(func.sum(Purchase.amount)).where(
            Purchase.client_id.in_(members), Purchase.purchased_on >= campaign.first_day
        )
    )
    last_day = s.scalar(select(func.max(CampaignCall.due_on)).where(CampaignCall.campaign_id == campaign.id))
    return CampaignProgress(
        campaign_id=campaign.id,
        name=campaign.name,
        note=campaign.note,
        first_day=campaign.first_day,
        last_day=last_day or campaign.first_day,
        clients=clients,
        called=called,
        reached=reached,
        bought=bought,
        revenue=revenue if isinstance(revenue, Decimal) else Decimal(0),
        created_at=campaign.created_at,
    )


__all__ = [
    "CampaignError",
    "CampaignPlan",
    "CampaignProgress",
    "ScheduledCall",
    "campaign_progress",
    "create_campaign",
    "list_campaigns",
    "plan_campaign",
    "spread",
    "working_days",
]
