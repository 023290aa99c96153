"""The org-unit tree (county -> township/street -> facility) as a two-column Qt item model.

Built from `store.orgunits.list_org_units` output, so it needs no database to test. Indexes carry the unit id
as their internal id (never a Python object pointer, which PySide6 does not keep alive).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.store.orgunits import OrgUnit

_ROOT_ID = 0
_MUTED = QColor("#6b6b6b")
_FILED_BY = QColor("#8a5a00")

ModelIndex = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()  # default argument for parent indexes (read-only, so one shared instance is fine)


def _tr(text: str) -> str:
    return QCoreApplication.translate("OrgUnitTreeModel", text)


@dataclass(eq=False)
class _Node:
    unit: OrgUnit | None
    parent: _Node | None
    children: list[_Node] = field(default_factory=list)
    row: int = 0


class OrgUnitTreeModel(QAbstractItemModel):
    """Columns: 名称, 类型. 代报 units carry a marker in the type column and say who files for them."""

    COL_NAME = 0
    COL_TYPE = 1
    UnitIdRole = Qt.ItemDataRole.UserRole + 1
    LevelRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._root = _Node(None, None)
        self._nodes: dict[int, _Node] = {}
        self._names: dict[int, str] = {}

    # --- loading -----------------------------------------------------------------------------------------

    def load(self, units: list[OrgUnit]) -> None:
        """Replace the tree. Units whose parent is missing (or that sit in a parent cycle) become roots."""
        self.beginResetModel()
        self._root = _Node(None, None)
        self._nodes = {u.id: _Node(u, None) for u in units}
        self._names = {u.id: u.display_name for u in units}
        for node in self._nodes.values():
            parent_id = node.unit.parent_id
            parent = self._nodes.get(parent_id) if parent_id is not None else None
            node.parent = parent or self._root
        # A damaged file could hold a parent cycle; such units would never be reachable from the root.
        reachable = self._reachable()
        for node in self._nodes.values():
            if node.unit.id not in reachable:
                node.parent = self._root
        order = {u.id: i for i, u in enumerate(units)}
        for node in sorted(self._nodes.values(), key=lambda n: order[n.unit.id]):
            node.row = len(node.parent.children)
            node.parent.children.append(node)
        self.endResetModel()

    def _reachable(self) -> set[int]:
        by_parent: dict[int, list[_Node]] = {}
        for node in self._nodes.values():
            key = node.parent.unit.id if node.parent.unit is not None else _ROOT_ID
            by_parent.setdefault(key, []).append(node)
        seen: set[int] = set()
        stack = [_ROOT_ID]
        while stack:
            for child in by_parent.get(stack.pop(), ()):
                if child.unit.id not in seen:
                    seen.add(child.unit.id)
                    stack.append(child.unit.id)
        return seen

    # --- lookups -----------------------------------------------------------------------------------------

    def unit_at(self, index: ModelIndex) -> OrgUnit | None:
        node = self._node(index)
        return node.unit if node is not None else None

    def index_for_unit(self, unit_id: int, column: int = 0) -> QModelIndex:
        node = self._nodes.get(unit_id)
        if node is None:
            return QModelIndex()
        return self.createIndex(node.row, column, unit_id)

    def filed_by_text(self, unit: OrgUnit) -> str | None:
        """'由 XX 代报' for a unit another unit files for, else None."""
        if unit.filed_by_id is None:
            return None
        filer = self._names.get(unit.filed_by_id, _tr("其他单位"))
        return _tr("由 %1 代报").replace("%1", filer)

    def _node(self, index: ModelIndex) -> _Node | None:
        if not index.isValid():
            return None
        return self._nodes.get(index.internalId())

    # --- QAbstractItemModel ------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: ModelIndex = _NO_PARENT) -> QModelIndex:
        if column < 0 or column >= 2 or row < 0:
            return QModelIndex()
        parent_node = self._node(parent) if parent.isValid() else self._root
        if parent_node is None or row >= len(parent_node.children):
            return QModelIndex()
        return self.createIndex(row, column, parent_node.children[row].unit.id)

    def parent(self, index: ModelIndex = _NO_PARENT) -> QModelIndex:  # type: ignore[override]
        node = self._node(index)
        if node is None or node.parent is None or node.parent.unit is None:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent.unit.id)

    def rowCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        node = self._node(parent) if parent.isValid() else self._root
        return len(node.children) if node is not None else 0

    def columnCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_tr("名称"), _tr("类型"))[section] if section in (0, 1) else None
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        node = self._node(index)
        if node is None:
            return None
        unit = node.unit
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_NAME:
                return unit.display_name
            if unit.filed_by_id is not None:
                return _tr("%1 · 代报").replace("%1", unit.unit_type_name)
            return unit.unit_type_name
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(unit)
        if role == Qt.ItemDataRole.ForegroundRole:
            if unit.closed_on:
                return _MUTED
            if column == self.COL_TYPE:
                return _FILED_BY if unit.filed_by_id is not None else _MUTED
            return None
        if role == self.UnitIdRole:
            return unit.id
        if role == self.LevelRole:
            return unit.level
        return None

    def _tooltip(self, unit: OrgUnit) -> str:
        lines = [unit.name]
        if unit.short_name and unit.short_name != unit.name:
            lines[0] += f"（{unit.short_name}）"
        lines.append(_tr("类型：%1").replace("%1", unit.unit_type_name))
        if unit.admin_code:
            lines.append(_tr("行政区划代码：%1").replace("%1", unit.admin_code))
        if unit.uscc:
            lines.append(_tr("统一社会信用代码：%1").replace("%1", unit.uscc))
        filed_by = self.filed_by_text(unit)
        if filed_by:
            lines.append(filed_by)
        if unit.closed_on:
            lines.append(_tr("已于 %1 撤销").replace("%1", unit.closed_on))
        return "\n".join(lines)
