"""Finding a run's near-duplicate candidates inside its commit holds bounded state, not every signature of the run.

Inside the commit transaction DuckDB estimates the run's own rows of a DuckLake table at ~0, so joins were built on
them: the band-key join on every (sha, key) row of the run's signatures, the signature look-up on every minhash
(1 KB a row), the stale-signature DELETE on every signature; counting every band key at once was one more hash table
as large. Replaying a 200,000-dump commit, the flow process peaked at +560 MiB for the candidates alone
(benchmarks/commit_memory.py). Here a run's signatures (~45 MB of minhashes, 1.4 million band keys) are linked
under a DuckDB memory limit well below that, without a temporary directory to spill to: any of those hash tables
runs out of memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from schemas.tables import INDEXES, TABLES
from tasks import dedup
from tasks import warehouse as wh
from tasks.dedup import HASH_SCHEME, NUM_PERM, SIGNATURES, band_keys, ensure_signatures, link_duplicates
from tests.tasks.lake import article, run_row

pytestmark = pytest.mark.slow

RUN = "20260102T000000-dddddddd"
ARTICLES = 100_000
EXACT = 40  # the last EXACT articles repeat the bodies of the first ones
NEAR = 25  # articles EXACT.. are near copies of articles NEAR_OFFSET.. (a few minhash values changed)
NEAR_OFFSET = 1_000


def _stage(tmp_path: Path) -> tuple[Path, Path]:
    rng = random.Random(7)
    sigs: list[list[int]] = [[rng.getrandbits(32) for _ in range(NUM_PERM)] for _ in range(ARTICLES - EXACT)]
    shas = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(ARTICLES - EXACT)]
    for i in range(NEAR):  # 2 of 128 values differ: Jaccard estimate ~0.98, and most bands still agree
        sig = list(sigs[NEAR_OFFSET + i])
        sig[0] ^= 1
        sig[64] ^= 1
        sigs[EXACT + i] = sig
    sigs += sigs[:EXACT]
    shas += shas[:EXACT]
    articles, signatures = [], []
    for i, (sig, sha) in enumerate(zip(sigs, shas, strict=True)):
        a = article(f"d{i:06d}-0", "x", content_sha256=sha, run_id=RUN)
        articles.append(a)
        signatures.append({"article_id": a["article_id"], "source_path": a["source_path"], "run_id": RUN,
                           "content_sha256": sha, "minhash": sig, "band_keys": band_keys(sig), "scheme": HASH_SCHEME})
    staged_articles, staged_signatures = tmp_path / "articles.parquet", tmp_path / "signatures.parquet"
    pq.write_table(pa.Table.from_pylist(articles, schema=TABLES["articles"]), staged_articles)
    pq.write_table(pa.Table.from_pylist(signatures, schema=INDEXES[SIGNATURES]), staged_signatures,
                   row_group_size=10_000)
    return staged_articles, staged_signatures


def test_a_runs_candidates_are_found_in_bounded_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    staged_articles, staged_signatures = _stage(tmp_path)
    monkeypatch.setattr(dedup, "KEYS_PER_PART", 200_000)  # 7 parts of the run's 1.4 million band keys
    con = wh.connect(tmp_path / "wh", read_only=False, create=True)
    try:
        wh.ensure_tables(con)
        ensure_signatures(con)
        # The minhashes alone are ~45 MB, the (sha, key) rows more; nothing may spill to disk.
        con.execute("SET temp_directory = ''")
        con.execute("SET memory_limit = '40MB'")
        row = {**run_row(RUN, {"articles": ARTICLES}), "started_at": dt.datetime.now(dt.UTC)}
        _, extras = wh.commit(con, {"articles": [staged_articles], SIGNATURES: [staged_signatures]}, [], row,
                              post_insert=[link_duplicates])
        assert (extras["exact"], extras["near"]) == (EXACT, NEAR)
    finally:
        con.close()


def _candidates(con, keys_per_part: int, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(dedup, "KEYS_PER_PART", keys_per_part)
    return sorted(dedup._run_candidates(con, RUN))


def test_counting_band_keys_in_parts_finds_the_same_candidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, staged_signatures = _stage(tmp_path)
    con = wh.connect(tmp_path / "wh", read_only=False, create=True)
    try:
        ensure_signatures(con)
        con.execute("BEGIN")
        con.execute(f"INSERT INTO lake.{SIGNATURES} BY NAME SELECT * FROM read_parquet('{staged_signatures}')")
        whole = _candidates(con, 10**12, monkeypatch)
        assert len(whole) == NEAR
        assert _candidates(con, 100_000, monkeypatch) == whole  # 14 parts
        assert _candidates(con, 300_000, monkeypatch) == whole  # 5 parts
        con.execute("ROLLBACK")
    finally:
        con.close()


def test_linking_does_not_import_datasketch() -> None:
    """datasketch (and the scipy it imports) cost the committing process ~57 MiB for one Jaccard estimate."""
    code = (
        "import sys; from tasks.dedup import similarity, signature; "
        "a = signature(' '.join(f'w{i}' for i in range(60))); b = list(a); b[3] ^= 1; "
        "assert similarity(a, b) == 127 / 128; assert 'datasketch' not in sys.modules and 'scipy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


def test_similarity_is_datasketchs_jaccard_estimate() -> None:
    from datasketch import LeanMinHash

    from tasks.dedup import SCHEME, SEED, signature, similarity

    rng = random.Random(3)
    words = [f"w{rng.randrange(400)}" for _ in range(300)]
    base = signature(" ".join(words))
    for edits in (0, 5, 30, 120, 300):
        edited = list(words)
        for i in rng.sample(range(len(words)), edits):
            edited[i] = f"x{i}"
        other = signature(" ".join(edited))
        expected = LeanMinHash(seed=SEED, hashvalues=base, scheme=SCHEME).jaccard(
            LeanMinHash(seed=SEED, hashvalues=other, scheme=SCHEME))
        assert similarity(base, other) == expected
    with pytest.raises(ValueError):
        similarity(base, base[:-1])
