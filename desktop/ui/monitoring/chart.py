"""IndicatorChart: one indicator's values over the years against its plan targets (pyqtgraph).

Drawn: the actual values (line and points), the baseline (a star), each milestone's target as a line — or as
a band for 左右/区间 targets — over the years leading to it, and the path needed to reach the targets as a
dashed line (compound where the rules measure growth in %, straight otherwise). Years read `2024年` on the axis;
numbers never get SI prefixes (k, M): large ones read 万 and 亿. Hovering a point shows its exact value.

This module imports pyqtgraph, so only import it when a chart is wanted (MonitoringPage does so lazily).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QStandardPaths, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPen
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop.ops.monitoring import IndicatorProgress, required_path
from desktop.ui.monitoring.style import format_compact, format_value, status_foreground, status_label, tr
from desktop.ui.qt_setup import chinese_locale

ACTUAL = QColor("#1f5fa8")
BASELINE = QColor("#e08a00")
TARGET = QColor("#2e7d32")
BAND = QColor(46, 125, 50, 45)
PATH = QColor("#6b8e6b")
AXIS = QColor("#555555")
HOVER_PIXELS = 12


class YearAxis(pg.AxisItem):
    """Whole years only, written `2024年`."""

    def tickValues(self, minVal, maxVal, size):
        first, last = math.ceil(minVal), math.floor(maxVal)
        if last < first:
            return []
        span = last - first
        step = 1 if span <= 12 else 2 if span <= 24 else 5
        years = [y for y in range(first, last + 1) if y % step == 0 or step == 1]
        return [(step, years)]

    def tickStrings(self, values, scale, spacing):
        return [f"{round(v)}年" for v in values]


class NumberAxis(pg.AxisItem):
    """Plain numbers, 万/亿 for large ones; never k/M."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        return [format_compact(v * scale, spacing * scale) for v in values]


