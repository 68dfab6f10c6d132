"""Duplicate detection's pure parts: shingles, signatures, band keys, clusters and the canonical choice."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.dedup import (
    MIN_SHINGLES,
    NUM_PERM,
    THRESHOLD,
    Member,
    assign,
    band_keys,
    clusters,
    shingle_hashes,
    signature,
    similarity,
)

# A wire story, a syndicated copy with a subeditor's changes, and another agency's report of the same event:
# same place, same figures, same official quoted — a different article that must stay apart.
WIRE = """A magnitude 6.1 earthquake struck off the southern coast of Portugal early on Tuesday, shaking buildings \
in the Algarve and sending residents into the streets, the country's civil protection agency said.

There were no immediate reports of deaths. Three people were treated in hospital in Faro for minor injuries \
and several older houses in Lagos and Portimão suffered cracked walls and fallen roof tiles, officials said.

The quake hit at 4:12 a.m. local time at a depth of 10 kilometres, about 90 kilometres southwest of Cape \
St. Vincent, according to the Portuguese Institute for Sea and Atmosphere. It was felt as far away as \
Lisbon and Seville.

"It was long and strong, the whole bed was moving," said Maria Santos, a hotel worker in Albufeira. \
"Everybody ran outside in their pyjamas."

Civil protection commander André Fernandes told reporters that teams were inspecting schools and bridges \
and that classes would go ahead as normal on Wednesday. "We have no indication of serious structural \
damage at this time," he said.

The region sits near the boundary between the African and Eurasian plates. The 1755 Lisbon earthquake, \
one of the deadliest in European history, had its origin in the same offshore zone."""

WIRE_COPY = "LISBON (Reuters) - " + WIRE.replace("early on Tuesday", "early Tuesday").replace(
    "several older houses", "a number of older homes"
).replace("told reporters", "said") + "\n\n(Reporting by Ana Ribeiro; Editing by Mark Potter)"

SAME_TOPIC = """Residents of the Algarve spent the night outdoors on Tuesday after a strong earthquake centred in \
the Atlantic rattled southern Portugal, damaging old buildings but causing no deaths.

The Portuguese Institute for Sea and Atmosphere put the magnitude at 6.1 and said the epicentre lay some \
90 kilometres off Cape St. Vincent. Tremors were reported in Lisbon, in Seville and as far as Morocco.

In Faro, three people needed hospital treatment for cuts and bruises. In Lagos, firefighters cordoned off a \
street where a chimney had collapsed onto parked cars, and the town hall opened a sports hall for families \
afraid to go back inside.

"We have no indication of serious structural damage at this time," civil protection commander André \
Fernandes said at a news conference in Faro, adding that engineers would check schools before Wednesday.

Seismologists said aftershocks were likely over the coming days. Portugal's worst recorded disaster, the \
earthquake and tsunami of 1755, began in the same stretch of ocean and destroyed much of Lisbon."""


def test_shingles_are_word_trigrams_of_normalized_text() -> None:
    values = shingle_hashes("The  Quick, brown FOX jumps!").tolist()
    assert values == shingle_hashes("the quick brown fox jumps").tolist(), "case, punctuation and spacing ignored"
    assert len(values) == 3 and len(set(values)) == 3 and all(0 <= v < 2**32 for v in values)
    assert shingle_hashes("brown quick the fox jumps").tolist()[1:] != values[1:], "word order matters"
    assert values[1:] == shingle_hashes("A quick brown fox jumps").tolist()[1:], "a shingle is its three words"
    assert len(shingle_hashes("Hi there")) == 1
    assert len(shingle_hashes("")) == 0


def test_cjk_shingles_are_character_trigrams() -> None:
    assert shingle_hashes("北京时间今天").tolist()[1:] == shingle_hashes("南京时间今天").tolist()[1:]
    assert len(shingle_hashes("北京时间今天")) == 4


def test_signature_is_deterministic_and_empty_for_short_bodies() -> None:
    sig = signature(WIRE)
    assert len(sig) == NUM_PERM and all(0 <= v < 2**32 for v in sig)
    assert sig == signature(WIRE)
    assert signature("Too short to judge: a few words only.") == []
    assert len(set(shingle_hashes(WIRE).tolist())) >= MIN_SHINGLES


def test_wire_copy_is_near_and_same_topic_article_is_not() -> None:
    assert similarity(signature(WIRE), signature(WIRE_COPY)) >= THRESHOLD
    assert similarity(signature(WIRE), signature(SAME_TOPIC)) < 0.2


def test_band_keys_meet_for_near_copies_only() -> None:
    wire, copy, other = (set(band_keys(signature(t))) for t in (WIRE, WIRE_COPY, SAME_TOPIC))
    assert len(wire) == len(band_keys(signature(WIRE))) > 1
    assert wire & copy
    assert not wire & other
    assert band_keys([]) == []


def _m(article_id: str, sha: str, cluster: str | None = None, date: dt.date | None = None, kind: str | None = None) -> Member:
    return Member(article_id, f"/d/{article_id}.txt", sha, cluster or article_id, date, kind)


