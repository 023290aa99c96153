"""The return PDF: the bundled font embedded as a subset, text extractable, every character checked."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from sample_documents import sample_document

from desktop.io.pdf_return import FONT_NAME, MISSING_MARK, _font_cmap, _Shaper, write_pdf
from desktop.io.return_doc import DocCell, DocRow

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_font_is_embedded_as_a_subset(tmp_path):
    report = write_pdf(sample_document(), tmp_path / "return.pdf")
    data = (tmp_path / "return.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/FontFile2" in data  # TrueType font program embedded
    # Subset fonts are named with a six-letter tag: AAAAAA+WenQuanYiMicroHei…
    assert re.search(rb"/BaseFont /[A-Z]{6}\+WenQuanYiMicroHei", data)
    assert report.pages == 1 and report.missing_chars == []


@needs_pdftotext
def test_text_carries_identity_unit_signers_and_page_numbers(tmp_path):
    write_pdf(sample_document(), tmp_path / "return.pdf")
    text = pdf_text(tmp_path / "return.pdf")
    for expected in (
        "卫生资源汇总年报",
        "鲁卫健统县1表",
        "山东省卫生健康委员会",
        "昌乐县中医院",
        "12370725492167842W",
        "王局长",
        "李统计",
        "张填表",
        "0536-6212345",
        "2025年1月15日",
        "第 1 页，共 1 页",
        "主要逻辑关系",
        "新院区启用",  # the 审核说明 of a failed check travels with the return
        "2.50",
        "61.39",
    ):
        assert expected in text, expected


@needs_pdftotext
def test_long_return_repeats_header_and_numbers_pages(tmp_path):
    report = write_pdf(sample_document(rows=140), tmp_path / "long.pdf")
    assert report.pages >= 3
    pages = pdf_text(tmp_path / "long.pdf").split("\f")
    assert f"第 {report.pages} 页，共 {report.pages} 页" in pages[report.pages - 1]
    for page in pages[1 : report.pages]:
        assert "指标名称" in page and "上年同期" in page  # header rows repeated
        assert "（续表）" in page  # running head on continuation pages


def test_characters_missing_from_the_font_are_marked_and_reported(tmp_path):
    cmap = _font_cmap()
    rare = next(ch for ch in ("𠮷", "𪚥", "\U0002a6a5", "\U00030000") if ord(ch) not in cmap)
    doc = sample_document()
    rows = list(doc.rows)
    rows[0] = DocRow("01", (DocCell(f"卫生技术人员{rare}"), *rows[0].cells[1:]))
    doc = sample_document(
        rows=3, unit_lines=(("统一社会信用代码", "1"), ("单位名称（盖章）", f"{rare}家卫生室"))
    )
    doc = type(doc)(**{**doc.__dict__, "rows": tuple(rows)})
    report = write_pdf(doc, tmp_path / "rare.pdf")
    assert report.missing_chars == [rare]
    if shutil.which("pdftotext"):
        text = pdf_text(tmp_path / "rare.pdf")
        assert f"{MISSING_MARK}家卫生室" in text and rare not in text


def test_shaper_uses_standard_font_for_latin_and_marker_otherwise():
    shaper = _Shaper()
    shaper.cmap = {ord(c) for c in "卫生室12"}  # pretend the font lacks everything else
    runs = shaper.font_runs("卫生室é12𠮷")
    assert runs == [(FONT_NAME, "卫生室"), ("Helvetica", "é"), (FONT_NAME, "12" + MISSING_MARK)]
    assert shaper.missing == ["𠮷"]
    assert shaper.markup("a<b&c") == '<font face="Helvetica">a&lt;b&amp;c</font>'
    assert "\xa0\xa0\xa0" in _Shaper().markup("　　年")  # ideographic spaces survive paragraph layout
