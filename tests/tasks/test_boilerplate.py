"""tasks/boilerplate.py: lines repeated across a folder's dumps are learned; syndicated titles and prose are not."""

from __future__ import annotations

from pathlib import PurePath

from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.boilerplate import LineStats, line_key, scope_of
from tasks.pipeline import process_dump

PARAGRAPHS = [
    "The council approved the new budget on Monday after a debate that lasted more than six hours.",
    "Farmers in the valley said the late frost had damaged most of the apricot blossom this spring.",
    "The museum will reopen its east wing in May after two years of repairs to the leaking roof.",
    "Rail workers agreed to a new contract that raises wages by four percent over the next two years.",
    "A study of river water found fewer plastic particles downstream of the new treatment plant.",
    "The city library has started lending tools, from drills to ladders, to residents with a card.",
]
NAV = "Most popular this week"
TITLE = "Council approves budget after long debate"


def _dump(i: int, extra: list[str]) -> str:
    return "\n\n".join([PARAGRAPHS[i], *extra, PARAGRAPHS[(i + 1) % len(PARAGRAPHS)]])


def test_a_line_in_many_dumps_before_different_text_is_learned() -> None:
    stats = LineStats()
    for i in range(6):
        stats.add(f"/site/a/{i}.txt", _dump(i, [NAV]))
    learned = stats.learn()
    assert line_key(NAV) in learned[scope_of("/site/a/0.txt")]
    assert all(line_key(p) not in learned[scope_of("/site/a/0.txt")] for p in PARAGRAPHS), "prose never learned"


def test_a_syndicated_title_before_the_same_text_is_not_learned() -> None:
    stats = LineStats()
    for i in range(6):
        stats.add(f"/site/b/{i}.txt", "\n\n".join([TITLE, PARAGRAPHS[0], PARAGRAPHS[i]]))
    assert line_key(TITLE) not in stats.learn().get(scope_of("/site/b/0.txt"), frozenset())


def test_too_few_dumps_or_another_folder_learn_nothing() -> None:
    stats = LineStats()
    stats.add("/site/c/1.txt", _dump(0, [NAV]))
    stats.add("/site/c/2.txt", _dump(1, [NAV]))
    stats.add("/site/d/3.txt", _dump(2, [NAV]))
    assert stats.learn() == {}


def test_merge_adds_up_shards() -> None:
    left, right = LineStats(), LineStats()
    for i in range(3):
        left.add(f"/site/e/{i}.txt", _dump(i, [NAV]))
        right.add(f"/site/e/{i + 3}.txt", _dump(i + 3, [NAV]))
    left.merge(right)
    assert left.dumps[scope_of("/site/e/0.txt")] == 6
    assert line_key(NAV) in left.learn()[scope_of("/site/e/0.txt")]


def test_process_dump_removes_learned_lines_mid_body_but_never_prose() -> None:
    text = _dump(0, [NAV])
    plain = process_dump(text.encode(), "/site/a/0.txt")
    assert NAV in plain.articles[0].body  # without learning it reads as a subheading
    learned = frozenset({line_key(NAV), line_key(PARAGRAPHS[0])})
    result = process_dump(text.encode(), "/site/a/0.txt", learned)
    assert NAV not in result.articles[0].body
    assert PARAGRAPHS[0] in result.articles[0].body, "a prose line is never dropped by a generic signal alone"
    nav_line = next(line for line in result.lines if line.text == NAV)
    assert (nav_line.kind, nav_line.rule_id, nav_line.kept) == ("boilerplate", "generic_repeated_across_dumps", False)


def test_edge_fragments_are_removed_but_edge_sentences_kept() -> None:
    text = "\n\n".join(["Home", "Politics", PARAGRAPHS[0], PARAGRAPHS[1], "More from the valley desk", "Thanks for reading."])
    result = process_dump(text.encode(), "/x/edge.txt")
    rules = {line.text: line.rule_id for line in result.lines if line.text}
    assert rules["Home"] == rules["Politics"] == "generic_head_fragment"
    assert result.articles[0].title is None
    assert rules["More from the valley desk"] == "generic_tail_fragment"
    assert "Thanks for reading." in result.articles[0].body


def test_the_scan_reads_a_stable_sample_of_a_large_folder_and_all_of_a_small_one() -> None:
    from tasks.boilerplate import scan_sample
    from tasks.inputs import InputFile

    def entry(path: str) -> InputFile:
        return InputFile(path=path, size=1, mtime=0.0)

    big = [entry(f"/site/big/{i:04d}.txt") for i in range(500)]
    small = [entry(f"/site/small/{i}.txt") for i in range(30)]
    sample = scan_sample(big + small, limit=100)
    assert sum(1 for e in sample if "/big/" in e.path) == 100
    assert [e for e in sample if "/small/" in e.path] == small, "a folder under the limit is read whole"
    again = scan_sample(list(reversed(big)), limit=100)
    assert {e.path for e in again} == {e.path for e in sample if "/big/" in e.path}, "the same files, any order"
    grown = scan_sample([*big, entry("/site/big/new.txt")], limit=100)
    assert len({e.path for e in grown} - {e.path for e in sample}) <= 1, "one new file moves the sample by one"


def test_a_template_line_is_learned_from_the_sample_as_from_the_whole_folder() -> None:
    from tasks.boilerplate import scan_sample
    from tasks.inputs import InputFile

    texts = {f"/site/f/{i:04d}.txt": _dump(i % len(PARAGRAPHS), [NAV] if i % 3 else []) for i in range(600)}
    whole, sampled = LineStats(), LineStats()
    for path, text in texts.items():
        whole.add(path, text)
    for e in scan_sample([InputFile(path=p, size=1, mtime=0.0) for p in texts], limit=200):
        sampled.add(e.path, texts[e.path])
    assert sampled.dumps[scope_of("/site/f/0.txt")] == 200
    assert line_key(NAV) in whole.learn()[scope_of("/site/f/0.txt")]
    assert sampled.learn() == whole.learn()


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["", ".", "..", "a", "b c", ".x", "ü", "\\", "x.txt"]), min_size=1, max_size=6),
       st.booleans())
def test_scope_of_is_the_parent_pathlib_gives(parts: list[str], absolute: bool) -> None:
    """scope_of takes a string shortcut for normal absolute paths; every path gets pathlib's parent."""
    path = ("/" if absolute else "") + "/".join(parts)
    assert scope_of(path) == str(PurePath(path).parent)
