"""The client list as a table model over ids: windows of rows fetched by SQL on the base worker.

The model knows the number of clients the current :class:`ListQuery` matches and keeps only the pages
(windows of ``page_size`` ids with their rows) that were looked at lately, at most ``max_pages`` of them:
memory does not grow with the base. A page the view asks for and the model lacks is fetched on the base
worker (``client_list.page_ids`` + ``client_list.rows``); until it arrives its rows are blank. Sorting
and filtering issue a new query: SQL sorts, the model never holds the whole list.

Refreshing (after a change) reloads the count and the cached pages in one task and swaps them in at
once, so the rows on screen do not blink.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from custdesk.core import fields as catalogue
from custdesk.core.db import Database
from custdesk.core.fields import FieldSpec
from custdesk.core.services import client_list, custom_fields
from custdesk.core.services.client_list import ListQuery
from custdesk.core.services.list_sql import custom_sort_field, custom_sort_key
from custdesk.core.validation import format_phone
from custdesk.core.vocab import FUNNEL_BY_KEY, TEMPERATURES, funnel_label, label
from custdesk.i18n import N_, _
from custdesk.ui.formatting import (
    format_date,
    format_decimal,
    format_money,
    isolate_phone,
    isolate_text,
    ui_locale,
)
from custdesk.ui.tasks import TaskRunner
from custdesk.ui.theme import alert_colour, muted_colour

log = logging.getLogger("custdesk.ui.client_table")


def _not_prepared(exc: BaseException) -> None:
    # Only a head start: the search that needs the order reads it itself and reports what fails.
    log.warning("could not ready the list's order for searching: %s", exc)


AnyIndex = QModelIndex | QPersistentModelIndex

# Roles beyond Qt's: the client id of a row, and the funnel marker's colour for the swatch delegate.
ClientIdRole = Qt.ItemDataRole.UserRole + 1
FunnelColourRole = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class ColumnSpec:
    """One column of the list: its key, header (marked for translation) and the SQL sort key."""

    key: str
    header: str
    sort_key: str
    numeric: bool = False
    custom: FieldSpec | None = None  # a list column of the firm's own field (its header is its name)


COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("name", N_("Name"), "name"),
    ColumnSpec("organisation", N_("Organisation"), "organisation"),
    ColumnSpec("phone", N_("Phone"), "phone"),
    ColumnSpec("city", N_("City"), "city"),
    ColumnSpec("funnel", N_("Funnel"), "funnel"),
    ColumnSpec("temperature", N_("Temperature"), "temperature"),
    ColumnSpec("next_call", N_("Next call"), "next_call"),
    ColumnSpec("last_purchase", N_("Last purchase"), "last_purchase"),
    ColumnSpec("revenue", N_("Revenue"), "revenue", numeric=True),
    # Stored by the analysis tab ("Store classes"); empty for clients never analysed.
    ColumnSpec("abc", N_("ABC"), "abc"),
    ColumnSpec("xyz", N_("XYZ"), "xyz"),
    ColumnSpec("segment", N_("RFM segment"), "segment"),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}


@dataclass(frozen=True)
class ListRow:
    """A row as the table shows it: the service's row plus the phone formatted on the worker."""

    row: Any  # client_list.ClientRow
    phone_display: str
    custom: Mapping[str, str] = field(default_factory=dict)  # the firm's own fields, stored text by key


@dataclass(frozen=True)
class Page:
    """A window of the list: the ids at its rows and their rows (None for a client gone meanwhile)."""

    ids: tuple[int, ...]
    rows: tuple[ListRow | None, ...]


@dataclass(frozen=True)
class Snapshot:
    """What one load returns: the counts and the requested pages."""

    total: int
    base_total: int
    pages: dict[int, Page]


def _page(db: Database, q: ListQuery, number: int, size: int, region: str, total: int | None = None) -> Page:
    ids = tuple(client_list.page_ids(db, q, number * size, size, total=total))
    by_id = client_list.rows(db, list(ids))
    with db.session() as s:  # a window of ids: one lookup of the (client, field) key each
        custom = custom_fields.list_column_values(s, ids)
    out: list[ListRow | None] = []
    for cid in ids:
        r = by_id.get(cid)
        phone = format_phone(r.phone, region) if r is not None and r.phone else ""
        out.append(None if r is None else ListRow(r, phone, custom.get(cid, {})))
    return Page(ids, tuple(out))