class IndicatorChart(QWidget):
    """A titled chart of one IndicatorProgress row. set_progress() draws; export_png() saves what is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._locale = chinese_locale()
        self._row: IndicatorProgress | None = None
        self._points: list[tuple[float, float, str]] = []  # (x, y, tooltip) of everything hoverable
        self.last_tooltip = ""

        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.title.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setStyleSheet("color: #555555;")
        self.subtitle.setWordWrap(True)

        font = QFont(QApplication.font())
        self.plot_widget = pg.PlotWidget(
            axisItems={"bottom": YearAxis(orientation="bottom"), "left": NumberAxis(orientation="left")},
            background="w",
        )
        self.plot_widget.setAccessibleName(tr("指标趋势图"))
        self.plot_widget.setMinimumHeight(220)
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.showGrid(x=False, y=True, alpha=0.15)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(AXIS))
            axis.setTextPen(pg.mkPen(AXIS))
            axis.setTickFont(font)
        self.plot.getViewBox().setMouseEnabled(x=False, y=False)
        self.plot_widget.scene().sigMouseMoved.connect(self._on_mouse_moved)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.plot_widget, 1)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), QColor("white"))
        self.setPalette(palette)

    # --- drawing ---------------------------------------------------------------------------------------------

    def _fmt(self, value: float, decimals: int, unit: str) -> str:
        text = format_value(value, decimals, self._locale)
        if not unit:
            return text
        if unit in ("%", "‰"):
            return text + unit
        return text + (unit[1:] if unit.startswith("1/") else f" {unit}")

    def set_progress(self, row: IndicatorProgress, place: str = "", year: int | None = None) -> None:
        """Draw row (an IndicatorProgress from ops.monitoring) for place (a unit name) as of year."""
        self._row = row
        self._points = []
        self.plot.clear()
        # One row across the top left: clear of the target labels, which sit at the right end of their lines.
        legend = self.plot.legend or self.plot.addLegend(offset=(8, 4), labelTextColor=AXIS, colCount=6)
        legend.clear()
        unit, decimals = row.unit, row.decimals
        headline = row.headline
        self.title.setText(f"{row.name}" + (f"（{unit}）" if unit else "") + (f" — {place}" if place else ""))
        status = status_label(row.status)
        colour = status_foreground(row.status).name()
        self.subtitle.setText(f"<span style='color:{colour}; font-weight:bold'>{status}</span>　{row.reason}")
        self.plot.setLabel("left", unit or "")
        xs: list[float] = []
        ys: list[float] = []

        path = required_path(row)
        if path:
            self.plot.plot(
                [p[0] for p in path],
                [p[1] for p in path],
                pen=pg.mkPen(PATH, width=2, style=Qt.PenStyle.DashLine),
                name=tr("达标所需路径"),
            )
            ys += [p[1] for p in path]

        start = row.baseline_year or (row.series[0][0] if row.series else None)
        named_target = named_band = False
        trend_labels: list[tuple[int, str]] = []
        for milestone in sorted(row.milestones, key=lambda m: m.year):
            ev = milestone.evaluation
            left = (start if start is not None and start < milestone.year else milestone.year - 1) - 0.3
            right = milestone.year + 0.3
            label = f"{milestone.year}年目标 {milestone.raw}（{milestone.threshold_text}）"
            if ev.bound == "between" and ev.threshold is not None and ev.threshold_max is not None:
                low = self.plot.plot(
                    [left, right], [ev.threshold, ev.threshold], pen=pg.mkPen(TARGET, width=1)
                )
                high = self.plot.plot(
                    [left, right], [ev.threshold_max, ev.threshold_max], pen=pg.mkPen(TARGET, width=1)
                )
                self.plot.addItem(pg.FillBetweenItem(low, high, brush=pg.mkBrush(BAND)))
                if not named_band:  # the legend cannot draw a fill item: a broad translucent line stands in
                    legend.addItem(pg.PlotDataItem(pen=pg.mkPen(BAND, width=10)), tr("目标区间"))
                    named_band = True
                middle = (ev.threshold + ev.threshold_max) / 2
                self._points.append((milestone.year, middle, label))
                ys += [ev.threshold, ev.threshold_max]
            elif ev.bound in ("at_least", "at_most") and ev.threshold is not None:
                self.plot.plot(
                    [left, right],
                    [ev.threshold, ev.threshold],
                    pen=pg.mkPen(TARGET, width=2.5),
                    name=None if named_target else tr("目标"),
                )
                named_target = True
                self._points.append((milestone.year, ev.threshold, label))
                ys.append(ev.threshold)
            else:
                if ev.bound == "trend":  # no number to draw: mark the year and say what the plan asks for
                    marker = pg.InfiniteLine(
                        pos=milestone.year, angle=90, pen=pg.mkPen(TARGET, width=1, style=Qt.PenStyle.DotLine)
                    )
                    self.plot.addItem(marker)
                    trend_labels.append(
                        (milestone.year, f"{milestone.year}年目标：{milestone.threshold_text}")
                    )
                    xs.append(milestone.year)
                continue
            xs += [left, right]
            anchor = (1, 1) if ev.bound != "at_most" else (1, 0)
            text = pg.TextItem(f"{milestone.year}年 {milestone.threshold_text}", color=TARGET, anchor=anchor)
            text.setFont(QFont(QApplication.font()))
            text.setPos(right, ev.threshold_max if ev.bound == "between" else ev.threshold)
            self.plot.addItem(text)

        if row.series:
            years = [p[0] for p in row.series]
            values = [p[1] for p in row.series]
            self.plot.plot(
                years,
                values,
                pen=pg.mkPen(ACTUAL, width=2.5),
                symbol="o",
                symbolSize=8,
                symbolBrush=pg.mkBrush(ACTUAL),
                symbolPen=pg.mkPen("w", width=1),
                name=tr("实际值"),
            )
            for y, v in row.series:
                partial = f"（部分汇总：{row.coverage[y]}）" if y in row.coverage else ""
                self._points.append((y, v, f"{y}年：{self._fmt(v, decimals, unit)}{partial}"))
            xs += years
            ys += values
        if row.baseline_value is not None and row.baseline_year is not None:
            star = pg.ScatterPlotItem(
                [row.baseline_year],
                [row.baseline_value],
                symbol="star",
                size=18,
                brush=pg.mkBrush(BASELINE),
                pen=pg.mkPen("w", width=1),
            )
            self.plot.addItem(star)
            legend.addItem(star, tr("基期值"))
            source = tr("（规划基期值）") if row.baseline_source == "plan" else tr("（实际数据）")
            self._points.append(
                (
                    row.baseline_year,
                    row.baseline_value,
                    f"{tr('基期')} {row.baseline_year}年：{self._fmt(row.baseline_value, decimals, unit)}{source}",
                )
            )
            xs.append(row.baseline_year)
            ys.append(row.baseline_value)
        if year is not None:
            xs.append(year)
        if headline is not None:
            xs.append(headline.year)
        if row.baseline_year is not None:
            xs.append(row.baseline_year)
        self._set_ranges(xs, ys)
        top = self.plot.getViewBox().viewRange()[1][1]
        for x, text in trend_labels:
            label = pg.TextItem(text, color=TARGET, anchor=(1.02, 0))
            label.setFont(QFont(QApplication.font()))
            label.setPos(x, top)
            self.plot.addItem(label)
        self.plot.getAxis("left").setStyle(showValues=bool(row.series or ys))
        if not row.series:
            (x0, x1), (y0, y1) = self.plot.getViewBox().viewRange()
            empty = pg.TextItem(tr("暂无数据"), color=AXIS, anchor=(0.5, 0.5))
            empty.setFont(QFont(QApplication.font()))
            empty.setPos((x0 + x1) / 2, (y0 + y1) / 2)
            self.plot.addItem(empty)

    def _set_ranges(self, xs: list[float], ys: list[float]) -> None:
        if not xs:
            self.plot.setXRange(2020, 2025, padding=0.05)
        else:
            # Less than a year beyond the last drawn point: an empty "2026年" tick invites a question.
            self.plot.setXRange(min(xs) - 0.5, max(xs) + 0.6, padding=0)
        if ys:
            low, high = min(ys), max(ys)
            span = high - low or max(abs(high) * 0.1, 1.0)
            bottom = low - span * 0.15
            if low >= 0 and bottom < 0:
                bottom = 0  # rates and counts are never negative: do not invent an axis below zero
            self.plot.setYRange(bottom, high + span * 0.35, padding=0)  # room for the legend row on top

    # --- hover and export ------------------------------------------------------------------------------------

    def tooltip_near(self, scene_pos: QPointF) -> str:
        """The tooltip of the drawn point nearest scene_pos within a few pixels, or ''."""
        view = self.plot.getViewBox()
        best, best_distance = "", float(HOVER_PIXELS)
        for x, y, tip in self._points:
            point = view.mapViewToScene(QPointF(x, y))
            distance = math.hypot(point.x() - scene_pos.x(), point.y() - scene_pos.y())
            if distance <= best_distance:
                best, best_distance = tip, distance
        return best

    def point_scene_pos(self, x: float, y: float) -> QPointF:
        return self.plot.getViewBox().mapViewToScene(QPointF(x, y))

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        tip = self.tooltip_near(scene_pos)
        self.last_tooltip = tip
        if tip:
            global_pos = self.plot_widget.mapToGlobal(self.plot_widget.mapFromScene(scene_pos))
            QToolTip.showText(global_pos, tip, self.plot_widget)
        else:
            QToolTip.hideText()

    def to_image(self) -> QImage:
        """The chart as shown (title, explanation and plot) as an image."""
        return self.grab().toImage()

    def export_png(self, path: Path | str) -> Path:
        """Save the chart as a PNG file; raises OSError with a Chinese message if it cannot be written."""
        path = Path(path)
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        if not self.to_image().save(str(path), "PNG"):
            raise OSError(f"无法写入图片文件“{path}”（文件夹是否存在、是否有写入权限？）")
        return path


def pen_style_of(item) -> Qt.PenStyle:
    """The pen style of a plotted curve (used by tests to find the dashed required path)."""
    pen: QPen = item.opts["pen"]
    return pen.style()


class ChartPanel(QWidget):
    """The chart with its two buttons (export PNG, close), as the monitoring page shows it under the table."""

    closed = Signal()
    exported = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = IndicatorChart(self)
        self._file_stem = "指标趋势图"
        self.export_button = QPushButton(tr("导出图片(&E)…"))
        self.export_button.setToolTip(tr("把图表保存为 PNG 图片，可插入 Word/WPS 汇报材料"))
        self.export_button.clicked.connect(self.choose_and_export)
        self.close_button = QPushButton(tr("关闭图表"))
        self.close_button.clicked.connect(self._close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chart, 1)
        layout.addLayout(buttons)

    def show_row(self, row: IndicatorProgress, place: str, year: int) -> None:
        self.chart.set_progress(row, place, year)
        safe = re.sub(r'[\\/:*?"<>|\s]+', "_", f"{row.name}_{place}_{year}年")
        self._file_stem = safe.strip("_")[:80] or "指标趋势图"

    def export_to(self, path: Path | str) -> Path:
        saved = self.chart.export_png(path)
        self.exported.emit(str(saved))
        return saved

    def choose_and_export(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getSaveFileName(
            self, tr("导出图表"), str(Path(folder) / f"{self._file_stem}.png"), tr("PNG 图片 (*.png)")
        )
        if not path:
            return
        try:
            self.export_to(path)
        except OSError as exc:
            QMessageBox.warning(self, tr("导出失败"), str(exc))

    def _close(self) -> None:
        self.hide()
        self.closed.emit()
