"""The review dock: look at what the model said, fix what it could not tell, write the classes back.

Keyboard first (0-9 set the class, Space/Enter confirm the prediction, N jumps to the next chip not
reviewed, Ctrl+Z undoes, Delete forgets a decision); the grid loads lazily from results.sqlite
through plugin/core/review/, which commits every decision at once.

This module wires the parts: the widgets are built by layout.py, the run is opened by run_panel.py,
linked to its layer by layer_link.py, decided on by decisions.py, written back by write_panel.py,
shown large by large_view.py and audited by audit_view.py (each a mixin of `ReviewDock`); here stay
the signals, the filter, the current chip and its info, the keyboard and the counter.
"""
from typing import Callable, Dict, List, Optional

from qgis.core import Qgis, QgsVectorLayer
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QEvent, QItemSelectionModel, QThread, QThreadPool, pyqtSignal

from ... import settings
from ...core.review import ChipReview, ReviewError, ReviewFilter, ReviewSession, parse_fids
from ...core.schemes import ERROR_CLASS
from ...i18n import tr, tr_error
from ..message_bar import push_message
from . import keys
from .audit_view import SCOPE_AUDIT, AuditDockMixin, AuditMode
from .common import STATUS_COLORS, confidence_text, html_text, plain_tooltip, status_text, utc_text
from .decisions import DecisionsMixin
from .images import ImageCache
from .keys import key_action
from .large_view import ZOOM_STEP, LargeViewDockMixin
from .layer_link import LayerLinkMixin
from .layout import DockLayoutMixin
from .map_link import MapLink
from .model import ChipListModel
from .run_panel import RunPanelMixin
from .tiles import ClassButton
from .write_panel import WritePanelMixin

SETTINGS_LAST_RUN = settings.REVIEW_LAST_RUN.full_key


