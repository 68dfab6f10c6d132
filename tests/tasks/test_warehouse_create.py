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
