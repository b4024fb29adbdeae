"""The review dock's widgets, built in code: the run and layer rows, the filters, the counter, the
large view with the class buttons beside or under it, and the chip grid.

`DockLayoutMixin._build` only creates and places widgets (their signals are connected in dock.py);
`_fill_classes` makes one class button per class of the open run's scheme.
"""
from qgis.gui import QgsFieldComboBox, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...compat import integer_field_filter, vector_layer_filter
from ...core.review import (
    SCOPE_ALL,
    SCOPE_ERRORS,
    SCOPE_NEEDS_REVIEW,
    SORT_CLASS,
    SORT_CONFIDENCE,
    SORT_FID,
)
from ...i18n import tr
from .audit_view import SCOPE_AUDIT
from .common import THUMB, plain_tooltip
from .large_view import ChipPreview, LargeView
from .tiles import ChipDelegate, ClassButton


class DockLayoutMixin:
    """Builds the dock's widgets as attributes of the dock (`self.write_button`, `self.view`, ...)."""

    def _build(self) -> None:
        container = QWidget(self)
        self.container = container
        layout = QVBoxLayout(container)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)

        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Run")))
        self.run_edit = QLineEdit()
        self.run_edit.setPlaceholderText(tr("results.sqlite of a run, or its folder"))
        self.run_edit.setToolTip(tr("Type or paste the results.sqlite of a run or its folder and press Enter, "
                                    "or drop one on the dock"))
        row.addWidget(self.run_edit, 1)
        self.open_button = QToolButton()
        self.open_button.setText(tr("Open…"))
        self.open_button.setToolTip(tr("Open the results.sqlite of a run"))
        row.addWidget(self.open_button)
        self.endpoints_button = QToolButton()
        self.endpoints_button.setText(tr("Endpoints…"))
        self.endpoints_button.setToolTip(tr("Add, edit and test the model servers that classify chips"))
        row.addWidget(self.endpoints_button)
        layout.addLayout(row)

        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Layer")))
        self.layer_combo = QgsMapLayerComboBox()
        self.layer_combo.setFilters(vector_layer_filter())
        self.layer_combo.setAllowEmptyLayer(True)
        self.layer_combo.setLayer(None)
        self.layer_combo.setToolTip(tr("The layer the chips were cut from"))
        row.addWidget(self.layer_combo, 2)
        row.addWidget(QLabel(tr("Fid field")))
        self.fid_field_combo = QgsFieldComboBox()
        self.fid_field_combo.setAllowEmptyFieldName(True)
        # chips are named by whole numbers: a text or decimal field cannot be what they were cut with
        self.fid_field_combo.setFilters(integer_field_filter())
        self.fid_field_combo.setToolTip(tr("The field the chips were named by (empty = feature id)"))
        row.addWidget(self.fid_field_combo, 1)
        layout.addLayout(row)

        self.filter_grid = QGridLayout()
        self.filter_grid.setSpacing(4)
        self.scope_combo = QComboBox()
        for text, scope in ((tr("Needs review"), SCOPE_NEEDS_REVIEW), (tr("All results"), SCOPE_ALL),
                            (tr("Errors"), SCOPE_ERRORS)):
            self.scope_combo.addItem(text, scope)
        self.scope_combo.addItem(tr("Audit (blind sample)"), SCOPE_AUDIT)
        self.class_combo = QComboBox()
        self.class_combo.addItem(tr("Any class"), None)
        self.reviewed_combo = QComboBox()
        for text, value in ((tr("Reviewed or not"), None), (tr("Not reviewed"), False), (tr("Reviewed"), True)):
            self.reviewed_combo.addItem(text, value)
        self.sort_combo = QComboBox()
        self.sort_combo.addItem(tr("By fid"), SORT_FID)
        self.sort_combo.addItem(tr("By class"), SORT_CLASS)
        self.sort_combo.addItem(tr("Least sure first"), SORT_CONFIDENCE)
        for combo in (self.scope_combo, self.class_combo, self.reviewed_combo, self.sort_combo):
            # a long entry ("Audit (blind sample of 640)") must not make the dock wider than a side dock
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(4)
        self._place_filters(wide=False)
        layout.addLayout(self.filter_grid)

        row = QHBoxLayout()
        self.fid_edit = QLineEdit()
        self.fid_edit.setPlaceholderText(tr("fids, e.g. 12, 40-45"))
        self.fid_edit.setClearButtonEnabled(True)
        row.addWidget(self.fid_edit, 1)
        self.confidence_spin = QDoubleSpinBox()
        self.confidence_spin.setRange(0, 100)
        self.confidence_spin.setDecimals(0)
        self.confidence_spin.setSingleStep(5)
        self.confidence_spin.setSuffix(" %")
        self.confidence_spin.setPrefix(tr("Conf. < "))
        self.confidence_spin.setSpecialValueText(tr("Conf.: any"))
        self.confidence_spin.setToolTip(tr("List only the results the model was less sure of than this "
                                           "(results without a confidence are left out); 0 = any"))
        self.confidence_spin.setKeyboardTracking(False)
        row.addWidget(self.confidence_spin)
        self.map_selection_button = QPushButton(tr("Map selection"))
        self.map_selection_button.setCheckable(True)
        self.map_selection_button.setToolTip(tr("List only the chips of the features selected on the map"))
        row.addWidget(self.map_selection_button)
        layout.addLayout(row)

        row = QHBoxLayout()
        self.counter_label = QLabel()
        self.counter_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.counter_label.font()
        font.setBold(True)
        self.counter_label.setFont(font)
        self.counter_label.setWordWrap(True)  # a long count must not widen the dock
        row.addWidget(self.counter_label, 1)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p%")
        self.progress.setMaximumWidth(160)
        self.progress.setMaximumHeight(self.counter_label.sizeHint().height())
        self.progress.setToolTip(tr("Reviewed out of needing review"))
        row.addWidget(self.progress)
        layout.addLayout(row)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        # vertical (the chip above the class buttons) until the dock is wide enough for both side by side:
        # so the dock's minimum width is that of the buttons, never chip plus buttons
        top = QSplitter(Qt.Orientation.Vertical)
        top.setChildrenCollapsible(False)
        self.top_splitter = top
        self.preview = ChipPreview()
        self.large_view = LargeView(self.preview)
        top.addWidget(self.large_view)
        side_panel = QWidget()
        side = QVBoxLayout(side_panel)
        side.setContentsMargins(0, 0, 0, 0)
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        self.info_label.setTextFormat(Qt.TextFormat.RichText)
        self.info_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # a fixed box: a longer reason must not re-layout (and rescale) the large view on every chip
        self.info_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.info_label.setFixedHeight(self.info_label.fontMetrics().lineSpacing() * 5 + 4)
        side.addWidget(self.info_label)
        self.class_grid = QGridLayout()
        self.class_grid.setSpacing(3)
        side.addLayout(self.class_grid)
        buttons = QHBoxLayout()
        self.confirm_button = QPushButton(tr("Confirm (Space)"))
        self.confirm_button.setToolTip(tr("Accept the model's class (Space or Enter)"))
        buttons.addWidget(self.confirm_button)
        self.next_button = QPushButton(tr("Next to review (N)"))
        self.next_button.setToolTip(tr("Jump to the next chip not reviewed yet (N or Tab)"))
        buttons.addWidget(self.next_button)
        side.addLayout(buttons)
        buttons = QHBoxLayout()
        self.undo_button = QPushButton(tr("Undo (Ctrl+Z)"))
        buttons.addWidget(self.undo_button)
        self.write_button = QPushButton(tr("Write classes to layer"))
        self.write_button.setToolTip(
            tr("Write the final classes (reviewed, else the model's) into the linked layer")
        )
        buttons.addWidget(self.write_button)
        side.addLayout(buttons)
        side.addStretch(1)
        self.side_panel = side_panel
        top.addWidget(side_panel)
        # every pixel the dock gains goes to the large view
        top.setStretchFactor(0, 1)
        top.setStretchFactor(1, 0)
        splitter.addWidget(top)

        self.view = QListView()
        self.view.setModel(self.model)
        self.chip_delegate = ChipDelegate(self.view)
        self.view.setItemDelegate(self.chip_delegate)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setUniformItemSizes(True)
        self.view.setSpacing(2)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setIconSize(QSize(THUMB, THUMB))
        self.view.setMinimumHeight(THUMB + 50)  # one row: drag the splitter down to give the chip room
        splitter.addWidget(self.view)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

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

        # Review keys work where the focus is on the review, never in a text box. Buttons and filters
        # are for the mouse and take no focus: after a click the keys still go to the chips.
        for widget in (self.scope_combo, self.class_combo, self.reviewed_combo, self.sort_combo,
                       self.confirm_button, self.next_button, self.undo_button, self.write_button,
                       self.map_selection_button, self.open_button, self.endpoints_button):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for widget in (self.view, self.preview, self.confirm_button, self.next_button, self.undo_button,
                       self.write_button, self.map_selection_button):
            widget.installEventFilter(self)

    def _fill_classes(self) -> None:
        while self.class_grid.count():
            item = self.class_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.class_buttons = {}
        current_class = self.class_combo.currentData()
        self.class_combo.blockSignals(True)
        self.class_combo.clear()
        self.class_combo.addItem(tr("Any class"), None)
        for class_id, name in self.session.classes:
            self.class_combo.addItem(f"{class_id} {name}", class_id)
        if current_class is not None and self.class_combo.findData(current_class) >= 0:
            self.class_combo.setCurrentIndex(self.class_combo.findData(current_class))
        self.class_combo.blockSignals(False)
        for position, (class_id, name) in enumerate(self.session.reviewable_classes()):
            key = f"[{class_id}] " if 0 <= class_id <= 9 else ""
            button = ClassButton(f"{key}{name}")
            button.setToolTip(plain_tooltip(tr("Set class {0} {1}").format(class_id, name)))
            button.clicked.connect(lambda _checked=False, cid=class_id: self.set_class(cid))
            button.installEventFilter(self)
            self.class_grid.addWidget(button, position // 2, position % 2)
            self.class_buttons[class_id] = button
