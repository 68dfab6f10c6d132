"""The ingest flow for real: Prefect local mode, a DuckLake catalog on SQLite in a temp folder, DuckDB queries."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from tasks import warehouse as wh
from tests.expectations import SAMPLES, SAMPLES_EXPECTED, checks_for, decoded_lines, load

pytestmark = pytest.mark.slow


def _ingest(sources: list[Path], warehouse: Path) -> dict:
    from flows.ingest import IngestConfig, ingest

    return ingest(IngestConfig(sources=[str(s) for s in sources], warehouse=str(warehouse), workers=2))


def _count(con, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture(scope="module")
def sample_run(prefect_local, tmp_path_factory) -> tuple[Path, Path, dict]:
    root = tmp_path_factory.mktemp("ingest")
    source = root / "samples"
    shutil.copytree(SAMPLES, source)
    warehouse = root / "warehouse"
    return source, warehouse, _ingest([source], warehouse)


def test_samples_land_in_every_table(sample_run) -> None:
    source, warehouse, result = sample_run
    n_files = len(list(source.iterdir()))
    assert result["files_seen"] == n_files
    assert result["dumps"] == n_files and result["rejects"] == 0
    con = wh.connect(warehouse)
    try:
        assert _count(con, "dumps") == n_files
        assert _count(con, "articles") == result["articles"] >= n_files
        assert _count(con, "removed_lines") == result["removed_lines"] > 0
        assert _count(con, "rejects") == 0
        run = con.execute("SELECT run_id, status, files_seen, dumps_written FROM runs").fetchall()
        assert run == [(result["run_id"], "completed", n_files, n_files)]
        # Every row carries the run that wrote it.
        for table in ("articles", "removed_lines", "dumps"):
            assert con.execute(f"SELECT DISTINCT run_id FROM {table}").fetchall() == [(result["run_id"],)]
        # Articles join their dumps, and article counts agree.
        mismatched = con.execute(
            "SELECT d.source_path FROM dumps d LEFT JOIN (SELECT dump_id, count(*) n FROM articles GROUP BY 1) a "
            "USING (dump_id) WHERE coalesce(a.n, 0) <> d.article_count"
        ).fetchall()
        assert mismatched == []
        langs = dict(con.execute("SELECT language, count(*) FROM articles GROUP BY 1").fetchall())
        assert {"en", "es", "de", "fr", "pt", "zh"} <= set(langs)
        assert con.execute("SELECT count(*) FROM removed_lines WHERE rule_id = '' OR kind = ''").fetchone()[0] == 0
        types = dict(con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'articles' AND database_name = 'lake'"
        ).fetchall())
        assert types["published_date"] == "DATE" and types["agencies"] == "VARCHAR[]"
    finally:
        con.close()
    parquet = list((warehouse / "data").rglob("*.parquet"))
    assert parquet, "rows must be written as Parquet files, not inlined in the catalog"
    assert not (warehouse / wh.STAGING_DIR / result["run_id"]).exists(), "staging is cleaned after commit"


def test_sample_expectations_hold_in_the_warehouse(sample_run) -> None:
    source, warehouse, _ = sample_run
    con = wh.connect(warehouse)
    try:
        cur = con.execute("SELECT * FROM articles ORDER BY source_path, segment_index")
        cols = [d[0] for d in cur.description]
        articles = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
        removed_rows = con.execute("SELECT source_path, line_no FROM removed_lines").fetchall()
    finally:
        con.close()
    failures = []
    for name, exp in load(SAMPLES_EXPECTED).items():
        rows = [a for a in articles if Path(a["source_path"]).name == name]
        removed = {ln for p, ln in removed_rows if Path(p).name == name}
        failures += [f"{c.name}: {c.detail}" for c in checks_for(name, exp, decoded_lines(source / name), rows, removed) if not c.ok]
    assert not failures, "\n".join(failures)


def test_second_run_adds_nothing_and_changed_file_is_replaced(sample_run) -> None:
    source, warehouse, first = sample_run
    con = wh.connect(warehouse)
    before = {t: _count(con, t) for t in ("articles", "removed_lines", "dumps", "rejects")}
    con.close()

    again = _ingest([source], warehouse)
    assert again["files_skipped"] == first["files_seen"]
    assert again["dumps"] == again["articles"] == 0
    con = wh.connect(warehouse)
    assert {t: _count(con, t) for t in before} == before
    assert _count(con, "runs") == 2
    con.close()

    # Edit one dump: its rows are replaced in the same commit, never doubled.
    target = source / "109_050f93cf440b4810.txt"
    target.write_text(target.read_text("utf-8").replace("Mendoza", "San Juan", 1), "utf-8")
    third = _ingest([source], warehouse)
    assert third["dumps"] == 1 and third["files_skipped"] == first["files_seen"] - 1
    con = wh.connect(warehouse)
    try:
        assert {t: _count(con, t) for t in before} == before
        titles = con.execute("SELECT title FROM articles WHERE source_path = ?", [str(target.resolve())]).fetchall()
        assert titles == [("San Juan refuerza el riego por goteo ante una temporada de nieve escasa",)]
        assert con.execute("SELECT count(DISTINCT run_id) FROM dumps").fetchone()[0] == 2
    finally:
        con.close()


def test_bad_inputs_become_rejects_and_nothing_is_lost(prefect_local, tmp_path: Path) -> None:
    src = tmp_path / "bad"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_bytes(b"  \n\n \t\n")
    (src / "binary.txt").write_bytes(b"PK\x03\x04\x00\x00binary\x00data")
    (src / "undecodable.txt").write_bytes(bytes(range(128, 256)) * 4)
    (src / "noise.txt").write_text("Share this: Twitter\n\nFacebook\n\nLeave a comment\n", "utf-8")
    (src / "broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    good_text = (SAMPLES / "102_12047fd9099246ba.txt").read_bytes()
    (src / "good.txt.gz").write_bytes(gzip.compress(good_text))
    result = _ingest([src], tmp_path / "wh")
    assert result["files_seen"] == 7
    assert result["dumps"] == 1 and result["rejects"] == 6
    con = wh.connect(tmp_path / "wh")
    try:
        reasons = dict(con.execute("SELECT regexp_extract(source_path, '[^/]+$'), reason FROM rejects").fetchall())
        assert reasons == {
            "empty.txt": "empty",
            "blank.txt": "empty",
            "binary.txt": "binary",
            "undecodable.txt": "undecodable",
            "noise.txt": "no_article",
            "broken.txt.gz": "bad_gzip",
        }
        assert con.execute("SELECT count(*) FROM rejects WHERE detail IS NULL OR detail = ''").fetchone()[0] == 0
        in_both = con.execute("SELECT count(*) FROM dumps JOIN rejects USING (source_path)").fetchone()[0]
        assert in_both == 0
        assert _count(con, "dumps") + _count(con, "rejects") == 7
    finally:
        con.close()


def test_run_report_artifact_is_published(sample_run) -> None:
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    async def read():
        async with get_client() as client:
            return await client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-report"])))

    # The session's Prefect home holds every test's runs, in no set order: this run's report is the one naming it.
    run_id = sample_run[2]["run_id"]
    artifacts = [a for a in asyncio.run(read()) if f"`{run_id}`" in (a.data or "")]
    assert artifacts, "each run publishes an ingest-report artifact"
    text = artifacts[0].data
    assert "Articles by language" in text and "Top removal rules" in text
    keys = {a.key for a in asyncio.run(_artifacts(["ingest-rejects", "ingest-progress", "ingest-warehouse"]))}
    assert keys == {"ingest-rejects", "ingest-progress", "ingest-warehouse"}


async def _artifacts(keys: list[str]):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    async with get_client() as client:
        return await client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys)))


def test_a_failed_run_publishes_what_it_knows_and_fails(prefect_local, tmp_path: Path) -> None:
    """A warehouse that cannot be written: the flow ends Failed with the reason, its report says so."""
    import asyncio

    from flows.ingest import IngestConfig, ingest

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    state = ingest(IngestConfig(sources=[str(SAMPLES)], warehouse=str(blocker / "wh"), workers=1), return_state=True)
    assert state.is_failed()
    reports = [a.data for a in asyncio.run(_artifacts(["ingest-report"])) if "failed" in (a.data or "")]
    assert reports and "Nothing of this run was committed" in reports[0]


def test_boilerplate_learned_across_a_folder_is_removed(prefect_local, tmp_path: Path) -> None:
    from tests.tasks.test_boilerplate import NAV, _dump

    site = tmp_path / "site"
    site.mkdir()
    for i in range(6):
        (site / f"page{i}.txt").write_text(_dump(i, [NAV]), "utf-8")
    result = _ingest([site], tmp_path / "wh")
    assert result["dumps"] == 6
    con = wh.connect(tmp_path / "wh")
    try:
        removed = con.execute(
            "SELECT count(*) FROM removed_lines WHERE rule_id = 'generic_repeated_across_dumps' AND text = ?", [NAV]
        ).fetchone()[0]
        assert removed == 6
        assert con.execute("SELECT count(*) FROM articles WHERE contains(body, ?)", [NAV]).fetchone()[0] == 0
    finally:
        con.close()
