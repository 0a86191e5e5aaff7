"""Text renderings of a plan: Markdown with pipe tables, Markdown with one cell per line between `|` lines
(as converters of Word files write it), and plain text (tables as tab-indented cells, one per line)."""

from __future__ import annotations

from tools.plangen.model import Para, Plan, TaskTable


def table_grid(t: TaskTable) -> list[list[str]]:
    """The table as text rows: header rows, the number row, body rows (a merged cell repeated: plain text has
    no merges), the header repeated every `repeat_every` rows as on the pages of a long table."""
    out = [list(r) for r in t.header]
    if t.number_row:
        out.append([f"({i + 1})" for i in range(len(t.roles))])
    last: list[str] = [""] * len(t.roles)
    for i, row in enumerate(t.rows):
        if t.repeat_every and i and i % t.repeat_every == 0:
            out += [list(r) for r in t.header]
        cells = [last[c] if cell.merged_up else cell.text for c, cell in enumerate(row.cells)]
        last = cells
        out.append(cells)
    return out


def para_text(p: Para, markdown: bool, dash: bool = True) -> str:
    text = f"- {p.text}" if p.style == "bullet" and dash else p.text
    if markdown and p.bold and text:
        return f"**{text}**"
    return text


def plan_to_markdown(plan: Plan, cell_lines: bool = False) -> str:
    out: list[str] = []
    for b in plan.blocks:
        if isinstance(b, Para):
            out += [para_text(b, True), ""]
            continue
        grid = table_grid(b)
        if cell_lines:  # "|" alone on a line between cells; a row ends with "|" and the next starts with "|"
            for row in grid:
                out.append("|")
                for cell in row:
                    out += [cell, "|"]
            out.append("")
            continue
        out.append("| " + " | ".join(grid[0]) + " |")
        out.append("|" + "|".join("---" for _ in grid[0]) + "|")
        out += ["| " + " | ".join(r) + " |" for r in grid[1:]]
        out.append("")
    return "\n".join(out) + "\n"


def plan_to_text(plan: Plan) -> str:
    out: list[str] = []
    for b in plan.blocks:
        if isinstance(b, Para):
            out += [para_text(b, False), ""]
            continue
        for row in table_grid(b):
            out += ["\t" + (c or " ") for c in row] + [""]
    return "\n".join(out) + "\n"