class ReviewDock(AuditDockMixin, LargeViewDockMixin, DockLayoutMixin, RunPanelMixin, LayerLinkMixin, DecisionsMixin,
                 WritePanelMixin, QgsDockWidget):
    """Opens a run, links it to the layer it was cut from, and drives the review from the keyboard."""

    # the plugin opens its Model endpoints dialog (the dock does not import other GUI modules)
    endpointsRequested = pyqtSignal()

    def __init__(self, iface, parent=None):
        super().__init__(tr("ChipVLM review"), parent)
        self.setObjectName("ChipVLMReviewDock")
        self.setAcceptDrops(True)
        self.iface = iface
        self.canvas = iface.mapCanvas() if iface is not None else None
        self.session: Optional[ReviewSession] = None
        self.run_path: Optional[str] = None
        self._resume_fid: Optional[int] = None
        self._map_fids: Optional[frozenset] = None
        self._keys_cache: Optional[Dict[int, int]] = None
        self._watched_layer: Optional[QgsVectorLayer] = None
        self._watched_fields: Optional[QgsVectorLayer] = None  # the linked layer, whose field changes we follow
        self._link_field = ""  # the field the results are matched by ("" = feature id)
        self._link_broken = ""  # why the link is broken (the layer lost that field), else ""
        self.run_info: Optional[dict] = None  # run.json of the open run (None: an older run)
        self._padding: Optional[dict] = None  # fid -> imagery box of the chips padded outside the raster
        self.map_link = MapLink(self.canvas)
        self.class_buttons: Dict[int, ClassButton] = {}
        self._listed = 0
        # our own pool: QGIS's global one renders the map
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max(1, min(2, QThread.idealThreadCount() - 1)))
        self.model = ChipListModel(self.pool, self)
        # full-size chips for the large view: their own thread, so the grid's thumbnails never wait on them
        self.preview_pool = QThreadPool(self)
        self.preview_pool.setMaxThreadCount(1)
        self.previews = ImageCache(0, 8, self.preview_pool, self, placeholders=False)
        self.audit_mode = AuditMode(self.pool, self)
        self._build()
        self._connect()
        self._update_counter()

    # -- signals ---------------------------------------------------------------------------------
    def _connect(self) -> None:
        self.open_button.clicked.connect(self.choose_run)
        self.endpoints_button.clicked.connect(self.endpointsRequested)
        self.run_edit.returnPressed.connect(self._run_typed)
        self.layer_combo.layerChanged.connect(self._layer_changed)
        self.fid_field_combo.fieldChanged.connect(self._fid_field_changed)
        self.fid_field_combo.activated.connect(self._fid_field_chosen)
        for combo in (self.scope_combo, self.class_combo, self.reviewed_combo, self.sort_combo):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.fid_edit.returnPressed.connect(self._fids_typed)
        self.confidence_spin.valueChanged.connect(self.apply_filter)
        self.fid_edit.textChanged.connect(self._fid_text_changed)
        self.map_selection_button.toggled.connect(self._map_selection_toggled)
        self.confirm_button.clicked.connect(self.confirm)
        self.next_button.clicked.connect(self.next_unreviewed)
        self.undo_button.clicked.connect(self.undo)
        self.write_button.clicked.connect(self.write_back)
        self.view.selectionModel().currentChanged.connect(self._current_changed)

    # -- run -------------------------------------------------------------------------------------
    def dispose(self) -> None:
        """Before the plugin unloads: let go of the file and stop the image loaders."""
        self.close_run()
        self.previews.clear()
        for pool in (self.pool, self.preview_pool):
            pool.clear()
            pool.waitForDone(2000)

    def closeEvent(self, event):
        self.close_run()
        super().closeEvent(event)

    def showEvent(self, event):
        super().showEvent(event)
        if self.session is None and self.run_path:
            self.open_run(self.run_path)

    # -- filter ----------------------------------------------------------------------------------
    def current_filter(self) -> ReviewFilter:
        fids = None
        text = self.fid_edit.text().strip()
        if text:
            fids = frozenset(parse_fids(text))
        if self._map_fids is not None:
            fids = self._map_fids if fids is None else fids & self._map_fids
        return ReviewFilter(
            scope=self.scope_combo.currentData(),
            class_id=self.class_combo.currentData(),
            reviewed=self.reviewed_combo.currentData(),
            fids=fids,
            sort=self.sort_combo.currentData(),
            confidence_below=self.confidence_spin.value() / 100 if self.confidence_spin.value() > 0 else None,
        )

    def apply_filter(self, *_args, select_fid: Optional[int] = None) -> None:
        if self.session is None:
            return
        self._update_audit_entry()
        if self.scope_combo.currentData() == SCOPE_AUDIT:
            self._enter_audit()
            return
        self._leave_audit()
        try:
            flt = self.current_filter()
        except ReviewError as exc:
            self.show_message(tr_error(exc), error=True)
            return
        self.model.reset(self.session, flt)
        self._listed = self.session.count(flt)
        row = 0
        if select_fid is not None:
            chip = self.session.chip(select_fid)
            found = self.model.fetch_until(chip) if chip is not None else None
            row = found if found is not None else 0
        self.select_row(row)
        self._update_counter()

    def _fids_typed(self) -> None:
        self.apply_filter()
        if not self.status_label.styleSheet():  # typed right: back to reviewing
            self.view.setFocus()

    def _fid_text_changed(self, text: str) -> None:
        if not text:  # the clear button
            self.apply_filter()

    # -- current chip ----------------------------------------------------------------------------
    def current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def current_chip(self) -> Optional[ChipReview]:
        """The current result of the review (None in the audit: it shows no result, only sampled chips)."""
        if self.audit_mode.active:
            return None
        return self.model.chip_at(self.current_row())

    def _grid(self):
        """The list the grid shows: the review's results, or the audit's sample."""
        return self.audit_mode.model if self.audit_mode.active else self.model

    def selected_fids(self) -> List[int]:
        """The chips a decision applies to: the selected ones, else the current one."""
        rows = sorted({index.row() for index in self.view.selectionModel().selectedIndexes()})
        if not rows and self.current_row() >= 0:
            rows = [self.current_row()]
        grid = self._grid()
        return [grid.rows[row].fid for row in rows if 0 <= row < len(grid.rows)]

    def select_row(self, row: int) -> None:
        grid = self._grid()
        while row >= grid.rowCount() and grid.canFetchMore():
            grid.fetchMore()
        if not 0 <= row < grid.rowCount():
            self._show_row(self.current_row())
            return
        index = grid.index(row, 0)
        moved = index != self.view.currentIndex()
        self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(index)
        if not moved:  # a new current chip is shown by _current_changed, once
            self._show_row(row)

    def _show_row(self, row: int) -> None:
        if self.audit_mode.active:
            self._show_audit_item(self.audit_mode.model.chip_at(row))
        else:
            self._show_current(self.model.chip_at(row))

    def select_fid(self, fid: int) -> bool:
        row = self._grid().row_of(fid)
        if row is None and self.session is not None and not self.audit_mode.active:
            chip = self.session.chip(fid)
            row = self.model.fetch_until(chip) if chip is not None else None
        if row is None:
            return False
        self.select_row(row)
        return True

    def move(self, step: int) -> None:
        row = self.current_row()
        self.select_row(max(0, row + step) if row >= 0 else 0)

    def _current_changed(self, current, _previous) -> None:
        self._show_row(current.row() if current.isValid() else -1)

    def _show_confirm(self, chip: Optional[ChipReview]) -> None:
        """Mark the model's class among the class buttons: what Space would accept (errors have none)."""
        predicted = None if chip is None or chip.class_id == ERROR_CLASS else chip.class_id
        for class_id, button in self.class_buttons.items():
            button.set_predicted(class_id == predicted)
        self.confirm_button.setEnabled(predicted is not None)
        self.confirm_button.setToolTip(plain_tooltip(
            tr("Accept the model's class (Space or Enter)")
            if predicted is None else tr("Accept the model's class {0} {1} (Space or Enter)").format(
                chip.class_id, chip.class_name)
        ))

    def _show_current(self, chip: Optional[ChipReview]) -> None:
        for class_id, button in self.class_buttons.items():
            button.setChecked(chip is not None and chip.is_reviewed and chip.final_class_id == class_id)
        if chip is None or self.session is None:
            self.preview.set_chip_pixmap(None)
            self.info_label.setText("")
            self._show_confirm(None)
            self._clear_highlight()
            return
        self._show_image(self.session.resolve_chip_path(chip.chip_path), chip.fid)
        self._show_confirm(chip)
        row = self.model.row_of(chip.fid)
        if row is not None:  # the analyst mostly goes forward: have the next chips ready
            following = [self.model.chip_at(r) for r in range(row + 1, row + 1 + self.previews.ahead)]
            self.previews.prefetch([self.session.resolve_chip_path(c.chip_path) for c in following if c])
        color = STATUS_COLORS.get(chip.status).name()
        lines = [
            f"<b>fid {chip.fid}</b> · <span style='color:{color}'>{status_text(chip.status)}</span>",
            tr("Model: {0} {1}").format(chip.class_id, html_text(chip.class_name)),
        ]
        if chip.reason:
            lines.append(f"<i>{html_text(chip.reason)}</i>")
        sure = confidence_text(chip, self.session.class_name)
        if sure:
            lines.append(html_text(sure))
        if chip.is_reviewed:
            lines.append(
                tr("Reviewed: <b>{0} {1}</b> by {2}, {3}").format(
                    chip.reviewed_class_id, html_text(chip.reviewed_class_name or ""), html_text(chip.reviewer or "?"),
                    utc_text(chip.reviewed_at or "")
                )
            )
        self.info_label.setText("<br>".join(lines))
        self._show_on_map(chip)

    def _show_image(self, path: str, fid: int) -> None:
        pixmap = self.previews.get(path)
        if pixmap is None:
            self.preview.set_missing(path)
        else:
            self.preview.set_chip_pixmap(pixmap, self._imagery(fid))
        if self.large_view.showing_map:
            self._follow_on_live_map(fid)

    # -- keyboard --------------------------------------------------------------------------------
    def eventFilter(self, obj, event):
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            action = self._key_action(obj, event)
            if action is not None:
                if kind == QEvent.Type.ShortcutOverride:
                    # ours, not QGIS's (Ctrl+Z is also the main window's undo)
                    event.accept()
                    return True
                action()
                event.accept()
                return True
        return super().eventFilter(obj, event)

    def _key_action(self, obj, event) -> Optional[Callable[[], object]]:
        if self.session is None:
            return None
        found = key_action(event.key(), event.modifiers(), self.class_buttons, in_grid=obj is self.view)
        if found is None:
            return None
        action, class_id = found
        if action == keys.SET_CLASS:
            return lambda: self.set_class(class_id)
        return {
            keys.CONFIRM: self.confirm,
            keys.NEXT_UNREVIEWED: self.next_unreviewed,
            keys.FORGET: self.clear_review,
            keys.UNDO: self.undo,
            keys.FORWARD: lambda: self.move(1),
            keys.BACK: lambda: self.move(-1),
            keys.ZOOM_IN: lambda: self.large_view.zoom_by(ZOOM_STEP),
            keys.ZOOM_OUT: lambda: self.large_view.zoom_by(1 / ZOOM_STEP),
            keys.TOGGLE_MAP: self.toggle_live_map,
        }[action]

    # -- feedback --------------------------------------------------------------------------------
    def _update_counter(self) -> None:
        self._update_actions()
        if self.session is None:
            self.counter_label.setText(tr("No run open"))
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            return
        if self.audit_mode.active:
            decided, total = self.audit_mode.counter()
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(decided)
            self.progress.setToolTip(tr("Decided out of the audit sample"))
            self.counter_label.setText(self.audit_mode.counter_text())
            return
        self.progress.setToolTip(tr("Reviewed out of needing review"))
        counts = self.session.counts()
        self.progress.setRange(0, max(counts.needs_review, 1))
        self.progress.setValue(counts.reviewed_of_needing)
        text = tr("Reviewed {0} of {1} needing review").format(counts.reviewed_of_needing, counts.needs_review)
        text += " · " + tr("{0} chips listed").format(self._listed)
        self.counter_label.setText(text)

    def _update_actions(self) -> None:
        """What can be done: nothing but opening a run while none is open."""
        has_run = self.session is not None
        for button in (self.next_button, self.undo_button):
            button.setEnabled(has_run)
        self.write_button.setEnabled(has_run and not self._link_broken)
        if not has_run:
            self.confirm_button.setEnabled(False)

    def show_message(self, text: str, error: bool = False, bar: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet("color: #c62828;" if error else "")
        if bar and self.iface is not None:
            level = Qgis.MessageLevel.Warning if error else Qgis.MessageLevel.Success
            # whole (QGIS's pushMessage cuts a long sentence mid-line) and as typed (it renders HTML)
            push_message(self.iface.messageBar(), "ChipVLM", text, level, 8)
