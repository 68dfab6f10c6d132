"""Duplicates, kept and linked: exact copies by body hash, near copies (wire copies with small edits) by MinHash LSH.

Nothing is deleted. Every article carries `dup_cluster_id` (the canonical member's article_id; clusters merge
transitively), `is_canonical` and `dup_kind` ('exact' or 'near': how it relates to its canonical; null for the
canonical itself and for articles without copies).

The LSH index spans the whole warehouse: each article's MinHash and band keys are rows of `article_signatures`,
so a run finds its candidates with one SQL join on band keys against every earlier article, then verifies each
candidate pair with datasketch's Jaccard estimate. The work is linear in the table sizes: pairs are formed per
distinct body (content_sha256), so a thousand identical copies cost one signature and one candidate each.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from schemas.tables import INDEXES

# datasketch is not imported here (with scipy ~0.5 s and ~57 MiB): its layout and permutations are pinned below and
# its Jaccard estimate is one line of numpy (similarity); tests/tasks/test_dedup.py and
# tests/integration/test_memory_candidates.py compare them with datasketch.

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # datasketch's default since 2.0; stored values are read back with this scheme
THRESHOLD = 0.8
# Three-word shingles: on BBC articles wire-style edits (2% of words changed, a paragraph cut, dateline and
# sign-off added) keep a Jaccard >= 0.8 in 92% of copies with 3-grams against 53% with 5-grams, while
# different articles on the same story stay below 0.55 either way.
SHINGLE = 3
# Fewer shingles than this and a few words decide everything: such bodies are linked only when identical.
MIN_SHINGLES = 20
# LSH bands chosen by datasketch for THRESHOLD, weighted towards recall (b=14, r=9: a pair at J=0.8 is a
# candidate 87% of the time, at 0.85 97%); precision comes from verifying every candidate's Jaccard.
LSH_WEIGHTS = (0.1, 0.9)
SIGNATURES = "article_signatures"
# Bounds on what one commit holds at once, so that linking a run does not grow with the run: candidate pairs per
# signature read, article rows per UPDATE.
VERIFY_BATCH = 5_000
UPDATE_BATCH = 2_000
# Band keys counted at once when finding the run's candidate pairs (_run_candidates): ~55 bytes each in DuckDB's
# hash table, so ~30 MB, whatever the size of the run or of the warehouse.
KEYS_PER_PART = 500_000

# One CJK ideograph or kana is a token (those scripts write no spaces); any other run of letters/digits is one.
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_]+")


# datasketch's optimal LSH layout for THRESHOLD, NUM_PERM and LSH_WEIGHTS: b bands of r rows. datasketch finds
# it by numerical integration with scipy, whose import cost every worker ~0.8 s of CPU at each run's start (a
# serial part of the run): pinned here, and tests/tasks/test_dedup.py checks that datasketch still gives it.
LSH_BANDS, LSH_ROWS = 14, 9


@cache
def _bands() -> tuple[tuple[int, int], ...]:
    """(start, end) of each band."""
    return tuple((i * LSH_ROWS, (i + 1) * LSH_ROWS) for i in range(LSH_BANDS))


def _tokens(body: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", body).casefold())


# How a shingle becomes the 32-bit value MinHash permutes, recorded with every signature (article_signatures.scheme):
# signatures of another scheme are not comparable, so they are dropped and recomputed (ensure_signatures).
# 'tok3-b2fmix': each distinct word hashed once (blake2b, cached per process), a shingle's three word hashes
# combined and mixed with murmur3's 64-bit finalizer in numpy. It replaced 'sha1-str' (SHA-1 of each shingle's
# text, datasketch's default), which cost ~1 ms per article in Python calls.
HASH_SCHEME = "tok3-b2fmix"
_TOKEN_CACHE_LIMIT = 100_000  # caches here and below: ~20 MB each per worker when full, cleared then
_token_hashes: dict[str, int] = {}
# The word hashes of each space-separated chunk of a body, remembered: tokens never span a space (it is not a
# letter), and NFKC and case folding of a text split at a space are those of its pieces (a space composes with
# nothing), so a body costs one lookup per chunk instead of normalizing and tokenizing it all (tested).
_CHUNK_CACHE_LIMIT = 50_000
_chunk_hashes: dict[str, tuple[int, ...]] = {}
_M1, _M2 = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)
_P1, _P2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9)


def _word_hash(token: str) -> int:
    h = _token_hashes.get(token)
    if h is None:
        if len(_token_hashes) > _TOKEN_CACHE_LIMIT:
            _token_hashes.clear()
        h = _token_hashes[token] = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little")
    return h


def shingle_hashes(body: str) -> np.ndarray:
    """One 32-bit value per word 3-gram (CJK: character 3-gram) of the NFKC, case-folded body, punctuation
    ignored, as uint64; a body of one or two words is one shingle."""
    known: list[int] = []
    cache = _chunk_hashes
    if len(cache) > _CHUNK_CACHE_LIMIT:
        cache.clear()
    for chunk in body.split(" "):
        found = cache.get(chunk)
        if found is None:
            found = cache[chunk] = tuple(_word_hash(t) for t in _tokens(chunk))
        known += found
    if not known:
        return np.zeros(0, dtype=np.uint64)
    h = np.array(known, dtype=np.uint64)
    if len(h) >= SHINGLE:
        h = h[:-2] * _P1 + h[1:-1] * _P2 + h[2:]  # order matters: 'a b c' is not 'c b a' (uint64 wraps)
    elif len(h) == 2:
        h = h[:1] * _P1 + h[1:]
    h ^= h >> np.uint64(33)  # murmur3 fmix64
    h *= _M1
    h ^= h >> np.uint64(33)
    h *= _M2
    h ^= h >> np.uint64(33)
    return h & np.uint64(0xFFFFFFFF)


def signature(body: str) -> list[int]:
    """The body's MinHash values (NUM_PERM of them, each < 2**32); empty for a body too short to judge, which is
    then linked only to identical bodies. Pure: shard workers may compute it and stage it."""
    values = shingle_hashes(body)
    # Enough distinct shingles? Most bodies show it in their first 200; only the others count them all.
    if len(values) < MIN_SHINGLES or (len(set(values[:200].tolist())) < MIN_SHINGLES
                                      and len(np.unique(values)) < MIN_SHINGLES):  # fmt: skip
        return []
    # datasketch's MinHash.update_batch for the affine32 scheme: murmur3's 32-bit finalizer, then each permutation
    # a*h + b wrapping at 2**32, the minimum per permutation; in C (tasks/kernels.py), else in numpy on the distinct
    # values (the minimum over a repeated value is the same). tests/tasks/test_dedup.py compares both with datasketch.
    a, b = _permutations()
    from tasks import kernels

    if kernels.available():
        return kernels.minhash(values, a, b).tolist()
    h = np.unique(values).astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return (h[:, None] * a + b).min(axis=0).tolist()


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's MinHash permutations for the affine32 scheme (`MinHash._init_permutations`), drawn the same
    way from the same seed without importing datasketch in the workers (tests/tasks/test_dedup.py compares)."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def band_keys(sig: Sequence[int]) -> list[int]:
    """One int64 per LSH band, the band's index mixed in so that keys of different bands never meet."""
    keys = []
    raw = np.asarray(sig, dtype="<u4").tobytes()  # each value as 4 little-endian bytes
    for index, (start, end) in enumerate(_bands() if sig else ()):
        data = index.to_bytes(2, "little") + raw[start * 4 : end * 4]
        keys.append(int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little", signed=True))
    return keys


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """datasketch's Jaccard estimate between two stored signatures (`MinHash.jaccard`: the share of equal values),
    computed here: importing datasketch (and scipy) only for it cost the committing process ~57 MiB."""
    if len(a) != len(b) or not len(a):
        raise ValueError("signatures of different lengths, or empty, have no Jaccard estimate")
    return float(np.count_nonzero(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64))) / float(len(a))


