import subprocess
import sys
from pathlib import Path

import pytest

from normalizers.restore import Restorer, restore_lines
from normalizers.text import strip_diacritics

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def r() -> Restorer:
    return Restorer.load()


@pytest.mark.parametrize("stripped, restored", [
    ("Nang cao hieu qua giai quyet thu tuc hanh chinh qua dich vu cong truc tuyen",
     "Nâng cao hiệu quả giải quyết thủ tục hành chính qua dịch vụ công trực tuyến"),
    ("KE HOACH Nang cao Chi so cai cach hanh chinh nam 2021",
     "KẾ HOẠCH Nâng cao Chỉ số cải cách hành chính năm 2021"),
])
def test_stripped_text_gets_its_marks_back(r, stripped, restored):
    assert r.restore_line(stripped).text == restored


def test_english_ocr_confusions_are_repaired(r):
    out = r.restore_line("UBND TINH BPONG THAP  CONG HOA XA HOI CHU NGHIA VIET NAM").text
    assert out == "UBND TỈNH ĐỒNG THÁP  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert r.restore_line("S6: 39 /KH-SLĐTBXH, ngay 09 thang 4 nam 2021").text.startswith("SỐ: 39 /KH-SLĐTBXH, ngày")


def test_codes_numbers_and_spacing_are_kept(r):
    line = "Quyet dinh so 151/QD-UBND-HC  ngay 02/02/2021 cua UBND tinh ve TTHC"
    out = r.restore_line(line).text
    assert "151/QĐ-UBND-HC  ngày 02/02/2021" in out and out.endswith("UBND tỉnh về TTHC")


def test_good_vietnamese_is_left_alone(r):
    line = "Tổ chức quán triệt mục đích, ý nghĩa và kết quả Chỉ số PAR INDEX"
    res = r.restore_line(line)
    assert not res.changed and res.text == line
    assert not r.restore_line("ST T").changed


def test_every_restored_word_has_a_confidence(r):
    res = r.restore_line("thuc hien cac nhiem vu duoc giao")
    assert len(res.confidence) == 7 and all(0 < c <= 1 for c in res.confidence)


