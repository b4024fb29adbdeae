"""The review dock: look at what the model said, fix what it could not tell, write the classes back.

Keyboard first (0-9 set the class, Space/Enter confirm the prediction, N jumps to the next chip not
reviewed, Ctrl+Z undoes, Delete forgets a decision); the grid loads lazily from results.sqlite
through plugin/core/review/, which commits every decision at once.

The dock is made of parts that talk through signals: `RunBar` (run_panel.py: which file to open),
`LayerLink` (layer_link.py: the layer, the fid field, feature ids), `FilterBar` (filters.py),
`Counter` (counter.py), `ChipArea` with the `LargeView` and the `DecisionPanel` (large_view.py,
panel.py), the `ChipGrid` (grid.py, over model.py's list or audit_view.py's sample) and the
`Reviewer` (decisions.py: what a key or a click decides). Here stay the run that is open, what the
current chip shows, the switch into and out of the audit, the narrow layout and the keys.
"""
from typing import Callable, List, Optional

from qgis.core import Qgis, QgsApplication, QgsVectorLayer
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QEvent, Qt, QThread, QThreadPool, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QLabel,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ... import settings
from ...core.errors import ChipVLMError
from ...core.review import (
    ChipReview,
    ReviewError,
    ReviewSession,
    default_reviewer,
    recorded_fid_field,
    run_info_for,
)
from ...core.schemes import ERROR_CLASS
from ...i18n import tr, tr_error
from ..message_bar import push_message
from . import keys
from .audit_view import SCOPE_AUDIT, AuditMode, sample_size
from .common import chip_info_html, plain_tooltip
from .counter import Counter
from .decisions import Reviewer
from .filters import FilterBar
from .grid import ChipGrid
from .images import ImageCache
from .keys import key_action
from .large_view import ZOOM_STEP, ChipArea, ChipPreview, LargeView, PaddedChips
from .layer_link import LayerLink
from .map_link import MapLink, recorded_layer
from .model import ChipListModel
from .panel import DecisionPanel
from .run_panel import RunBar
from .write_panel import write_with_progress

SETTINGS_LAST_RUN = settings.REVIEW_LAST_RUN.full_key
NARROW_WIDTH = 380  # below this width (a side panel of QGIS's window, ~350 px) the dock folds its settings


