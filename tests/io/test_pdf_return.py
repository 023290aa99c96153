"""The return PDF: the bundled font embedded as a subset, text extractable, every character checked."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

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


DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.mark.skipif(not DEJAVU.is_file(), reason="needs a TrueType font the bundled one does not cover")
def test_rare_characters_use_a_fallback_font_when_the_pc_has_one(tmp_path, monkeypatch):
    """On a Chinese Windows PC SimSun-ExtB covers Extension B; here DejaVu stands in for it, with a
    character outside the Basic Multilingual Plane like 𠮷. It is drawn and embedded, not marked 〓."""
    import desktop.io.pdf_return as pdf_return

    rare = "\U00010300"  # in DejaVu, not in WenQuanYi, beyond U+FFFF like Extension B
    assert ord(rare) not in _font_cmap()
    monkeypatch.setattr(pdf_return, "fallback_font_paths", lambda: [DEJAVU])
    doc = sample_document(unit_lines=(("统一社会信用代码", "1"), ("单位名称（盖章）", f"{rare}家卫生室")))
    doc = type(doc)(**{**doc.__dict__, "metadata": {**doc.metadata, "unit_name": f"{rare}家卫生室"}})
    report = write_pdf(doc, tmp_path / "fallback.pdf")
    assert report.missing_chars == []
    data = (tmp_path / "fallback.pdf").read_bytes()
    assert data.count(b"/FontFile2") >= 2 and re.search(rb"/BaseFont /[A-Z]{6}\+DejaVuSans", data)
    if shutil.which("pdftotext"):
        assert f"{rare}家卫生室" in pdf_text(tmp_path / "fallback.pdf")
    # What no font on the PC has is still marked and reported.
    report = write_pdf(sample_document(title="𠮷家庄镇年报"), tmp_path / "marked.pdf")
    assert report.missing_chars == ["𠮷"]


@needs_pdftotext
def test_narrow_titles_wrap_before_their_unit(tmp_path):
    """Twelve value columns squeeze each title: 任务数（人） must wrap as 任务数 / （人）, never leaving a bracket
    at a line's end or a unit split over two lines."""
    from desktop.io.return_doc import DocColumn

    titles = [("指标名称", "甲"), ("代码", "乙")] + [("任务数（人）", str(i)) for i in range(1, 13)]
    columns = tuple(DocColumn(t, n, numeric=n.isdigit()) for t, n in titles)
    rows = tuple(DocRow(r.code, r.cells[:2] + (DocCell(1, 0),) * 12) for r in sample_document().rows)
    doc = sample_document(columns=columns, checks=())
    write_pdf(type(doc)(**{**doc.__dict__, "rows": rows}), tmp_path / "narrow.pdf")
    lines = [line.strip() for line in pdf_text(tmp_path / "narrow.pdf").splitlines()]
    assert any("（人）" in line for line in lines)
    assert not any(line.endswith("（") or line.startswith("人）") for line in lines)
