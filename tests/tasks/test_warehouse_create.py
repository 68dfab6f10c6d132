"""A new warehouse's catalog appears whole or not at all (tasks/warehouse.py _create_catalog)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks import warehouse as wh


def test_a_new_catalog_appears_with_its_tables(tmp_path: Path) -> None:
    con = wh.connect(tmp_path / "wh", read_only=False, create=True)
    con.close()
    reader = wh.connect(tmp_path / "wh")
    try:
        assert reader.execute("SELECT count(*) FROM runs").fetchone() == (0,)
    finally:
        reader.close()
    assert sorted(p.name for p in (tmp_path / "wh").iterdir() if "creating" in p.name) == []


def test_creation_that_fails_midway_leaves_no_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run killed between the catalog's creation and its tables left a catalog that readers opened and failed
    on ('Table with name runs does not exist'): tests/integration/test_crash.py found it."""

    def killed(con):  # type: ignore[no-untyped-def]
        raise OSError("killed while creating the tables")

    monkeypatch.setattr(wh, "ensure_tables", killed)
    with pytest.raises(wh.WarehouseError, match="cannot create warehouse"):
        wh.connect(tmp_path / "wh", read_only=False, create=True)
    assert not (tmp_path / "wh" / wh.CATALOG_FILE).exists()
    assert [p.name for p in (tmp_path / "wh").iterdir() if p.name != wh.DATA_DIR] == []
    monkeypatch.undo()
    wh.connect(tmp_path / "wh", read_only=False, create=True).close()  # the next run creates it whole
    assert (tmp_path / "wh" / wh.CATALOG_FILE).exists()


def test_the_tables_are_created_in_one_catalog_commit(tmp_path: Path) -> None:
    """Each DuckLake statement on its own is a commit to the catalog (0.27 s for five tables, 0.04-0.07 s in one
    transaction): a new warehouse has its schema, its tables and its views as three snapshots."""
    con = wh.connect(tmp_path / "wh", read_only=False, create=True)
    try:
        snapshots = con.execute("SELECT snapshot_id, changes FROM lake.snapshots() ORDER BY 1").fetchall()
    finally:
        con.close()
    assert len(snapshots) == 3
    assert sorted(t.removeprefix("main.") for t in snapshots[1][1]["tables_created"]) == sorted(wh.TABLES)


def test_a_schema_upgrade_that_fails_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A newer schema's new column and a new table that cannot be created (its name is taken by a view): the
    column is not added either."""
    import pyarrow as pa

    wh.connect(tmp_path / "wh", read_only=False, create=True).close()
    newer = dict(wh.TABLES)
    newer["runs"] = wh.TABLES["runs"].append(pa.field("added_later", pa.string()))
    newer["articles_current"] = pa.schema([pa.field("x", pa.int64())])  # a view's name
    monkeypatch.setattr(wh, "TABLES", newer)
    con = wh.connect(tmp_path / "wh", read_only=False)
    try:
        with pytest.raises(Exception, match="articles_current"):
            wh.ensure_tables(con)
        columns = {r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'lake' AND table_name = 'runs'"
        ).fetchall()}
    finally:
        con.close()
    assert "added_later" not in columns and "run_id" in columns