class ReviewDock(QgsDockWidget):
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
        self.run_info: Optional[dict] = None  # run.json of the open run (None: an older run)
        self._resume_fid: Optional[int] = None
        self._listed = 0
        self.padding = PaddedChips()
        self.map_link = MapLink(self.canvas)
        # our own pool: QGIS's global one renders the map
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max(1, min(2, QThread.idealThreadCount() - 1)))
        self.model = ChipListModel(self.pool, self)
        # full-size chips for the large view: their own thread, so the grid's thumbnails never wait on them
        self.preview_pool = QThreadPool(self)
        self.preview_pool.setMaxThreadCount(1)
        # (16: an undo goes back over chips already seen; each is 1 MB)
        self.previews = ImageCache(0, 16, self.preview_pool, self, placeholders=False)
        self.audit_mode = AuditMode(self.pool, self)
        self._build()
        self.reviewer = Reviewer(self.view, self.model, self.audit_mode, self)
        self._connect()
        self._update_counter()

    # -- parts -----------------------------------------------------------------------------------
    def _build(self) -> None:
        container = QWidget(self)
        layout = QVBoxLayout(container)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        self.run_bar = RunBar()
        self.link = LayerLink()
        self.filters = FilterBar()
        # in a narrow side panel the run, layer and filters fold away under this button
        self.more_button = QToolButton()
        self.more_button.setText(tr("Run, layer, filters and chip list"))
        self.more_button.setCheckable(True)
        self.more_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.more_button.setArrowType(Qt.ArrowType.RightArrow)
        self.more_button.setAutoRaise(True)
        self.more_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.more_button.hide()
        layout.addWidget(self.more_button)
        self.settings_box = QWidget()
        box = QVBoxLayout(self.settings_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        for part in (self.run_bar, self.link, self.filters):
            box.addWidget(part)
        layout.addWidget(self.settings_box)
        self.narrow = False
        self.counter = Counter()
        layout.addWidget(self.counter)
        self.preview = ChipPreview()
        self.large_view = LargeView(self.preview)
        self.panel = DecisionPanel()
        self.chip_area = ChipArea(self.large_view, self.panel)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.chip_area)
        self.view = ChipGrid(self.model)
        self.splitter.addWidget(self.view)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        self.keys_label = QLabel(
            tr("0–9 class · Space/Enter confirm · arrows move · N next to review · Ctrl+Z undo · "
               "Del forget · +/− zoom · M chip/map")
        )
        self.keys_label.setWordWrap(True)
        self.keys_label.setStyleSheet("color: #666666;")
        layout.addWidget(self.keys_label)
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # messages quote class names and paths
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        self.setWidget(container)
        # Review keys work where the focus is on the review, never in a text box
        for widget in (self.view, self.preview, self.filters.map_selection_button) + self.panel.buttons():
            widget.installEventFilter(self)
        self._name_parts()

    def _name_parts(self) -> None:
        """The widgets a test or the bench reaches, by the names they have always had."""
        self.run_edit, self.open_button = self.run_bar.run_edit, self.run_bar.open_button
        self.endpoints_button = self.run_bar.endpoints_button
        self.layer_combo, self.fid_field_combo = self.link.layer_combo, self.link.fid_field_combo
        self.scope_combo, self.class_combo = self.filters.scope_combo, self.filters.class_combo
        self.reviewed_combo, self.sort_combo = self.filters.reviewed_combo, self.filters.sort_combo
        self.fid_edit, self.confidence_spin = self.filters.fid_edit, self.filters.confidence_spin
        self.map_selection_button = self.filters.map_selection_button
        self.info_label = self.panel.info_label
        self.confirm_button, self.next_button = self.panel.confirm_button, self.panel.next_button
        self.undo_button, self.write_button = self.panel.undo_button, self.panel.write_button
        self.top_splitter = self.chip_area
        self.counter_label, self.progress = self.counter.label, self.counter.progress
        self.chip_delegate = self.view.chip_delegate

    def _connect(self) -> None:
        self.run_bar.openRequested.connect(self._run_asked)
        self.run_bar.endpointsRequested.connect(self.endpointsRequested)
        self.link.linkChanged.connect(self._link_changed)
        self.link.brokenChanged.connect(self._link_broken)
        self.link.selectionChanged.connect(self._map_selection_changed)
        self.link.message.connect(self.show_message)
        self.filters.changed.connect(self.apply_filter)
        self.filters.fidsTyped.connect(self._fids_typed)
        self.filters.mapSelectionToggled.connect(self._map_selection_toggled)
        self.chip_area.orientationChanged.connect(self.filters.place)
        self.more_button.toggled.connect(self._unfold)
        self.reviewer.message.connect(self.show_message)
        self.reviewer.decided.connect(self._update_counter)
        self.panel.classChosen.connect(self.reviewer.set_class)
        self.confirm_button.clicked.connect(self.reviewer.confirm)
        self.next_button.clicked.connect(self.reviewer.next_unreviewed)
        self.undo_button.clicked.connect(self.reviewer.undo)
        self.write_button.clicked.connect(self.write_back)
        self.view.rowShown.connect(self._show_row)

    @property
    def class_buttons(self):
        return self.panel.class_buttons

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._set_narrow(self.width() < NARROW_WIDTH)
        self.chip_area.fit()

    def _set_narrow(self, narrow: bool) -> None:
        """A narrow side panel (under the Processing Toolbox): the chip first, the classes as a keyed
        drop-down; the run, layer, filters, chip list and the keys' help folded away. Every key works
        the same (the chip takes the focus the list had)."""
        if narrow == self.narrow:
            return
        self.narrow = narrow
        self.more_button.setVisible(narrow)
        self.more_button.setChecked(False)
        self._unfold(not narrow)
        self.keys_label.setVisible(not narrow)
        self.panel.set_compact(narrow)

    def _unfold(self, on: bool) -> None:
        had_focus = self.view.hasFocus()
        self.settings_box.setVisible(on)
        self.view.setVisible(on)
        self.more_button.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        if not on and had_focus:
            self.preview.setFocus()
        # once laid out: the panel at its least height, the rest is the chip's
        QTimer.singleShot(0, lambda: self.chip_area.setSizes([self.chip_area.height(), 0]))

    # -- run -------------------------------------------------------------------------------------
    def _run_asked(self, path: str) -> None:
        if not path:
            self.show_message(tr("Type the results.sqlite of a run, or its folder."), error=True)
        else:
            self.open_run(path)

    def dragEnterEvent(self, event):
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event):
        """A results.sqlite or a run folder dropped from the file manager opens."""
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            return super().dropEvent(event)
        event.acceptProposedAction()
        self.open_run(paths[0])

    def open_run(self, path: str, layer: Optional[QgsVectorLayer] = None, fid_field: Optional[str] = None) -> bool:
        """Open a run (its results.sqlite or its folder); optionally link it to a layer at once."""
        session = self._new_session(path)
        if session is None:
            if self.session is not None:  # the Run field names the run still open, not the refused file
                self.run_bar.show_path(self.run_path)
            return False
        same_run = session.path == self.run_path
        self.close_run()
        if not same_run:  # another run: its chips start from the top, not at this run's fid
            self._resume_fid = None
        self.session = self.reviewer.session = session
        self.run_path = session.path
        settings.REVIEW_LAST_RUN.write(self.run_path)
        self.run_bar.show_path(self.run_path)
        notes = self._read_run_info()
        self.padding.reset(getattr(session, "_index_folder", None) or session.folder,
                           str((self.run_info or {}).get("raster") or ""))
        notes += self._link_recorded(layer, fid_field)
        self.filters.set_classes(session.classes)
        self.filters.set_second_opinion(session.has_second_opinion())
        self.panel.set_classes(session.reviewable_classes(), self)
        self.filters.set_audit_entry(sample_size(session.path))
        resume, self._resume_fid = self._resume_fid, None
        self.apply_filter(select_fid=resume)
        total = session.counts().total
        if total:
            text = tr("Opened {0}: {1} results.").format(self.run_path, total)
        else:
            text = tr("Opened {0}: no results yet (the classification has not stored its first "
                      "batch); they are listed as you filter again.").format(self.run_path)
        self.show_message(" ".join([text] + notes), error=bool(notes))
        self.view.setFocus()
        return True

    def _new_session(self, path: str) -> Optional[ReviewSession]:
        try:
            session = ReviewSession(path, reviewer=self.reviewer_name())
        except ReviewError as exc:  # a mistyped path leaves the run being reviewed open
            self.show_message(tr_error(exc), error=True)
            return None
        if not session.has_scheme and session.counts().total == 0:
            # what a classification that failed before its first batch leaves: no class to show
            session.close()
            self.show_message(tr("{0} holds no results yet and no class scheme: its classification stopped "
                                 "before the first batch. Classify the chips (again), then review.").format(
                session.path), error=True)
            return None
        return session

    def _read_run_info(self) -> List[str]:
        try:
            self.run_info = run_info_for(self.run_path)
        except ChipVLMError as exc:  # a damaged run.json: the run is still reviewable, without its checks
            self.run_info = None
            return [tr_error(exc)]
        return []

    def _link_recorded(self, layer: Optional[QgsVectorLayer], fid_field: Optional[str]) -> List[str]:
        """Link the layer and fid field given, else those run.json recorded; a note when the layer is missing."""
        notes = []
        if layer is None and self.run_info is not None:
            layer = recorded_layer(self.run_info)
            if layer is None:
                notes.append(tr("The layer this run was cut from ('{0}') is not in the project: add it, then "
                                "choose it as the layer.").format(
                    self.run_info.get("layer_name") or self.run_info.get("layer_source") or "?"))
        if fid_field is None:
            fid_field = recorded_fid_field(self.run_info)
        if layer is not None or fid_field is not None:
            self.link.link(layer if layer is not None else self.layer_combo.currentLayer(),
                           fid_field if fid_field is not None else self.link.field)
        return notes

    def close_run(self) -> None:
        """Let go of the results file (every decision is already in it)."""
        current = self.current_chip()
        if current is not None:
            self._resume_fid = current.fid
        self.map_link.clear()
        self._leave_audit()
        if self.session is not None:
            self.model.reset(None)
            self.session.close()
            self.session = self.reviewer.session = None
            self.previews.clear()
        self._update_counter()
        self._show_current(None)

    def reviewer_name(self) -> str:
        return QgsApplication.userLoginName() or default_reviewer()

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

    # -- the layer -------------------------------------------------------------------------------
    def layer(self) -> Optional[QgsVectorLayer]:
        return self.link.layer()

    def link_layer(self, layer: Optional[QgsVectorLayer], fid_field: str = "") -> None:
        """Link the run to a layer and the field its chips were named by ("" = feature id)."""
        self.link.link(layer, fid_field)

    @property
    def link_field(self) -> str:
        """The field results are matched by: the one chosen (or recorded at cut time), never a fallback."""
        return self.link.field

    def feature_id(self, fid: int) -> Optional[int]:
        return self.link.feature_id(fid)

    @property
    def highlight(self):
        """The current chip's feature on the map (None when it has none there)."""
        return self.map_link.highlight

    def _link_changed(self) -> None:
        self.map_link.clear()
        if self.map_selection_button.isChecked():
            self.map_selection_button.setChecked(False)
        self._show_on_map(self.current_chip())

    def _link_broken(self, why: str) -> None:
        self._update_actions()
        if why:
            self.show_message(why, error=True, bar=True)

    def _map_selection_toggled(self, checked: bool) -> None:
        if not self.link.watch_selection(checked):
            self.show_message(tr("Choose the layer the chips were cut from first."), error=True)
            self.map_selection_button.setChecked(False)
            return
        if not checked:
            self.filters.map_fids = None
            self.apply_filter()
            return
        self._map_selection_changed()

    def _map_selection_changed(self, *_args) -> None:
        if self.layer() is None:
            return
        self.filters.map_fids = frozenset(self.link.selected_fids())
        self.apply_filter()
        if self.link.broken:
            self.show_message(self.link.broken, error=True)
        elif not self.filters.map_fids:
            self.show_message(tr("No feature is selected on the map: the list is empty."))

    def _show_on_map(self, chip) -> None:
        self.map_link.clear()
        layer = self.layer()
        if chip is None or layer is None or self.canvas is None:
            return
        feature_id = self.link.feature_id(chip.fid)
        if feature_id is not None:
            self.map_link.show(layer, feature_id)

    # -- filter and audit ------------------------------------------------------------------------
    def apply_filter(self, *_args, select_fid: Optional[int] = None) -> None:
        if self.session is None:
            return
        self.filters.set_audit_entry(sample_size(self.session.path))
        if self.filters.scope == SCOPE_AUDIT:
            self._enter_audit()
            return
        self._leave_audit()
        try:
            flt = self.filters.review_filter()
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

    def _enter_audit(self) -> None:
        """List the audit sample, blind; the review's own filters do not apply to it."""
        if not self.audit_mode.active:
            try:
                self.audit_mode.start(self.session, self.reviewer_name())
            except ReviewError as exc:
                self.show_message(tr_error(exc), error=True)
                return
            self.view.show_list(self.audit_mode.model, self.audit_mode.delegate)
        else:
            self.audit_mode.model.reset(self.audit_mode.audit, self.session)
        self.filters.set_review_filters_enabled(False)
        self._listed = self.audit_mode.model.rowCount()
        # a message of the review (a class set) must not stay on screen beside a sampled chip
        self.show_message(tr("Audit: {0} sampled chips, the model's answer hidden. Choose the class you see "
                             "(0–9).").format(self._listed))
        row = self.audit_mode.next_undecided(0)
        self.select_row(row if row is not None else 0)
        self._update_counter()
        self.view.setFocus()

    def _leave_audit(self) -> None:
        if not self.audit_mode.active:
            return
        self.view.show_list(self.model, self.chip_delegate)
        self.audit_mode.stop()
        self.filters.set_review_filters_enabled(True)

    # -- current chip ----------------------------------------------------------------------------
    def current_row(self) -> int:
        return self.view.current_row()

    def current_chip(self) -> Optional[ChipReview]:
        """The current result of the review (None in the audit: it shows no result, only sampled chips)."""
        if self.audit_mode.active:
            return None
        return self.model.chip_at(self.current_row())

    def _grid(self):
        """The list the grid shows: the review's results, or the audit's sample."""
        return self.audit_mode.model if self.audit_mode.active else self.model

    def selected_fids(self) -> List[int]:
        return self.view.selected_fids()

    def select_row(self, row: int) -> None:
        self.view.select_row(row)

    def select_fid(self, fid: int) -> bool:
        return self.reviewer.select_fid(fid)

    def move(self, step: int) -> None:
        self.view.move(step)

    def _show_row(self, row: int) -> None:
        if self.audit_mode.active:
            self._show_audit_item(self.audit_mode.model.chip_at(row))
        else:
            self._show_current(self.model.chip_at(row))

    def _show_current(self, chip: Optional[ChipReview]) -> None:
        predicted = None if chip is None or chip.class_id == ERROR_CLASS else chip.class_id
        self.panel.mark(chip.final_class_id if chip is not None and chip.is_reviewed else None, predicted)
        self.panel.set_confirm(predicted is not None, tr("Accept the model's class (Space or Enter)")
                               if predicted is None else tr("Accept the model's class {0} {1} (Space or Enter)").format(
            chip.class_id, chip.class_name))
        if chip is None or self.session is None:
            self.preview.set_chip_pixmap(None)
            self.info_label.setText("")
            self.info_label.setToolTip("")
            self.map_link.clear()
            return
        self._show_image(self.model.paths(chip.chip_path), chip.fid)
        self._prefetch(self.model, chip.fid, lambda c: self.model.paths(c.chip_path))
        self.info_label.setText(chip_info_html(chip, self.session.class_name))
        self.info_label.setToolTip(plain_tooltip(chip.reason) if chip.reason else "")  # a long one is cut off
        self._show_on_map(chip)

    def _show_audit_item(self, item) -> None:
        """A sampled chip, blind: no class button marks the model's class, nothing names it."""
        self.panel.mark(item.reference_class_id if item is not None else None, None)
        self.panel.set_confirm(False, tr("The audit is blind: there is no model class to accept. Choose the "
                                         "class you see (0–9)."))
        if item is None:
            self.preview.set_chip_pixmap(None)
            self.info_label.setText("")
            self.info_label.setToolTip("")
            self.map_link.clear()
            return
        model = self.audit_mode.model
        self._show_image(model.resolve(item), item.fid)
        self._prefetch(model, item.fid, model.resolve)
        self.info_label.setText(self.audit_mode.info_html(item))
        self.info_label.setToolTip("")  # blind: never the model's reason
        self._show_on_map(item)

    def _prefetch(self, grid, fid: int, resolve) -> None:
        """Have the next chips ready, in the direction the analyst goes (forward mostly; back on undo)."""
        row = grid.row_of(fid)
        if row is not None:
            rows = [row + self.view.direction * step for step in range(1, 1 + self.previews.ahead)]
            self.previews.prefetch([resolve(c) for c in map(grid.chip_at, rows) if c])

    def _show_image(self, path: str, fid: int) -> None:
        pixmap = self.previews.get(path)
        if pixmap is None:
            self.preview.set_missing(path)
        else:
            self.preview.set_chip_pixmap(pixmap, self.padding.box(fid))
        if self.large_view.showing_map:
            self._follow_on_live_map(fid)

    def toggle_live_map(self) -> bool:
        """M: the large view shows the object on a live map, or the chip again; True when on the map."""
        on = not self.large_view.showing_map
        self.large_view.show_map(on)
        if on:
            self.large_view.live_map.installEventFilter(self)
            item = self._grid().chip_at(self.current_row())
            self._follow_on_live_map(item.fid if item is not None else None)
        return on

    def _follow_on_live_map(self, fid: Optional[int]) -> None:
        layer = self.layer()
        feature_id = self.link.feature_id(fid) if fid is not None and layer is not None else None
        if not self.large_view.follow(self.canvas, layer, feature_id, labels=not self.audit_mode.active):
            self.show_message(tr("The live map needs the layer the chips were cut from: choose it above."),
                              error=layer is None)

    # -- decisions -----------------------------------------------------------------------------
    def write_back(self) -> bool:
        if self.session is None:
            self.show_message(tr("Open the results of a run first."), error=True)
            return False
        layer = self.layer()
        if layer is None:
            self.show_message(tr("Choose the layer the chips were cut from first."), error=True)
            return False
        if self.link.broken:
            self.show_message(self.link.broken, error=True, bar=True)
            return False
        self.write_button.setEnabled(False)
        try:
            written, text, error = write_with_progress(self, self.session, layer, self.link.field)
        finally:
            self._update_actions()
        self.show_message(text, error=error, bar=True)
        return written

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
            return lambda: self.reviewer.set_class(class_id)
        return {
            keys.CONFIRM: self.reviewer.confirm,
            keys.NEXT_UNREVIEWED: self.reviewer.next_unreviewed,
            keys.FORGET: self.reviewer.forget,
            keys.UNDO: self.reviewer.undo,
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
            self.counter.show_none()
        elif self.audit_mode.active:
            decided, total = self.audit_mode.counter()
            self.counter.show_audit(decided, total, self.audit_mode.counter_text())
        else:
            self.counter.show_review(*self.session.progress(), self._listed)

    def _update_actions(self) -> None:
        self.panel.set_actions(self.session is not None, not self.link.broken)

    def show_message(self, text: str, error: bool = False, bar: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet("color: #c62828;" if error else "")
        if bar and self.iface is not None:
            level = Qgis.MessageLevel.Warning if error else Qgis.MessageLevel.Success
            # whole (QGIS's pushMessage cuts a long sentence mid-line) and as typed (it renders HTML)
            push_message(self.iface.messageBar(), "ChipVLM", text, level, 8)
