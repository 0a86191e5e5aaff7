"""Unit names and column cuts in table lines an OCR read with the columns interleaved."""

import textwrap

import pytest

from normalizers.restore import Restorer
from pipeline.columns import CellLine, StreamSplitter, UnitVocabulary, find_unit_chains


@pytest.fixture(scope="module")
def vocab(gaz):
    return UnitVocabulary(gaz, set(Restorer.load().vocab))


def test_a_name_broken_over_three_lines_is_joined(vocab):
    lines = [s.split() for s in ("Thực hiện báo cáo định kỳ Các phòng chuyên",
                                 "hằng quý môn, đơn vị trực",
                                 "thuộc Sở")]
    chains = find_unit_chains(lines, vocab)
    assert [c.text for c in chains] == ["Các phòng chuyên môn, đơn vị trực thuộc Sở"]
    assert chains[0].spans == [(0, 6, 9), (1, 2, 6), (2, 0, 2)]


def test_ocr_broken_names_match_but_real_words_do_not_bend(vocab):
    assert [c.text for c in find_unit_chains([["Céc", "phong", "chuyén", "moén"]], vocab)] == \
        ["Céc phong chuyén moén"]
    assert vocab.word("tuân") is None and vocab.word("moén") == "mon"


def test_a_unit_inside_a_sentence_stays_in_the_sentence(vocab):
    line = "kiện toàn chức năng, nhiệm vụ của Các phòng chuyên môn".split()
    assert find_unit_chains([line], vocab) == []


def test_garbled_list_of_units_is_recognised(vocab):
    assert vocab.looks_like_units("Céc phong chuy&n mon: Giáo dục nghề nghiệp; Người có công".split())
    assert not vocab.looks_like_units("Tham mưu đề xuất cung cấp dịch vụ công trực tuyến".split())


def _interleave(left: str, right: str, lw: int, rw: int) -> list[CellLine]:
    a, b = textwrap.wrap(left, lw), textwrap.wrap(right, rw)
    a += [""] * (len(b) - len(a))
    return [CellLine(f"{x} {y}".split(), numbered=i == 0) for i, (x, y) in enumerate(zip(a, b, strict=False))]


@pytest.mark.parametrize(("left", "right"), [
    ("Hướng dẫn cách kê khai viết thông tin vào các biểu mẫu, tờ khai, đơn của từng TTHC",
     "Tổng hợp danh mục các TTHC có các biểu mẫu cần được hướng dẫn kê khai viết thông tin vào biểu mẫu"),
    ("Triển khai thực hiện một số mô hình trong giải quyết TTHC theo cơ chế một cửa",
     "Đăng tải các nội dung của Thông báo trên Website của Sở và tổ chức quán triệt đến công chức, viên chức"),
])
def test_interleaved_lines_are_cut_back_into_two_columns(left, right):
    lines = _interleave(left, right, 40, 45)
    cuts = StreamSplitter(Restorer.load()).split(lines)
    content = " ".join(w for ln, c in zip(lines, cuts, strict=True) for w in ln.words[:c])
    goal = " ".join(w for ln, c in zip(lines, cuts, strict=True) for w in ln.words[c:])
    assert (content, goal) == (left, right)