@dataclass(frozen=True)
class Member:
    """An article as clustering sees it; (article_id, source_path) is its key (two files may share a dump id)."""

    article_id: str
    source_path: str
    content_sha256: str
    dup_cluster_id: str | None
    published_date: Any
    origin_kind: str | None
    is_canonical: bool | None = None
    dup_kind: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.article_id, self.source_path)


def canonical_order(m: Member) -> tuple[Any, ...]:
    """Earliest date first (undated last), then an original over a wire copy or repost, then the smallest id."""
    return (m.published_date is None, m.published_date or 0, m.origin_kind != "original", m.article_id, m.source_path)


def clusters(members: Iterable[Member], near_pairs: Iterable[tuple[str, str]], keep_clusters: bool) -> list[list[Member]]:
    """Connected components: same body, verified near pair of bodies, and (keep_clusters) same current cluster."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    members = list(members)
    for m in members:
        union("s:" + m.content_sha256, "s:" + m.content_sha256)
        if keep_clusters and m.dup_cluster_id is not None:
            union("s:" + m.content_sha256, "c:" + m.dup_cluster_id)
    for a, b in near_pairs:
        union("s:" + a, "s:" + b)
    groups: dict[str, list[Member]] = {}
    for m in members:
        groups.setdefault(find("s:" + m.content_sha256), []).append(m)
    return list(groups.values())


def assign(group: Sequence[Member]) -> dict[tuple[str, str], tuple[str, bool, str | None]]:
    """key -> (dup_cluster_id, is_canonical, dup_kind) for every member of one cluster."""
    canon = min(group, key=canonical_order)
    out = {}
    for m in group:
        kind = None if m is canon else "exact" if m.content_sha256 == canon.content_sha256 else "near"
        out[m.key] = (canon.article_id, m is canon, kind)
    return out


def ensure_signatures(con: duckdb.DuckDBPyConnection) -> None:
    """Create lake.article_signatures from its schema when missing (it is an index, not one of TABLES), and drop
    the signatures made with another hash scheme."""
    from tasks.warehouse import duck_type

    schema = INDEXES[SIGNATURES]
    cols = ", ".join(f"{f.name} {duck_type(f.type)}{'' if f.nullable else ' NOT NULL'}" for f in schema)
    con.execute(f"CREATE TABLE IF NOT EXISTS lake.{SIGNATURES} ({cols})")
    have = {r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = 'lake' AND table_name = ?", [SIGNATURES]
    ).fetchall()}
    if "scheme" not in have:  # a warehouse signed before schemes were recorded: those were all 'sha1-str'
        con.execute(f"ALTER TABLE lake.{SIGNATURES} ADD COLUMN scheme VARCHAR")
    # Signatures of another scheme never match this one's: drop them; the commit signs those articles again.
    stale = f"FROM lake.{SIGNATURES} WHERE scheme IS DISTINCT FROM ?"
    if con.execute(f"SELECT count(*) {stale}", [HASH_SCHEME]).fetchone()[0]:  # type: ignore[index]
        con.execute(f"DELETE {stale}", [HASH_SCHEME])


def signature_rows(articles: Iterable[Mapping[str, Any]], run_id: str) -> list[dict[str, Any]]:
    """article_signatures rows for article rows (as tasks/rows.py builds them), one MinHash per distinct body.

    Pure, so shard workers can stage these rows beside the articles and keep the MinHash work out of the commit.
    """
    by_body: dict[str, tuple[list[int], list[int]]] = {}
    out = []
    for a in articles:
        sha = a["content_sha256"]
        if sha not in by_body:
            sig = signature(a["body"])
            by_body[sha] = (sig, band_keys(sig))
        sig, keys = by_body[sha]
        out.append({"article_id": a["article_id"], "source_path": a["source_path"], "run_id": run_id,
                    "content_sha256": sha, "minhash": sig, "band_keys": keys, "scheme": HASH_SCHEME})
    return out


def _missing_signatures(con: duckdb.DuckDBPyConnection, run_id: str) -> pa.Table:
    """Signatures of every article that has none: the run's unless they were staged, and on the first run after
    an upgrade every older article, so that it can be matched from then on."""
    # Keys first, bodies only for them: the body column is most of the warehouse's bytes.
    missing = con.execute(
        f"SELECT a.article_id, a.source_path FROM lake.articles a "
        f"ANTI JOIN lake.{SIGNATURES} s ON s.article_id = a.article_id AND s.source_path = a.source_path"
    ).to_arrow_table()
    if not missing.num_rows:
        return pa.Table.from_pylist([], schema=INDEXES[SIGNATURES])
    con.register("_unsigned", missing)
    cur = con.execute(
        "SELECT a.article_id, a.source_path, a.content_sha256, a.body FROM lake.articles a "
        "SEMI JOIN _unsigned u ON u.article_id = a.article_id AND u.source_path = a.source_path"
    )
    names = [d[0] for d in cur.description]
    articles = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    con.unregister("_unsigned")
    return pa.Table.from_pylist(signature_rows(articles, run_id), schema=INDEXES[SIGNATURES])


def _verified(con: duckdb.DuckDBPyConnection, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The candidate body pairs whose estimated Jaccard reaches THRESHOLD (signatures read VERIFY_BATCH pairs at a
    time: a signature is ~5 KB of Python ints)."""
    out = []
    for i in range(0, len(pairs), VERIFY_BATCH):
        batch = pairs[i : i + VERIFY_BATCH]
        shas = sorted({s for p in batch for s in p})
        with _build_sides_as_written(con):  # else built on every signature of the run (+240 MiB at 200,000 dumps)
            sigs = dict(con.execute(
                f"SELECT content_sha256, any_value(minhash) FROM lake.{SIGNATURES} "
                "WHERE content_sha256 IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1",
                [shas],
            ).fetchall())
        out += [(a, b) for a, b in batch if similarity(sigs[a], sigs[b]) >= THRESHOLD]
    return out


