"""A warehouse you can trust: incremental runs, pruning, reprocessing, time travel, readers during commits, one
writer at a time. Real Prefect (local mode), real DuckLake."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from tasks import warehouse as wh

pytestmark = pytest.mark.slow

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _ingest(source: Path, warehouse: Path, **options) -> dict:
    from flows.ingest import IngestConfig, ingest

    return ingest(IngestConfig(sources=[str(source)], warehouse=str(warehouse), workers=2, **options))


def _rows(warehouse: Path, sql: str, **at) -> list[tuple]:
    con = wh.connect(warehouse, read_only=True, **at)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    src = tmp_path / "dumps"
    shutil.copytree(SAMPLES, src)
    return src


def test_runs_do_only_new_work_and_prune_on_request(prefect_local, corpus: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh"
    first = _ingest(corpus, warehouse)
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    assert first["dumps"] + first["rejects"] == len(files)

    again = _ingest(corpus, warehouse)
    assert (again["dumps"], again["rejects"], again["files_skipped"]) == (0, 0, len(files))

    changed = next(p for p in files if p.suffix == ".txt" and "101_" in p.name)
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more paragraph written after the first run.\n",
                       encoding="utf-8")
    added = corpus / "added" / "new_dump.txt"
    added.parent.mkdir()
    added.write_text("A brand new story\n\nIt arrived after the first run and carries enough words to be kept as "
                     "an article by the pipeline.\n", encoding="utf-8")
    deleted = next(p for p in files if p != changed and p.suffix == ".txt")
    deleted_path = str(deleted.resolve())
    deleted.unlink()
    before_prune = _rows(warehouse, "SELECT max(snapshot_id) FROM snapshots()")[0][0]

    third = _ingest(corpus, warehouse)
    assert (third["dumps"] + third["rejects"], third["pruned"]) == (2, 0)
    assert _rows(warehouse, f"SELECT count(*) FROM dumps WHERE source_path = '{deleted_path}'") == [(1,)]
    counts = _rows(warehouse, "SELECT source_path, count(*) FROM dumps GROUP BY 1 HAVING count(*) > 1")
    assert counts == [], "a changed file must replace its rows, not add to them"
    body = _rows(warehouse, f"SELECT string_agg(body, ' ') FROM articles WHERE source_path = '{changed.resolve()}'")
    assert "One more paragraph" in body[0][0]

    fourth = _ingest(corpus, warehouse, prune=True)
    assert fourth["pruned"] == 1
    for table in ("dumps", "articles", "removed_lines"):
        assert _rows(warehouse, f"SELECT count(*) FROM {table} WHERE source_path = '{deleted_path}'") == [(0,)]
    # Time travel still shows the pruned dump.
    old = _rows(warehouse, f"SELECT count(*) FROM dumps WHERE source_path = '{deleted_path}'", at_version=before_prune)
    assert old == [(1,)]
    total = _rows(warehouse, "SELECT (SELECT count(*) FROM dumps) + (SELECT count(*) FROM rejects)")[0][0]
    assert total == len(files)  # one changed, one added, one deleted


def test_reprocess_redoes_dumps_of_older_rules_only(prefect_local, corpus: Path, tmp_path: Path) -> None:
    from flows.reprocess import FilterError, ReprocessConfig, reprocess

    warehouse = tmp_path / "wh"
    _ingest(corpus, warehouse)
    articles_before = _rows(warehouse, "SELECT count(*), count(DISTINCT article_id) FROM articles")[0]
    con = wh.connect(warehouse, read_only=False)
    con.execute("UPDATE dumps SET rules_version = 'older-rules' WHERE source_path LIKE '%/101_%'")
    con.close()
    outdated = _rows(warehouse, "SELECT count(*) FROM dumps WHERE rules_version = 'older-rules'")[0][0]
    assert outdated >= 1

    result = reprocess(ReprocessConfig(warehouse=str(warehouse), workers=1))
    assert result["dumps"] == outdated and result["files_seen"] == outdated
    assert _rows(warehouse, "SELECT count(*) FROM dumps WHERE rules_version = 'older-rules'") == [(0,)]
    assert _rows(warehouse, "SELECT count(*), count(DISTINCT article_id) FROM articles")[0] == articles_before

    nothing = reprocess(ReprocessConfig(warehouse=str(warehouse), workers=1))
    assert nothing["dumps"] == 0
    limited = reprocess(ReprocessConfig(warehouse=str(warehouse), workers=1, everything=True, where="a.language = 'es'"))
    spanish = _rows(warehouse, "SELECT count(DISTINCT source_path) FROM articles WHERE language = 'es'")[0][0]
    assert limited["dumps"] == spanish > 0
    with pytest.raises(FilterError):
        reprocess(ReprocessConfig(warehouse=str(warehouse), where="TRUE; DROP TABLE articles"))
    with pytest.raises(FilterError):
        reprocess(ReprocessConfig(warehouse=str(warehouse), where="no_such_column = 1"))


def test_readers_never_fail_while_a_run_commits(prefect_local, corpus: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh"
    con = wh.connect(warehouse, read_only=False, create=True)
    wh.ensure_tables(con)
    con.close()
    seen: set[int] = set()
    errors: list[str] = []
    stop = threading.Event()

    def read_loop() -> None:
        while not stop.is_set():
            try:
                reader = wh.connect(warehouse, read_only=True)
                seen.add(reader.execute("SELECT count(*) FROM dumps").fetchone()[0])
                reader.close()
            except Exception as exc:  # noqa: BLE001 - any failure of a reader is the finding
                errors.append(str(exc).splitlines()[0])

    thread = threading.Thread(target=read_loop)
    thread.start()
    try:
        result = _ingest(corpus, warehouse)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert seen <= {0, result["dumps"]}, "a reader saw part of a run"
    assert 0 in seen


def test_a_second_writer_stops_with_a_clear_message(prefect_local, corpus: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh"
    with wh.exclusive(warehouse, "ingest held-by-test"):
        with pytest.raises(wh.WarehouseBusy, match="busy: ingest held-by-test"):
            _ingest(corpus, warehouse)
    assert _ingest(corpus, warehouse)["dumps"] > 0  # the lock is gone once its holder ends
