"""Data elements (what can be recorded) and data sets (forms: ordered rows of elements)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from desktop.store.db import insert_row


@dataclass(frozen=True)
class DataElement:
    id: int
    code: str
    name: str
    short_name: str | None
    unit: str | None
    value_type: str
    decimals: int
    min_value: float | None
    max_value: float | None
    aggregation: str
    description: str | None


@dataclass(frozen=True)
class DataSet:
    id: int
    code: str
    name: str
    period_type: str
    deadline: str | None
    description: str | None


@dataclass(frozen=True)
class DataSetRow:
    id: int
    data_set_id: int
    row_code: str
    label: str
    element_id: int | None
    element_code: str | None
    unit: str | None
    parent_row_id: int | None
    section: str | None
    required: bool
    sort_order: int
    depth: int  # 0 for a top row, 1 for a 其中 row under it …


_ELEMENT_COLUMNS = (
    "id, code, name, short_name, unit, value_type, decimals, min_value, max_value, aggregation, description"
)
_SET_COLUMNS = "id, code, name, period_type, deadline, description"


def insert_data_element(conn: sqlite3.Connection, **fields: Any) -> int:
    """Insert a data element (code, name, value_type required) and return its id."""
    return insert_row(conn, "data_element", fields)


def insert_data_set(
    conn: sqlite3.Connection, *, unit_types: list[str] | tuple[str, ...] = (), **fields: Any
) -> int:
    """Insert a data set with the unit types that fill it, and return its id."""
    data_set_id = insert_row(conn, "data_set", fields)
    conn.executemany(
        "INSERT INTO data_set_unit_type (data_set_id, unit_type) VALUES (?, ?)",
        [(data_set_id, t) for t in unit_types],
    )
    return data_set_id


def insert_data_set_row(conn: sqlite3.Connection, **fields: Any) -> int:
    """Insert a form row (data_set_id, row_code, label, sort_order required) and return its id."""
    return insert_row(conn, "data_set_row", fields)


def get_element(conn: sqlite3.Connection, element_id: int) -> DataElement | None:
    row = conn.execute(f"SELECT {_ELEMENT_COLUMNS} FROM data_element WHERE id = ?", (element_id,)).fetchone()
    return DataElement(**dict(row)) if row else None


def get_element_by_code(conn: sqlite3.Connection, code: str) -> DataElement | None:
    row = conn.execute(f"SELECT {_ELEMENT_COLUMNS} FROM data_element WHERE code = ?", (code,)).fetchone()
    return DataElement(**dict(row)) if row else None


def list_elements(conn: sqlite3.Connection) -> list[DataElement]:
    return [
        DataElement(**dict(r))
        for r in conn.execute(f"SELECT {_ELEMENT_COLUMNS} FROM data_element ORDER BY code")
    ]


def element_ids_by_code(conn: sqlite3.Connection) -> dict[str, int]:
    return {r[0]: r[1] for r in conn.execute("SELECT code, id FROM data_element")}


def list_data_sets(conn: sqlite3.Connection) -> list[DataSet]:
    return [DataSet(**dict(r)) for r in conn.execute(f"SELECT {_SET_COLUMNS} FROM data_set ORDER BY code")]


def get_data_set_by_code(conn: sqlite3.Connection, code: str) -> DataSet | None:
    row = conn.execute(f"SELECT {_SET_COLUMNS} FROM data_set WHERE code = ?", (code,)).fetchone()
    return DataSet(**dict(row)) if row else None


def list_data_set_unit_types(conn: sqlite3.Connection, data_set_id: int) -> list[str]:
    rows = conn.execute(
        "SELECT unit_type FROM data_set_unit_type WHERE data_set_id = ? ORDER BY unit_type", (data_set_id,)
    )
    return [r[0] for r in rows]


def list_data_set_rows(conn: sqlite3.Connection, data_set_id: int) -> list[DataSetRow]:
    """The form's rows in order, each with its nesting depth (其中 rows are one deeper than their parent)."""
    rows = conn.execute(
        """SELECT r.id, r.data_set_id, r.row_code, r.label, r.element_id, e.code AS element_code, e.unit,
                  r.parent_row_id, r.section, r.required, r.sort_order
           FROM data_set_row r LEFT JOIN data_element e ON e.id = r.element_id
           WHERE r.data_set_id = ? ORDER BY r.sort_order""",
        (data_set_id,),
    ).fetchall()
    parent_of = {r["id"]: r["parent_row_id"] for r in rows}
    result = []
    for r in rows:
        depth, parent = 0, r["parent_row_id"]
        while parent is not None and depth < 10:
            depth, parent = depth + 1, parent_of.get(parent)
        result.append(DataSetRow(**{**dict(r), "required": bool(r["required"])}, depth=depth))
    return result
