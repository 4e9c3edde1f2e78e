"""From a set of clients to an action: one menu for a selection in the list, an analysis cell ("at
risk", CZ...) and Today's birthdays: an e-mail mailing, an SMS list (and the call campaign when it is
there).

The set is given as a *resolver*: a function that finds the clients (at once for a selection, on the
base worker for an analysis cell) and then calls back with an :class:`Audience` and a label naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from custdesk.core.db import Database
from custdesk.core.services.mailings import Audience
from custdesk.i18n import _, ngettext
from custdesk.ui.formatting import format_number
from custdesk.ui.tasks import ChangeBus, TaskRunner

if TYPE_CHECKING:
    from custdesk.ui.main_window import MainWindow

Then = Callable[[Audience, str], None]
Resolver = Callable[[Then], None]


def fixed(audience: Audience, label: str) -> Resolver:
    """A resolver for clients already known."""

    def resolve(then: Then) -> None:
        then(audience, label)

    return resolve


class SegmentActions:
    """Builds the action menu and opens the dialogs behind it."""

    def __init__(self, window: QWidget, runner: TaskRunner, db: Database, bus: ChangeBus) -> None:
        self.window, self.runner, self.db, self.bus = window, runner, db, bus
        self.dialogs: list[QWidget] = []

    def fill(self, menu: QMenu, resolve: Resolver) -> None:
        """Add the actions on the clients ``resolve`` finds to ``menu``."""
        calls = menu.addAction(_("Call campaign…"))
        calls.setObjectName("segmentCampaign")
        calls.triggered.connect(lambda: resolve(self.open_campaign))
        mail = menu.addAction(_("E-mail mailing…"))
        mail.setObjectName("segmentMailing")
        mail.triggered.connect(lambda: resolve(self.open_mailing))
        sms = menu.addAction(_("SMS list…"))
        sms.setObjectName("segmentSms")
        sms.triggered.connect(lambda: resolve(self.open_sms))

    def menu(self, resolve: Resolver, title: str = "") -> QMenu:
        """A menu (a submenu when ``title`` is given) with the actions."""
        menu = QMenu(title or _("Act on these clients"), self.window)
        menu.setObjectName("segmentMenu")
        self.fill(menu, resolve)
        return menu

    def open_campaign(self, audience: Audience, label: str) -> QWidget:
        """Open the call campaign dialog for ``audience``."""
        from custdesk.ui.dialogs.campaign_dialog import CampaignDialog

        return self._show(CampaignDialog(self.runner, self.db, self.bus, audience, label, self.window))

    def open_campaigns(self) -> QWidget:
        """The campaigns with their progress."""
        from custdesk.ui.dialogs.campaign_dialog import CampaignsDialog

        return self._show(CampaignsDialog(self.runner, self.db, self.window))

    def open_mailing(self, audience: Audience, label: str, *, greeting: bool = False) -> QWidget:
        """Open the mailing dialog for ``audience`` (``greeting``: with the birthday greeting)."""
        from custdesk.ui.dialogs.mailing_dialog import MailingDialog, birthday_template

        template = birthday_template() if greeting else None
        dialog = MailingDialog(
            self.runner, self.db, self.bus, audience, label, self.window, template=template
        )
        return self._show(dialog)

    def open_sms(self, audience: Audience, label: str) -> QWidget:
        """Open the SMS list dialog for ``audience``."""
        from custdesk.ui.dialogs.sms_dialog import SmsDialog

        return self._show(SmsDialog(self.runner, self.db, audience, label, self.window))

    def _show(self, dialog: QWidget) -> QWidget:
        self.dialogs = [d for d in self.dialogs if d.isVisible()]
        self.dialogs.append(dialog)
        dialog.show()
        return dialog


def selection_label(n: int) -> str:
    """ "the 3 selected clients"."""
    return ngettext("the {n} selected client", "the {n} selected clients", n).format(n=format_number(n))


def install(window: MainWindow) -> None:
    """The action menu on the list's selection, on analysis figures (right click) and on Today's
    birthdays."""
    actions = SegmentActions(window, window.runner, window.db, window.bus)
    window.segment_actions = actions  # type: ignore[attr-defined]

    def on_selection(menu: QMenu, ids: list[int]) -> None:
        if not ids:
            return
        menu.addSeparator()
        actions.fill(menu, fixed(Audience(ids=tuple(ids)), selection_label(len(ids))))

    window.clients.menu_extenders.append(on_selection)
    follow = QAction(_("Call &campaigns…"), window)
    follow.setObjectName("campaignsAction")
    follow.setStatusTip(_("The call campaigns and how far each has come"))
    follow.triggered.connect(actions.open_campaigns)
    window.client_menu.addSeparator()
    window.client_menu.addAction(follow)

    tab = getattr(window, "analysis_tab", None)
    if tab is not None:

        def on_figure(target: Any, where: Any) -> None:
            if not isinstance(target, tuple) or target[0] in ("funnel", "temperature"):
                return
            menu = analysis_menu(actions, tab, target)
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(where)

        tab.target_menu_requested.connect(on_figure)

    view = getattr(window, "today_view", None)
    if view is not None:

        def on_today(menu: QMenu, section: str | None, entry: Any) -> None:
            if section != "birthday":
                return
            day = view.day()
            menu.addSeparator()
            if entry is not None:
                greet = menu.addAction(_("Greet by e-mail…"))
                greet.setObjectName("todayGreet")
                who = Audience(ids=(entry.client_id,))
                greet.triggered.connect(lambda: actions.open_mailing(who, entry.display_name, greeting=True))
            everyone = Audience(birthdays_on=day)
            greet_all = menu.addAction(_("Greet today's birthdays by e-mail…"))
            greet_all.setObjectName("todayGreetAll")
            greet_all.triggered.connect(
                lambda: actions.open_mailing(everyone, _("today's birthdays"), greeting=True)
            )
            menu.addMenu(actions.menu(fixed(everyone, _("today's birthdays")), _("Today's birthdays")))

        view.menu_extenders.append(on_today)


def analysis_menu(actions: SegmentActions, tab: Any, target: Any) -> QMenu:
    """The menu of an analysis figure (a class row, a segment, a matrix cell): show the clients, or act."""
    menu = QMenu(actions.window)
    menu.setObjectName("analysisTargetMenu")
    show = menu.addAction(_("Show these clients in the list"))
    show.triggered.connect(lambda: tab.open_target(target))
    menu.addSeparator()

    def resolve(then: Then) -> None:
        def found(ids: list[int], what: str) -> None:
            label = _("{what} ({clients})").format(what=what, clients=clients_count_text(len(ids)))
            then(Audience(ids=tuple(ids)), label)

        tab.clients_of_target(target, found)

    actions.fill(menu, resolve)
    return menu


def clients_count_text(n: int) -> str:
    """ "12 clients"."""
    return ngettext("{n} client", "{n} clients", n).format(n=format_number(n))