def test_clusters_merge_transitively_through_bodies_pairs_and_current_clusters() -> None:
    a, b, c, d, e = _m("a", "s1"), _m("b", "s1"), _m("c", "s2"), _m("d", "s3", cluster="x"), _m("e", "s4", cluster="x")
    groups = clusters([a, b, c, d, e], [("s2", "s1")], keep_clusters=True)
    assert sorted(sorted(m.article_id for m in g) for g in groups) == [["a", "b", "c"], ["d", "e"]]
    groups = clusters([a, b, c, d, e], [("s2", "s1")], keep_clusters=False)
    assert len(groups) == 3  # d and e apart: nothing but their old cluster joined them


def test_canonical_is_earliest_then_original_then_smallest_id() -> None:
    early = _m("z", "s1", date=dt.date(2024, 1, 1), kind="wire_copy")
    later_original = _m("a", "s2", date=dt.date(2024, 1, 2), kind="original")
    undated = _m("0", "s1")
    out = assign([later_original, undated, early])
    assert out[early.key] == ("z", True, None)
    assert out[undated.key] == ("z", False, "exact")
    assert out[later_original.key] == ("z", False, "near")
    same_day = [_m("b", "s1", date=dt.date(2024, 1, 1), kind="wire_copy"), _m("c", "s1", date=dt.date(2024, 1, 1), kind="original")]
    assert assign(same_day)[same_day[1].key][1] is True
    assert assign([_m("q", "s9")])[("q", "/d/q.txt")] == ("q", True, None)


def _datasketch_signature(body: str) -> list[int]:
    """The signature as datasketch's own MinHash computes it from the same shingle values."""
    import numpy as np
    from datasketch import MinHash

    from tasks.dedup import MIN_SHINGLES, NUM_PERM, SCHEME, SEED, shingle_hashes

    values = shingle_hashes(body)
    if len(np.unique(values)) < MIN_SHINGLES:
        return []
    m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=int)  # datasketch draws its own permutations
    m.update_batch(values.tolist())
    return [int(v) for v in m.hashvalues]


def test_signature_is_datasketchs_minhash_of_the_shingles() -> None:
    from tests.generated import generated_news

    bodies = [WIRE, WIRE_COPY, SAME_TOPIC, "word " * 40, "漢字かな" * 30, *generated_news()]
    assert sum(bool(signature(b)) for b in bodies) > 50
    for body in bodies:
        assert signature(body) == _datasketch_signature(body), body[:80]


def test_band_keys_hash_each_band_as_little_endian_values() -> None:
    """The keys stored in article_signatures: blake2b of the band's index and its values, 4 bytes each."""
    import hashlib

    from tasks.dedup import _bands

    sig = signature(WIRE)
    want = []
    for index, (start, end) in enumerate(_bands()):
        data = index.to_bytes(2, "little") + b"".join(v.to_bytes(4, "little") for v in sig[start:end])
        want.append(int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little", signed=True))
    assert band_keys(sig) == want
    assert band_keys([]) == []


def _reference_shingle_hashes(body: str):  # type: ignore[no-untyped-def]
    """shingle_hashes without the per-chunk cache: the whole body normalized, case-folded and tokenized at once."""
    import unicodedata

    import numpy as np

    from tasks.dedup import _M1, _M2, _P1, _P2, _TOKEN, _word_hash

    tokens = _TOKEN.findall(unicodedata.normalize("NFKC", body).casefold())
    if not tokens:
        return np.zeros(0, dtype=np.uint64)
    h = np.array([_word_hash(t) for t in tokens], dtype=np.uint64)
    if len(h) >= 3:
        h = h[:-2] * _P1 + h[1:-1] * _P2 + h[2:]
    elif len(h) == 2:
        h = h[:1] * _P1 + h[1:]
    h ^= h >> np.uint64(33)
    h *= _M1
    h ^= h >> np.uint64(33)
    h *= _M2
    h ^= h >> np.uint64(33)
    return h & np.uint64(0xFFFFFFFF)


_AWKWARD = list("aB ,.\n\u00a0\u0301\u00b4\ufb01\u2460\u1100\u1161\u11a8가漢字あアΣς\u2474\ufdfa\u0345İı\u3000_-'")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_AWKWARD), max_size=40).map("".join))
def test_shingles_by_chunk_are_the_shingles_of_the_whole_body(body: str) -> None:
    """Combining marks, compatibility characters, Hangul jamo and CJK around spaces: the cache by space-separated
    chunk changes nothing."""
    import numpy as np

    assert np.array_equal(shingle_hashes(body), _reference_shingle_hashes(body))
    assert np.array_equal(shingle_hashes(body + " " + body), _reference_shingle_hashes(body + " " + body))


def test_shingles_by_chunk_on_generated_news() -> None:
    import numpy as np

    from tests.generated import generated_news

    for body in generated_news():
        assert np.array_equal(shingle_hashes(body), _reference_shingle_hashes(body))


def test_the_pinned_lsh_layout_and_permutations_are_datasketchs() -> None:
    """Workers do not import datasketch (scipy): the band layout and the permutations it would give are pinned
    or drawn here the same way. A change of THRESHOLD, NUM_PERM or the weights fails this test."""
    import numpy as np
    from datasketch import MinHash, MinHashLSH

    from tasks.dedup import LSH_BANDS, LSH_ROWS, LSH_WEIGHTS, SCHEME, SEED, _permutations

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
    assert (lsh.b, lsh.r) == (LSH_BANDS, LSH_ROWS)
    a, b = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
    mine_a, mine_b = _permutations()
    assert np.array_equal(a, mine_a) and np.array_equal(b, mine_b) and mine_a.dtype == a.dtype
