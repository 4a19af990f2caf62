"""Alignment on block lists with known truth: each pair and each warning's exact text."""

from __future__ import annotations

import pytest

from zhpress.bilingual.align import Block, Marker, MarkerError, align, find_markers, markers_by_block, warnings

ZH, EN = "chapters/01-salt.md", "chapters/01-salt.en.md"


def para(length: int, line: int, notes: int = 0, translators_note: bool = False) -> Block:
    return Block("paragraph", length, line, notes, translators_note)


def head(line: int) -> Block:
    return Block("heading", 6, line)


def figure(line: int) -> Block:
    return Block("figure", 10, line)


def shapes(pairs: list) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(p.translation, p.original) for p in pairs]


# The original: a heading and five paragraphs of varied length (English characters); the
# translation is about a third as long, block for block.
ORIGINAL = [head(5), para(300, 7), para(180, 9), para(420, 11), para(240, 13), para(330, 15)]
TRANSLATION = [head(3), para(100, 5), para(62, 7), para(138, 9), para(82, 11), para(108, 13)]


def test_equal_counts_pair_one_to_one_without_warnings():
    pairs = align(TRANSLATION, ORIGINAL)
    assert shapes(pairs) == [((i,), (i,)) for i in range(6)]
    assert warnings(pairs, TRANSLATION, ORIGINAL, ZH, EN) == []


def test_a_split_pairs_two_with_one_and_the_pair_after_it_stays_right():
    # The translator split the 420-character paragraph into two of 70 and 68 characters.
    translation = [head(3), para(100, 5), para(62, 7), para(70, 9), para(68, 11), para(82, 13), para(108, 15)]
    pairs = align(translation, ORIGINAL)
    assert shapes(pairs) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3, 4), (3,)), ((5,), (4,)), ((6,), (5,))]
    assert warnings(pairs, translation, ORIGINAL, ZH, EN) == [
        f"{ZH}:9: warning: [B002] 2 paragraphs here pair with 1 in the original ({EN}:11)"]


def test_a_merge_pairs_one_with_two():
    # The translator merged the 180- and 420-character paragraphs into one of 200.
    translation = [head(3), para(100, 5), para(200, 7), para(82, 9), para(108, 11)]
    pairs = align(translation, ORIGINAL)
    assert shapes(pairs) == [((0,), (0,)), ((1,), (1,)), ((2,), (2, 3)), ((3,), (4,)), ((4,), (5,))]
    assert warnings(pairs, translation, ORIGINAL, ZH, EN) == [
        f"{ZH}:7: warning: [B002] 1 paragraph here pairs with 2 in the original ({EN}:9)"]


def test_a_paragraph_missing_from_the_translation():
    translation = [head(3), para(100, 5), para(138, 7), para(82, 9), para(108, 11)]  # no 180
    pairs = align(translation, ORIGINAL)
    assert shapes(pairs) == [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), (3,)), ((3,), (4,)), ((4,), (5,))]
    assert warnings(pairs, translation, ORIGINAL, ZH, EN) == [
        f"{ZH}:7: warning: [B004] 1 paragraph of the original is not translated here ({EN}:9)"]


def test_a_translators_note_paragraph_has_no_original():
    translation = [head(3), para(100, 5), para(62, 7), para(45, 9, translators_note=True), para(138, 11),
                   para(82, 13), para(108, 15)]
    pairs = align(translation, ORIGINAL)
    assert shapes(pairs) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), ()), ((4,), (3,)), ((5,), (4,)),
                             ((6,), (5,))]
    assert warnings(pairs, translation, ORIGINAL, ZH, EN) == [
        f"{ZH}:9: warning: [B003] 1 paragraph here has no original (after {EN}:9)"]


def test_figures_and_footnote_calls_anchor_the_pairs():
    # A figure and a paragraph with a note on each side; the paragraph before the figure split.
    original = [para(300, 3), figure(5), para(240, 7, notes=1), para(330, 9)]
    translation = [para(52, 3), para(48, 5), figure(7), para(80, 9, notes=1), para(110, 11)]
    pairs = align(translation, original)
    assert shapes(pairs) == [((0, 1), (0,)), ((2,), (1,)), ((3,), (2,)), ((4,), (3,))]


def test_a_heading_never_pairs_with_a_paragraph():
    original = [para(300, 3), head(5), para(240, 7)]
    translation = [para(100, 3), para(80, 5)]  # the heading left out
    pairs = align(translation, original)
    assert shapes(pairs) == [((0,), (0,)), ((), (1,)), ((1,), (2,))]
    assert warnings(pairs, translation, original, ZH, EN) == [
        f"{ZH}:5: warning: [B004] 1 heading of the original is not translated here ({EN}:5)"]


def test_a_marker_confirms_the_pair_it_stands_before():
    translation = [head(3), para(100, 5), para(62, 7), para(70, 10), para(68, 12), para(82, 14), para(108, 16)]
    markers = markers_by_block([Marker(9)], translation)
    pairs = align(translation, ORIGINAL, markers)
    assert shapes(pairs)[3] == ((3, 4), (3,)) and pairs[3].confirmed
    assert warnings(pairs, translation, ORIGINAL, ZH, EN) == []


def test_a_marker_with_a_shape_decides_the_pairing():
    # Alignment would pair the 200 with two; the translator says it is the first one alone,
    # and the second was left untranslated.
    translation = [head(3), para(100, 5), para(200, 8), para(82, 10), para(108, 12)]
    markers = markers_by_block([Marker(7, (1, 1)), Marker(9, (0, 1))], translation)
    pairs = align(translation, ORIGINAL, markers)
    assert shapes(pairs) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((), (3,)), ((3,), (4,)), ((4,), (5,))]
    assert all(p.confirmed for p in pairs[2:4])
    assert warnings(pairs, translation, ORIGINAL, ZH, EN) == []


def test_untranslated_blocks_at_the_end_are_reported_at_the_last_block():
    translation = [head(3), para(100, 5), para(62, 7), para(138, 9), para(82, 11)]
    pairs = align(translation, ORIGINAL)
    assert shapes(pairs)[-1] == ((), (5,))
    assert warnings(pairs, translation, ORIGINAL, ZH, EN) == [
        f"{ZH}:11: warning: [B004] 1 paragraph of the original is not translated here ({EN}:15)"]


def test_markers_are_read_with_their_lines():
    text = "甲。\n\n<!-- pair -->\n乙。\n\n<!--pair 2:1-->\n丙。\n<!-- pair 0:1 -->\n"
    assert find_markers(text, line_offset=4) == [Marker(7), Marker(10, (2, 1)), Marker(12, (0, 1))]


@pytest.mark.parametrize("marker", ["<!-- pair 2-1 -->", "<!-- pair 0:0 -->", "<!-- pairs -->"])
def test_a_malformed_marker_names_its_line(marker):
    if marker == "<!-- pairs -->":  # not a marker at all: another comment
        assert find_markers(f"甲。\n\n{marker}\n") == []
        return
    with pytest.raises(MarkerError) as caught:
        find_markers(f"甲。\n\n{marker}\n", line_offset=2)
    assert caught.value.line == 5


def test_markers_asking_for_more_blocks_than_there_are_are_an_error():
    translation = [head(3), para(100, 5), para(62, 8)]
    with pytest.raises(MarkerError) as caught:
        align(translation, ORIGINAL[:3], markers_by_block([Marker(7, (1, 4))], translation))
    assert caught.value.line == 7
