"""The OCR channel's training pairs: words aligned by their mark-less skeletons, pages rendered and degraded."""

from __future__ import annotations

import random

import numpy as np
from PIL import ImageFont

from tools.build_ocr_channel import aligned_pairs, degrade, font_file, render_page, wrap


def test_words_align_by_skeleton_and_letter_errors_drop_out():
    truth = "Ủy ban nhân dân tỉnh yêu cầu các sở tổ chức thực hiện."
    read = "Uy ban nhân dân tĩnh yêu câu các sớ tô chuc thục hiện"
    pairs = aligned_pairs(truth, read)
    assert ("tỉnh", "tĩnh") in pairs and ("cầu", "câu") in pairs and ("tổ", "tô") in pairs
    assert ("hiện", "hiện") in pairs  # punctuation is not part of the word
    assert all(len(t) == len(r) for t, r in pairs)


def test_lines_wrap_within_the_width():
    font = ImageFont.truetype(font_file("Liberation Serif"), 40)
    lines = wrap("các cơ quan đơn vị có liên quan chủ động phối hợp tổ chức thực hiện " * 3, font, 600)
    assert len(lines) > 2 and all(font.getlength(ln) <= 600 for ln in lines)


def test_a_rendered_page_carries_its_text_and_is_read_at_300_dpi_or_its_own():
    paras = iter(["Các cơ quan, đơn vị có liên quan chủ động phối hợp tổ chức thực hiện kế hoạch này."] * 200)
    img, text, dpi = render_page(paras, random.Random(3))
    assert "phối hợp" in text and img.width == int(8.27 * dpi)
    gray = degrade(img, dpi, random.Random(3))
    assert gray.ndim == 2 and gray.dtype == np.uint8
    assert gray.shape[1] in (img.width, round(img.width * 300 / dpi))
