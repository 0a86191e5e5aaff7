from pathlib import Path

import pytest

from normalizers.channel import Channel, Lexicon, read_counts, write_counts
from normalizers.restore import ENG_CHANNEL

# a small channel: ư is read as w a third of the time, ơ as ¢ now and then, đ as p in capitals
COUNTS = {("ư", "u"): 60, ("ư", "w"): 30, ("ư", ""): 2, ("ơ", "o"): 80, ("ơ", "¢"): 10, ("ờ", "o"): 40,
          ("đ", "d"): 90, ("đ", "p"): 8, ("n", "n"): 100, ("g", "g"): 100, ("c", "c"): 100, ("o", "o"): 200,
          ("u", "u"): 200, ("t", "t"): 100, ("h", "h"): 100}


@pytest.fixture(scope="module")
def channel() -> Channel:
    return Channel(COUNTS)


def test_a_seen_reading_scores_above_an_unseen_one(channel):
    assert channel.logp("dwoc", "đươc") > channel.logp("dxoc", "đươc")
    assert channel.logp("nguoi", "nguơi") < 0


def test_a_rare_letter_borrows_the_readings_of_its_toneless_family(channel):
    # ờ was never seen read as ¢, but ơ was: better than a reading no letter of the family had
    assert channel.logp("¢", "ờ") > channel.logp("x", "ờ")


def test_readings_are_words_of_the_lexicon_best_first(channel):
    lex = Lexicon.of(["thương", "thuong", "đường", "tuông"])
    found = channel.readings("thwong", lex)
    assert found and found[0][0] == "thương"
    assert {w for w, _ in found} <= {"thương", "thuong", "đường", "tuông"}
    assert [lp for _, lp in found] == sorted((lp for _, lp in found), reverse=True)
    assert channel.readings("xyz", lex) == []


def test_alignment_pairs_each_letter_with_what_was_read(channel):
    assert channel.alignment("Pwoc", "Đươc") == [("đ", "p"), ("ư", "w"), ("ơ", "o"), ("c", "c")]


def test_the_table_round_trips(tmp_path: Path):
    path = tmp_path / "channel.tsv"
    write_counts(path, COUNTS, "a test table\nsecond line")
    assert read_counts(path) == COUNTS
    assert Channel.load(path).logp("w", "ư") == Channel(COUNTS).logp("w", "ư")


def test_the_learned_english_ocr_table_knows_its_classic_misreadings():
    ch = Channel.load(ENG_CHANNEL)
    for read, word in (("dugc", "được"), ("cia", "của"), ("nhiing", "những")):
        assert ch.logp(read, word) > ch.logp(read, "xxxx"[:len(word)])
        assert ch.logp(read, word) > -8