def load(db: Database, q: ListQuery, pages: list[int], size: int, region: str) -> Snapshot:
    """Count the query's clients and fetch ``pages`` (runs on the base worker)."""
    total = client_list.count(db, q)
    plain = ListQuery(archived=q.archived, sort=q.sort, descending=q.descending, today=q.today)
    base_total = total if q == plain else client_list.count(db, plain)
    last = max(0, (total - 1) // size)
    return Snapshot(total, base_total, {p: _page(db, q, p, size, region, total) for p in pages if p <= last})


def fetch_pages(db: Database, q: ListQuery, pages: list[int], size: int, region: str) -> dict[int, Page]:
    """Fetch some pages of the list (runs on the base worker)."""
    return {p: _page(db, q, p, size, region) for p in pages}


class ClientTableModel(QAbstractTableModel):
    """The client list: ids and a bounded row cache, fetched in windows by SQL on the base worker."""

    loaded = Signal()  # a new query's count (and first page) arrived, or a refresh finished
    countsChanged = Signal(int, int)  # shown, total under the same archived scope
    customColumnsChanged = Signal()  # the firm's own list columns were set (after a reset)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        *,
        currency: str = "USD",
        phone_region: str = "US",
        page_size: int = 100,
        max_pages: int = 30,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._db = db
        self.currency = currency
        self.phone_region = phone_region
        self.page_size = page_size
        self.max_pages = max(2, max_pages)
        self._query = ListQuery(today=date.today())
        self._total = 0
        self._base_total = 0
        self._pages: OrderedDict[int, Page] = OrderedDict()
        self._wanted: set[int] = set()
        self._in_flight: set[int] = set()
        self._generation = 0
        self._loading = False
        self._refresh_again = False
        self._locale = ui_locale()
        self._bold = QFont()
        self._bold.setBold(True)
        self._archived_font = QFont()
        self._archived_font.setItalic(True)
        self._dispatch_timer = QTimer(self)
        self._dispatch_timer.setSingleShot(True)
        self._dispatch_timer.setInterval(0)
        self._dispatch_timer.timeout.connect(self._dispatch)
        self.columns: tuple[ColumnSpec, ...] = COLUMNS

    # --- the firm's own fields as columns ------------------------------------------------------------

    def set_custom_fields(self, specs: Sequence[FieldSpec]) -> None:
        """Show the firm's own fields marked "list column" after the built-in columns (in catalogue order).

        A list sorted by a column that goes away returns to the name order.
        """
        custom = tuple(
            ColumnSpec(
                f.key, f.label, custom_sort_key(f.field_id or 0, f.kind), f.kind in ("number", "money"), f
            )
            for f in specs
            if f.list_column
        )
        columns = COLUMNS + custom
        if columns == self.columns:
            return
        self.beginResetModel()
        self.columns = columns
        self.endResetModel()
        self.customColumnsChanged.emit()
        if custom_sort_field(self._query.sort) is not None and self._query.sort not in {
            c.sort_key for c in custom
        }:
            self.update_query(sort="name", descending=False)

    def reload_custom_fields(self) -> None:
        """Read the firm's own fields on the base worker and show those marked as list columns."""
        self._runner.run(custom_fields.list_fields, self._db, on_done=self.set_custom_fields)

    def _custom_text(self, spec: FieldSpec, text: str | None) -> str:
        value = catalogue.python_value(spec, text)
        if value is None:
            return ""
        if spec.kind == "money":
            return format_money(value, self.currency, self._locale)
        if spec.kind == "number":
            places = max(0, -value.as_tuple().exponent) if not isinstance(value, str) else 0
            return format_decimal(value, self._locale, places) if not isinstance(value, str) else value
        if spec.kind == "date":
            return format_date(value, self._locale)
        if spec.kind == "yesno":
            return _("Yes") if value else _("No")
        return isolate_text(str(value))

    # --- the query -----------------------------------------------------------------------------------

    @property
    def query(self) -> ListQuery:
        """The query the list shows."""
        return self._query

    @property
    def total(self) -> int:
        """How many clients the query matches (the number of rows)."""
        return self._total

    @property
    def base_total(self) -> int:
        """How many clients there are without search and filters (same archived scope)."""
        return self._base_total

    @property
    def loading(self) -> bool:
        """Whether a new count or a refresh is on its way."""
        return self._loading

    @property
    def pages_cached(self) -> int:
        """How many pages are held (bounded by ``max_pages``)."""
        return len(self._pages)

    def set_query(self, query: ListQuery) -> None:
        """Show ``query``: count and first page on the worker, then a model reset."""
        self._query = dataclasses.replace(query, today=date.today())
        self._reload(reset=True)

    def update_query(self, **changes: Any) -> None:
        """Show the current query with some fields changed."""
        self.set_query(dataclasses.replace(self._query, **changes))

    def refresh(self) -> None:
        """Reload the count and the cached pages (after a change in the base) without a reset."""
        self._reload(reset=False)

    def _reload(self, *, reset: bool) -> None:
        if self._loading and not reset:
            self._refresh_again = True
            return
        self._generation += 1
        generation = self._generation
        self._loading = True
        self._wanted.clear()
        self._in_flight.clear()
        pages = [0] if reset else sorted(self._pages) or [0]
        query = self._query

        def done(snapshot: Snapshot) -> None:
            if not shiboken6.isValid(self) or generation != self._generation:
                return
            self._apply(snapshot, reset=reset)
            if not query.search.strip():
                # Ready the order searches of this list use, so the first keystroke need not read it.
                self._runner.run(client_list.prepare_search, self._db, query, on_error=_not_prepared)

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            if generation == self._generation:
                self._loading = False
            from custdesk.ui.tasks import show_error

            show_error(self._runner.parent_widget, exc)

        self._runner.run(
            load, self._db, query, pages, self.page_size, self.phone_region, on_done=done, on_error=failed
        )

    def _apply(self, snapshot: Snapshot, *, reset: bool) -> None:
        if reset:
            self.beginResetModel()
            self._total = snapshot.total
            self._pages = OrderedDict(sorted(snapshot.pages.items()))
            self.endResetModel()
        else:
            old = self._total
            if snapshot.total < old:
                self.beginRemoveRows(QModelIndex(), snapshot.total, old - 1)
                self._total = snapshot.total
                self.endRemoveRows()
            elif snapshot.total > old:
                self.beginInsertRows(QModelIndex(), old, snapshot.total - 1)
                self._total = snapshot.total
                self.endInsertRows()
            self._pages = OrderedDict(sorted(snapshot.pages.items()))
            if self._total:
                self.dataChanged.emit(self.index(0, 0), self.index(self._total - 1, len(self.columns) - 1))
        self._base_total = snapshot.base_total
        self._loading = False
        self.countsChanged.emit(self._total, self._base_total)
        self.loaded.emit()
        if self._refresh_again:
            self._refresh_again = False
            self.refresh()

    # --- windows of rows -----------------------------------------------------------------------------

    def _entry(self, row: int) -> ListRow | None:
        number, offset = divmod(row, self.page_size)
        page = self._pages.get(number)
        if page is None:
            if not self._loading and number not in self._in_flight:
                self._wanted.add(number)
                self._dispatch_timer.start()
            return None
        self._pages.move_to_end(number)
        return page.rows[offset] if offset < len(page.rows) else None

    def _dispatch(self) -> None:
        wanted = sorted(self._wanted - self._in_flight - set(self._pages))
        self._wanted.clear()
        if not wanted or self._loading:
            return
        wanted = wanted[: self.max_pages // 2]  # a fast scroll asks for many; the last ones matter
        self._in_flight.update(wanted)
        generation = self._generation

        def done(pages: dict[int, Page]) -> None:
            if not shiboken6.isValid(self) or generation != self._generation:
                return
            self._in_flight.difference_update(pages)
            for number, page in pages.items():
                self._pages[number] = page
                self._pages.move_to_end(number)
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)
            for number in pages:
                first = number * self.page_size
                last = min(self._total, first + self.page_size) - 1
                if last >= first:
                    self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self._in_flight.difference_update(wanted)
            from custdesk.ui.tasks import show_error

            show_error(self._runner.parent_widget, exc)

        self._runner.run(
            fetch_pages,
            self._db,
            self._query,
            wanted,
            self.page_size,
            self.phone_region,
            on_done=done,
            on_error=failed,
        )

    def client_id(self, row: int) -> int | None:
        """The id of the client at ``row`` when its page is loaded."""
        number, offset = divmod(row, self.page_size)
        page = self._pages.get(number)
        if page is None or offset >= len(page.ids):
            return None
        return page.ids[offset]

    def client_row(self, row: int) -> Any:
        """The service's row of the client at ``row`` (None while it loads)."""
        entry = self._entry(row) if 0 <= row < self._total else None
        return None if entry is None else entry.row

    def row_of(self, client_id: int) -> int | None:
        """The row of a loaded client."""
        for number, page in self._pages.items():
            if client_id in page.ids:
                return number * self.page_size + page.ids.index(client_id)
        return None

    # --- QAbstractTableModel -------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        spec = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return spec.header if spec.custom is not None else _(spec.header)
        if role == Qt.ItemDataRole.TextAlignmentRole and spec.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._total:
            return None
        entry = self._entry(index.row())
        if entry is None:
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        spec = self.columns[index.column()]
        handler = _ROLE_HANDLERS.get(role)
        return handler(self, spec, entry) if handler is not None else None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        spec = self.columns[column]
        if self._query.sort == spec.sort_key and self._query.descending == descending:
            return
        self.update_query(sort=spec.sort_key, descending=descending)

    # --- roles ---------------------------------------------------------------------------------------

    def _display(self, spec: ColumnSpec, entry: ListRow) -> str:
        r = entry.row
        if spec.custom is not None:
            return self._custom_text(spec.custom, entry.custom.get(spec.key))
        if spec.key == "phone":  # kept left to right in a right-to-left list
            return isolate_phone(entry.phone_display)
        if spec.key == "funnel":
            marker = FUNNEL_BY_KEY.get(r.funnel)
            return marker.letter if marker else r.funnel
        if spec.key == "temperature":
            return label(TEMPERATURES, r.temperature)
        if spec.key == "next_call":
            return format_date(r.next_call_on, self._locale)
        if spec.key == "last_purchase":
            return format_date(r.last_purchase_on, self._locale)
        if spec.key == "revenue":
            return format_money(r.revenue_total, self.currency, self._locale) if r.purchase_count else ""
        if spec.key in ("abc", "xyz"):
            return (r.abc_class if spec.key == "abc" else r.xyz_class) or ""
        if spec.key == "segment":
            return _(r.rfm_segment) if r.rfm_segment else ""  # the names are marked in analysis.rfm
        return isolate_text(str(getattr(r, spec.key) or ""))  # names, cities: in their own direction

    def _tooltip(self, spec: ColumnSpec, entry: ListRow) -> str | None:
        r = entry.row
        if spec.key == "funnel":
            marker = FUNNEL_BY_KEY.get(r.funnel)
            if marker is None:
                return None
            return _("{marker}: {meaning}").format(marker=funnel_label(r.funnel), meaning=_(marker.meaning))
        if spec.key == "next_call" and self._overdue(r):
            return _("The call is overdue.")
        if spec.key == "name" and r.vip:
            return _("{name} (VIP client)").format(name=r.name or r.organisation or "")
        if spec.key == "name" and r.archived:
            return _("{name} (archived client)").format(name=r.name or r.organisation or "")
        if spec.key in ("name", "organisation", "city"):  # a long name may not fit its column
            return str(getattr(r, spec.key) or "") or None
        return None

    def _overdue(self, r: Any) -> bool:
        today = self._query.today or date.today()
        return r.next_call_on is not None and r.next_call_on < today and not r.archived

    def _foreground(self, spec: ColumnSpec, entry: ListRow) -> QColor | None:
        if entry.row.archived:
            return muted_colour()
        if spec.key == "next_call" and self._overdue(entry.row):
            return alert_colour()  # a deep red on a light window, a soft one on a dark window
        return None

    def _font(self, spec: ColumnSpec, entry: ListRow) -> QFont | None:
        if entry.row.archived:
            return self._archived_font
        if spec.key == "name" and entry.row.vip:
            return self._bold
        if spec.key == "next_call" and self._overdue(entry.row):
            return self._bold
        return None

    def _alignment(self, spec: ColumnSpec, entry: ListRow) -> int | None:
        if spec.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _colour(self, spec: ColumnSpec, entry: ListRow) -> QColor | None:
        if spec.key != "funnel":
            return None
        marker = FUNNEL_BY_KEY.get(entry.row.funnel)
        return QColor(marker.colour) if marker else None

    def _id(self, spec: ColumnSpec, entry: ListRow) -> int:
        return int(entry.row.id)


_ROLE_HANDLERS: dict[int, Callable[[ClientTableModel, ColumnSpec, ListRow], Any]] = {
    Qt.ItemDataRole.DisplayRole: ClientTableModel._display,
    Qt.ItemDataRole.ToolTipRole: ClientTableModel._tooltip,
    Qt.ItemDataRole.ForegroundRole: ClientTableModel._foreground,
    Qt.ItemDataRole.FontRole: ClientTableModel._font,
    Qt.ItemDataRole.TextAlignmentRole: ClientTableModel._alignment,
    FunnelColourRole: ClientTableModel._colour,
    ClientIdRole: ClientTableModel._id,
}