_MEMBER_COLS = "article_id, source_path, content_sha256, dup_cluster_id, published_date, origin_kind, is_canonical, dup_kind"


def _members(con: duckdb.DuckDBPyConnection, where: str, params: list[Any]) -> list[Member]:
    with _build_sides_as_written(con):  # the conditions' subqueries are small, the articles are not
        rows = con.execute(f"SELECT {_MEMBER_COLS} FROM lake.articles WHERE {where}", params).fetchall()
    return [Member(*r) for r in rows]


def _write(con: duckdb.DuckDBPyConnection, groups: Iterable[list[Member]]) -> tuple[int, int]:
    """UPDATE the articles whose cluster, canonical flag or kind changed; returns (rows, clusters) changed."""
    changes = []
    for group in groups:
        assigned = assign(group)
        for m in group:
            cluster_id, canonical, kind = assigned[m.key]
            if (m.dup_cluster_id, m.is_canonical, m.dup_kind) != (cluster_id, canonical, kind):
                changes.append({"article_id": m.article_id, "source_path": m.source_path,
                                "dup_cluster_id": cluster_id, "is_canonical": canonical, "dup_kind": kind})
    for i in range(0, len(changes), UPDATE_BATCH):
        batch = changes[i : i + UPDATE_BATCH]
        con.register("_dup_changes", pa.Table.from_pylist(batch))
        # The ids are also spelled out as constants: DuckDB pushes that filter into the scan of lake.articles, so the
        # join's hash table holds only the rows that change. Without it the join built its table on lake.articles
        # (a DuckLake table written in the same transaction is estimated at ~0 rows): every article of the run,
        # bodies included (+290 MiB at 50,000 dumps).
        ids = ", ".join(sorted({"'" + c["article_id"].replace("'", "''") + "'" for c in batch}))
        con.execute(
            "UPDATE lake.articles a SET dup_cluster_id = c.dup_cluster_id, is_canonical = c.is_canonical, "
            "dup_kind = c.dup_kind FROM _dup_changes c "
            f"WHERE a.article_id = c.article_id AND a.source_path = c.source_path AND a.article_id IN ({ids})"
        )
        con.unregister("_dup_changes")
    return len(changes), len({c["dup_cluster_id"] for c in changes})


