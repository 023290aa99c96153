"""A sample ReturnDocument (卫生资源汇总年报 for 昌乐县中医院), written and read back by the io tests."""

from __future__ import annotations

from desktop.io.return_doc import DocCell, DocCheck, DocColumn, DocRow, ReturnDocument

USCC = "12370725492167842W"


def sample_document(rows: int = 3, **extra) -> ReturnDocument:
    """Three rows (a code, a 其中 row with decimals, formula-looking text) padded to `rows`; extra replaces fields."""
    columns = (
        DocColumn("指标名称", "甲", width=12),
        DocColumn("代码", "乙", is_code=True),
        DocColumn("计量单位", "丙", centered=True),
        DocColumn("本年", "1", numeric=True),
        DocColumn("上年同期", "2", numeric=True),
    )
    body = [
        DocRow(
            "01", (DocCell("卫生技术人员"), DocCell("01"), DocCell("人"), DocCell(4580, 0), DocCell(4536, 0))
        ),
        DocRow(
            "01.1",
            (
                DocCell("其中：执业医师", indent=1),
                DocCell("01.1"),
                DocCell("人"),
                DocCell(2.5, 2),
                DocCell(None, 2),
            ),
        ),
        DocRow(
            "02",
            (DocCell("=SUM(A1:A9)"), DocCell("02"), DocCell("+86"), DocCell(-0.04, 1), DocCell(61.385, 2)),
        ),
    ]
    for i in range(3, rows):
        code = f"{i + 1:02d}"
        body.append(
            DocRow(code, (DocCell(f"第{i}项"), DocCell(code), DocCell("个"), DocCell(i, 0), DocCell(i, 0)))
        )
    fields = dict(
        title="卫生资源汇总年报",
        identity=(
            ("表号", "鲁卫健统县1表"),
            ("制定机关", "山东省卫生健康委员会"),
            ("批准机关", "山东省统计局"),
            ("批准文号", "鲁统制〔2024〕18号"),
            ("有效期至", "2027年12月"),
        ),
        unit_lines=(("统一社会信用代码", USCC), ("单位名称（盖章）", "昌乐县中医院")),
        period_label="2024年",
        columns=columns,
        rows=tuple(body),
        signers=(
            ("单位负责人", "王局长"),
            ("统计负责人", "李统计"),
            ("填表人", "张填表"),
            ("联系电话", "0536-6212345"),
            ("报出日期", "2025年1月15日"),
        ),
        notes=("1. 本表由县卫生健康局填报。", "主要逻辑关系：01≥01.1。"),
        checks=(
            DocCheck("ZY02-07", "|变化率(03)| ≤ 15%", "说明性", "实有床位比上年变化超过15%", "新院区启用"),
        ),
        sheet_name="鲁卫健统县1表",
        metadata={"template": "resources-annual", "table_no": "鲁卫健统县1表", "unit_code": "370725-02"},
    )
    fields.update(extra)
    return ReturnDocument(**fields)
