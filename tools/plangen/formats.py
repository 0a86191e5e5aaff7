"""One entry point for every rendering of a synthetic plan."""

from __future__ import annotations

from pathlib import Path

from tools.plangen.model import Plan

FORMATS = ("md", "md_cells", "txt", "docx", "pdf", "scan")
DIGITAL = FORMATS[:-1]


def render_plan(plan: Plan, fmt: str, out_dir: Path) -> Path:
    """PLAN written into OUT_DIR in FMT; returns the file (its name carries the format, its suffix the type)."""
    from tools.plangen.render_text import plan_to_markdown, plan_to_text

    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"{plan.name}_{fmt}"
    if fmt in ("md", "md_cells"):
        path = stem.with_suffix(".md")
        path.write_text(plan_to_markdown(plan, cell_lines=fmt == "md_cells"), encoding="utf-8")
    elif fmt == "txt":
        path = stem.with_suffix(".txt")
        path.write_text(plan_to_text(plan), encoding="utf-8")
    elif fmt == "docx":
        from tools.plangen.render_docx import plan_to_docx

        path = stem.with_suffix(".docx")
        plan_to_docx(plan, path)
    elif fmt in ("pdf", "scan", "png"):
        from tools.plangen.render_pdf import pdf_to_scan, plan_to_pdf

        pdf = stem.with_name(f"{plan.name}_pdf.pdf") if fmt == "pdf" else stem.with_name(f"{stem.name}_src.pdf")
        plan_to_pdf(plan, pdf, font="serif" if hash(plan.name) % 2 else "sans")
        if fmt == "pdf":
            return pdf
        path = stem.with_suffix(".png" if fmt == "png" else ".pdf")
        pdf_to_scan(pdf, path, seed=len(plan.gold))
        pdf.unlink()
    else:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    return path
