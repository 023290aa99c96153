"""Where a denominator comes from: a count, an estimate (population × rate, with the rate's source and year) or a
task quota. For an estimate the value is computed as the clerk types, and saved with its formula and source, so
anyone reading the return later can redo the arithmetic.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from desktop.ops.forms import PopulationBase
from desktop.ui.entry.dialogs import _FormDialog
from desktop.ui.qt_setup import chinese_locale

_FORMULA = re.compile(r"\s*(.+?)\s*[×xX*]\s*([0-9.]+)\s*[%％]\s*")
_YEAR = re.compile(r"(19|20)\d{2}")


@dataclass(frozen=True)
class ProvenanceChoice:
    provenance: str  # count / estimate / quota
    formula: str | None
    source: str | None
    value: int | None  # the computed estimate (None: keep the stored value)


class ProvenanceDialog(_FormDialog):
    def __init__(
        self,
        what: str,
        *,
        bases: list[PopulationBase],
        provenance: str | None = None,
        formula: str | None = None,
        source: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("分母来源"), what, parent)
        self._locale = chinese_locale()
        self._bases = bases
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 46)
        self.count_radio = QRadioButton(self.tr("实际计数（登记、系统统计）"))
        self.estimate_radio = QRadioButton(self.tr("估算：人口 × 患病率（或比例）"))
        self.quota_radio = QRadioButton(self.tr("任务数（上级下达）"))
        self._group = QButtonGroup(self)
        for radio in (self.count_radio, self.estimate_radio, self.quota_radio):
            self._group.addButton(radio)
            self.form.addRow(radio)

        self.estimate_box = QGroupBox(self.tr("估算"))
        box = QHBoxLayout()
        self.base_combo = QComboBox()
        for base in bases:
            shown = base.name if base.value is None else f"{base.name}（{self._fmt(base.value)}）"
            self.base_combo.addItem(shown, base.element_code)
        self.base_combo.addItem(self.tr("其他（手工填写基数）"), None)
        self.base_edit = QLineEdit()
        self.base_edit.setPlaceholderText(self.tr("基数"))
        self.rate_edit = QLineEdit()
        self.rate_edit.setPlaceholderText("25.2")
        self.rate_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 8)
        box.addWidget(self.base_combo, 2)
        box.addWidget(self.base_edit, 1)
        box.addWidget(QLabel("×"))
        box.addWidget(self.rate_edit)
        box.addWidget(QLabel("%"))
        self.estimate_box.setLayout(box)
        self.form.addRow(self.estimate_box)
        self.result_label = QLabel()
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(self.tr("估算值："), self.result_label)

        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText(self.tr("如：中国居民营养与慢性病状况报告 / 市卫健委任务文件"))
        self.year_edit = QLineEdit()
        self.year_edit.setPlaceholderText("2015")
        self.year_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 8)
        source_row = QHBoxLayout()
        source_row.addWidget(self.source_edit, 1)
        source_row.addWidget(QLabel(self.tr("年份：")))
        source_row.addWidget(self.year_edit)
        self.form.addRow(self.tr("来源(&S)："), source_row)

        self._prefill(provenance, formula, source)
        for signal in (
            self._group.buttonToggled,
            self.base_combo.currentIndexChanged,
            self.base_edit.textChanged,
            self.rate_edit.textChanged,
        ):
            signal.connect(self._update)
        self.base_combo.currentIndexChanged.connect(self._base_chosen)
        self._update()

    def _fmt(self, number: float) -> str:
        return (
            self._locale.toString(int(number))
            if float(number).is_integer()
            else self._locale.toString(number)
        )

    def _prefill(self, provenance: str | None, formula: str | None, source: str | None) -> None:
        {"estimate": self.estimate_radio, "quota": self.quota_radio}.get(
            provenance or "", self.count_radio
        ).setChecked(True)
        if source:
            year = _YEAR.search(source)
            self.year_edit.setText(year.group() if year else "")
            self.source_edit.setText(source)
        match = _FORMULA.fullmatch(formula or "")
        chosen = 0
        if match:
            self.rate_edit.setText(match.group(2))
            names = [b.name for b in self._bases]
            if match.group(1) in names:
                chosen = names.index(match.group(1))
        self.base_combo.setCurrentIndex(chosen)
        self._base_chosen()

    def _base_chosen(self) -> None:
        index = self.base_combo.currentIndex()
        if 0 <= index < len(self._bases) and self._bases[index].value is not None:
            self.base_edit.setText(str(int(self._bases[index].value)))  # type: ignore[arg-type]

    def _base_name(self) -> str:
        index = self.base_combo.currentIndex()
        return self._bases[index].name if 0 <= index < len(self._bases) else self.tr("基数")

    def _rate_text(self) -> str:
        # A clerk typing in full-width mode gets ２５．２ (or adds a % sign): read it as 25.2.
        return unicodedata.normalize("NFKC", self.rate_edit.text()).strip().removesuffix("%").strip()

    def _numbers(self) -> tuple[float, float] | None:
        try:
            base_text = unicodedata.normalize("NFKC", self.base_edit.text())
            base = float(base_text.replace(",", "").strip())
            rate = float(self._rate_text())
        except ValueError:
            return None
        if not (math.isfinite(base) and math.isfinite(rate)) or base < 0 or not 0 < rate <= 100:
            return None
        return base, rate

    def estimate(self) -> int | None:
        numbers = self._numbers()
        if numbers is None:
            return None
        # 四舍五入, as the statisticians round; float round() would send 0.5 to the even neighbour.
        exact = Decimal(repr(numbers[0])) * Decimal(repr(numbers[1])) / 100
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def _update(self) -> None:
        estimating = self.estimate_radio.isChecked()
        self.estimate_box.setEnabled(estimating)
        self.result_label.setEnabled(estimating)
        value = self.estimate()
        if not estimating:
            self.result_label.setText(self.tr("（不是估算数）"))
        elif value is None:
            self.result_label.setText(self.tr("请填写基数和比例（0–100%）"))
        else:
            numbers = self._numbers()
            assert numbers is not None
            self.result_label.setText(
                f"{self._fmt(numbers[0])} × {self._rate_text()}% = <b>{self._fmt(value)}</b>"
            )

    def choice(self) -> ProvenanceChoice:
        source = self.source_edit.text().strip()
        year = self.year_edit.text().strip()
        if source and year and year not in source:
            source = f"{source}（{year}年）"
        if self.estimate_radio.isChecked():
            formula = f"{self._base_name()} × {self._rate_text()}%"
            return ProvenanceChoice("estimate", formula, source or None, self.estimate())
        kind = "quota" if self.quota_radio.isChecked() else "count"
        return ProvenanceChoice(kind, None, source or None, None)

    def problem(self) -> str | None:
        if self.estimate_radio.isChecked():
            if self.estimate() is None:
                return self.tr("估算须有基数和比例（比例在 0–100% 之间）")
            if not self.source_edit.text().strip():
                return self.tr("请写明比例的来源（如某年的调查报告）")
        if self.quota_radio.isChecked() and not self.source_edit.text().strip():
            return self.tr("请写明任务数的来源（下达任务的文件或单位）")
        return None