@contextlib.contextmanager
def _build_sides_as_written(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Joins build their hash table on the side the query puts on the right, not on the side DuckDB estimates
    smaller: inside the commit a DuckLake table written by the same transaction is estimated at ~0 rows, so the
    join of the run's band keys with its few shared keys was built on every signature row (+330 MiB at 200,000
    dumps) instead of on the shared keys."""
    before = con.execute("SELECT current_setting('disabled_optimizers')").fetchone()[0]  # type: ignore[index]
    disabled = ",".join(x for x in (before, "build_side_probe_side") if x)
    con.execute(f"SET disabled_optimizers = '{disabled}'")
    try:
        yield
    finally:
        con.execute(f"SET disabled_optimizers = '{before}'")


def _run_candidates(con: duckdb.DuckDBPyConnection, run_id: str) -> list[tuple[str, str]]:
    """Candidate pairs of distinct bodies (sha, sha), smaller first, that share a band key, one of them the run's.

    Two steps, so that a commit holds 8-byte keys, and only a bounded share of them at once, not (body hash, key)
    rows of every signature: first the band keys that more than one signature row holds, one of them the run's (a
    superset of the keys two different bodies share: identical bodies share all of theirs), counted in parts of
    about KEYS_PER_PART keys; then the pairs on those keys only. Joining every signature's (sha, key) rows at once,
    as before, peaked at +560 MiB at 200,000 dumps (2.9 million keys), and one count of every key at +160 MiB.
    """
    rows = con.execute(f"SELECT count(*) FROM lake.{SIGNATURES}").fetchone()[0]  # type: ignore[index]
    parts = max(1, -(-int(rows) * LSH_BANDS // KEYS_PER_PART))
    shared = [
        con.execute(
            f"SELECT key FROM (SELECT unnest(band_keys) AS key, run_id = ? AS new FROM lake.{SIGNATURES}) "
            "WHERE (key % ? + ?) % ? = ? GROUP BY key HAVING count(*) > 1 AND bool_or(new)",
            [run_id, parts, parts, parts, part],
        ).to_arrow_table()
        for part in range(parts)
    ]
    keys = pa.concat_tables(shared)
    if not keys.num_rows:
        return []
    con.register("_shared_keys", keys)
    try:
        with _build_sides_as_written(con):
            return con.execute(
                f"""
                WITH hits AS (
                    SELECT DISTINCT sha, key, new FROM (
                        SELECT content_sha256 AS sha, unnest(band_keys) AS key, run_id = ? AS new FROM lake.{SIGNATURES}
                    ) WHERE key IN (SELECT key FROM _shared_keys)
                )
                SELECT DISTINCT least(n.sha, o.sha), greatest(n.sha, o.sha)
                FROM hits n JOIN hits o ON n.key = o.key WHERE n.new AND n.sha <> o.sha
                """,
                [run_id],
            ).fetchall()
    finally:
        con.unregister("_shared_keys")


def _linkable(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """The run's bodies (articles and signatures) whose articles clustering could change.

    Left out: a body that one article alone has, already canonical of its own cluster (as tasks/rows.py stages
    it), a cluster no other article belongs to. Such an article is a component of one; clustering would assign it
    what it has, and leaving it out changes no other component (it shares no body and no cluster with anything).
    Near pairs are added by the caller. This keeps the members read into Python to the run's copies.
    """
    return [r[0] for r in con.execute(
        f"""
        WITH run AS (
            SELECT content_sha256 AS sha FROM lake.articles WHERE run_id = $1
            UNION SELECT content_sha256 FROM lake.{SIGNATURES} WHERE run_id = $1
        ), by_sha AS (
            SELECT content_sha256 AS sha, count(*) AS n, any_value(dup_cluster_id) AS cluster,
                   bool_and(dup_cluster_id IS NOT DISTINCT FROM article_id AND is_canonical IS TRUE
                            AND dup_kind IS NULL) AS alone
            FROM lake.articles WHERE content_sha256 IN (SELECT sha FROM run) GROUP BY 1
        ), shared AS (
            SELECT dup_cluster_id FROM lake.articles
            WHERE dup_cluster_id IN (SELECT cluster FROM by_sha WHERE n = 1 AND alone)
            GROUP BY 1 HAVING count(*) > 1
        )
        SELECT sha FROM by_sha WHERE NOT (n = 1 AND alone) OR cluster IN (SELECT dup_cluster_id FROM shared)
        """,
        [run_id],
    ).fetchall()]


def link_duplicates(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """Link the run's articles to every copy in the warehouse; call inside the commit, after its rows are inserted.

    Articles without a signature (staged ones are used as they are) are signed now and linked with the run's.

    Returns counts: the run's articles that are exact or near copies of their canonical, the clusters that
    changed, and the article rows updated (older runs' rows included when a cluster merged or its canonical moved).
    """
    ensure_signatures(con)
    # A re-ingested file keeps its article ids: its old signatures must not stand in for its new bodies. Only an
    # earlier run's can be stale (the run's own were staged with its articles, from the same rows): without that
    # filter the anti join was built on every signature of the run, +148 MiB at 200,000 dumps.
    con.execute(
        f"DELETE FROM lake.{SIGNATURES} s WHERE s.run_id IS DISTINCT FROM $1 "
        "AND s.source_path IN (SELECT source_path FROM lake.articles WHERE run_id = $1) "
        "AND NOT EXISTS (SELECT 1 FROM lake.articles a WHERE a.article_id = s.article_id "
        "AND a.source_path = s.source_path AND a.content_sha256 = s.content_sha256)",
        [run_id],
    )
    new = _missing_signatures(con, run_id)
    if new.num_rows:
        con.register("_new_signatures", new)
        con.execute(f"INSERT INTO lake.{SIGNATURES} BY NAME SELECT * FROM _new_signatures")
        con.unregister("_new_signatures")
    near = _verified(con, _run_candidates(con, run_id))
    touched = sorted({s for p in near for s in p} | set(_linkable(con, run_id)))
    members = _members(
        con,
        "content_sha256 IN (SELECT unnest($1::VARCHAR[])) OR dup_cluster_id IN "
        "(SELECT dup_cluster_id FROM lake.articles WHERE content_sha256 IN (SELECT unnest($1::VARCHAR[])))",
        [touched],
    )
    groups = clusters(members, near, keep_clusters=True)
    rows, changed = _write(con, groups)
    copies = [{"article_id": a, "source_path": p, "kind": kind}
              for g in groups for (a, p), (_, _, kind) in assign(g).items() if kind is not None]
    counts: dict[str, int] = {}
    if copies:  # how many of the copies are the run's own articles
        con.register("_copies", pa.Table.from_pylist(copies))
        counts = dict(con.execute(
            "SELECT c.kind, count(*) FROM _copies c SEMI JOIN lake.articles a ON a.article_id = c.article_id "
            "AND a.source_path = c.source_path AND a.run_id = ? GROUP BY 1",
            [run_id],
        ).fetchall())
        con.unregister("_copies")
    return {
        "exact": counts.get("exact", 0),
        "near": counts.get("near", 0),
        "clusters_changed": changed,
        "rows_updated": rows,
    }


def forget(con: duckdb.DuckDBPyConnection, source_paths: Iterable[str]) -> dict[str, int]:
    """Drop the signatures of these files and re-link the clusters their articles belonged to, without them.

    Call it in the transaction that deletes those files' articles, BEFORE the DELETE: their cluster ids are read
    from lake.articles. A cluster may split when the copy that joined it goes.
    """
    paths = sorted(set(source_paths))
    ensure_signatures(con)
    if not paths:
        return {"clusters_changed": 0, "rows_updated": 0}
    members = _members(
        con,
        "source_path NOT IN (SELECT unnest($1::VARCHAR[])) AND dup_cluster_id IN (SELECT dup_cluster_id "
        "FROM lake.articles WHERE source_path IN (SELECT unnest($1::VARCHAR[])) AND dup_cluster_id IS NOT NULL)",
        [paths],
    )
    con.execute(f"DELETE FROM lake.{SIGNATURES} WHERE source_path IN (SELECT unnest(?::VARCHAR[]))", [paths])
    shas = sorted({m.content_sha256 for m in members})
    candidates = con.execute(
        f"""
        WITH keys AS (
            SELECT DISTINCT content_sha256 AS sha, unnest(band_keys) AS key FROM lake.{SIGNATURES}
            WHERE content_sha256 IN (SELECT unnest(?::VARCHAR[]))
        )
        SELECT DISTINCT a.sha, b.sha FROM keys a JOIN keys b ON a.key = b.key WHERE a.sha < b.sha
        """,
        [shas],
    ).fetchall()
    rows, changed = _write(con, clusters(members, _verified(con, candidates), keep_clusters=False))
    return {"clusters_changed": changed, "rows_updated": rows}