def test_restore_command_keeps_the_line_count(tmp_path: Path):
    f = tmp_path / "ocr.txt"
    f.write_text("KE HOACH\n\nThuc hien nhiem vu nam 2021\n   \nUBND tinh Dong Thap\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "pipeline", "restore", str(f)], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.split("\n")[:-1] == ["KẾ HOẠCH", "", "Thực hiện nhiệm vụ năm 2021", "   ", "UBND tỉnh Đồng Tháp"]
    stdin = subprocess.run([sys.executable, "-m", "pipeline", "restore", "-"], input="Van phong So\n",
                           capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert stdin == "Văn phòng Sở\n"


def test_restore_lines_is_line_for_line():
    lines = ["a", "", "Phong Lao dong – Viec lam", "123"]
    assert len(restore_lines(lines)) == 4


NAMES = (ROOT / "tests" / "data" / "restore" / "names.txt").read_text(encoding="utf-8").splitlines()


def test_names_written_correctly_come_back_unchanged():
    assert restore_lines(NAMES) == NAMES


def test_a_name_line_with_its_marks_is_left_alone_even_alone(r):
    marked = [ln for ln in NAMES if not ln.isascii()]
    changed = [ln for ln in marked if r.restore_line(ln).text != ln]
    assert changed == []


def test_a_stray_plain_word_in_correct_text_needs_strong_evidence(r):
    line = "Ủy ban nhân dân tỉnh giao Sở Nội vụ chủ trì, phối hợp với các cơ quan tổ chức thi tuyển"
    assert r.restore_line(line).text == line
    doc = [line, "Ông Nguyễn Văn An, Phó Chủ tịch", "Tin hoc van phong"]
    assert restore_lines(doc)[:2] == doc[:2]


def test_restore_command_converts_legacy_text(tmp_path: Path):
    from normalizers.encodings import from_unicode

    text = "Kế hoạch cải cách hành chính năm 2021 của Sở Lao động – Thương binh và Xã hội"
    for enc, data in (("tcvn3", from_unicode(text, "tcvn3").encode("utf-8")),
                      ("tcvn3 bytes", from_unicode(text, "tcvn3").encode("latin-1")),
                      ("vni", from_unicode(text, "vni").encode("utf-8"))):
        f = tmp_path / "old.txt"
        f.write_bytes(data + b"\n")
        out = subprocess.run([sys.executable, "-m", "pipeline", "restore", str(f)], capture_output=True, text=True,
                             cwd=ROOT, check=True).stdout
        assert out == text + "\n", enc
def test_marked_words_stay_when_a_line_needs_restoring(r):
    # written with ơ ư ị, letters an English-model OCR cannot produce: the plain words around them are
    # restored, they are not touched
    out = r.restore_line("Doan cong tac cua tinh ve lam viec tai huyen Mường Khương va xa Thịnh").text
    assert out == "Đoàn công tác của tỉnh về làm việc tại huyện Mường Khương và xã Thịnh"




def _register_place_names() -> list[str]:
    from normalizers.register import load_register

    kinds = ("Tỉnh ", "Thành phố ", "Quận ", "Huyện ", "Thị xã ", "Thị trấn ", "Xã ", "Phường ", "Đặc khu ")
    names = {next((e.name[len(k):] for k in kinds if e.name.lower().startswith(k.lower())), e.name)
             for e in load_register() if e.is_place}
    return sorted(n for n in names if len(n.split()) >= 2 and all(w.isalpha() for w in n.split()))


PLACES = _register_place_names()


def test_plain_letter_register_names_stay_as_written(r):
    plain = [n for n in PLACES if n.isascii()]
    assert plain  # the register has names written without marks (Si Ma Cai)
    for name in plain:
        assert r.restore_line(name).text == name
        assert restore_lines([name]) == [name]
        assert r.restore_line(f"Uy ban nhan dan huyen {name} ban hanh ke hoach").text.endswith(
            f"huyện {name} ban hành kế hoạch")


def test_stripped_register_names_take_the_register_spelling(r):
    by_skeleton: dict[str, set[str]] = {}
    for n in PLACES:
        by_skeleton.setdefault(strip_diacritics(n).lower(), set()).add(n)
    unique = [n for n in PLACES if not n.isascii() and len(by_skeleton[strip_diacritics(n).lower()]) == 1]
    for name in unique[::40]:
        out = r.restore_line(f"Doan cong tac lam viec tai {strip_diacritics(name)} trong nam").text.split()
        assert " ".join(out[6:-2]) == name


def test_place_names_in_headings_in_capitals_are_decoded_as_words(r):
    # 'HOA XA' spells a commune, but in a heading in capitals it is 'HÒA XÃ' of CỘNG HÒA XÃ HỘI
    assert r.restore_line("CONG HOA XA HOI CHU NGHIA VIET NAM").text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_decoding_does_not_depend_on_what_the_memos_hold(monkeypatch):
    import normalizers.restore as restore_module

    lines = ["Thuc hien cac nhiem vu duoc giao tai huyen Muong Khuong", "UBND tinh giao So Noi vu chu tri",
             "Cac phong ban thuoc So thuc hien nhiem vu", "Nang cao chat luong dich vu cong truc tuyen"]
    expected = restore_lines(lines)
    monkeypatch.setattr(restore_module, "MEMO_SIZE", 3)  # memos start afresh all the time
    assert restore_lines(lines) == expected
    assert [restore_lines([ln])[0] for ln in reversed(lines)] == expected[::-1]


def test_english_ocr_misreadings_are_read_back_through_the_learned_channel(r):
    # 'gidm' for 'giám': the English model's reading of á as 'd' is in the learned table, not in the rules
    out = r.restore_line("Tang cuéng cong tac kiém tra, gidm sat viéc thuc hién cia cac co quan").text
    assert out == "Tăng cường công tác kiểm tra, giám sát việc thực hiện của các cơ quan"
