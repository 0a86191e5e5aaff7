from pathlib import Path

import docx

from extractors.docx import docx_to_doc
from extractors.model import Line, TableBlock
from normalizers.encodings import from_unicode


def _upper_font(text: str) -> str:
    """How a .VnTimeH document stores capitals: the plain letters upper-case, the marked ones on the
    lower-case TCVN3 codes (the font draws them as capitals)."""
    return "".join(c.upper() if c.isascii() else c for c in from_unicode(text.lower(), "tcvn3"))


def test_runs_in_legacy_fonts_are_converted(tmp_path: Path):
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run(from_unicode("Kế hoạch của Sở ", "tcvn3")).font.name = ".VnTime"
    p.add_run(_upper_font("ban hành quy định")).font.name = ".VnTimeH"
    p.add_run(" về đào tạo")
    d.add_paragraph().add_run(from_unicode("Người đứng đầu cơ quan", "vni")).font.name = "VNI-Times"
    d.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0].add_run(from_unicode("Sở Tài chính", "tcvn3")).font.name \
        = ".VnTime"
    d.save(tmp_path / "old.docx")
    items = docx_to_doc(tmp_path / "old.docx").items
    lines = [i.text for i in items if isinstance(i, Line)]
    assert lines == ["Kế hoạch của Sở BAN HÀNH QUY ĐỊNH về đào tạo", "Người đứng đầu cơ quan"]
    assert next(i for i in items if isinstance(i, TableBlock)).rows == [["Sở Tài chính"]]


def test_unicode_runs_are_left_alone(tmp_path: Path):
    d = docx.Document()
    d.add_paragraph().add_run("Thủ trưởng các sở, ban, ngành tỉnh").font.name = "Times New Roman"
    d.save(tmp_path / "new.docx")
    assert [i.text for i in docx_to_doc(tmp_path / "new.docx").items] == ["Thủ trưởng các sở, ban, ngành tỉnh"]
