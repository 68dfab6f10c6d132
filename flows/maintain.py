"""Keep a long-lived warehouse small and fast: merge small Parquet files, expire old snapshots, delete files no
snapshot needs, clear staging left by dead runs, rebuild the search index.

Expiring a snapshot ends time travel to it: `retention_days` keeps every snapshot younger than that.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from pydantic import BaseModel, Field

from flows.stages import rebuild_search_index, run_namer
from schemas.views import create_views
from tasks import warehouse as wh


class MaintainConfig(BaseModel):
    """Parameters of a maintenance run (the Prefect UI shows them as a form)."""

    warehouse: str = Field("warehouse", description="Warehouse folder: DuckLake catalog and Parquet files.")
    retention_days: int = Field(30, ge=0, le=36500, description="Keep snapshots (time travel) younger than this.")
    merge_files: bool = Field(True, description="Merge small Parquet files written by many small runs.")


def maintain_warehouse(config: MaintainConfig) -> dict:
    """The maintenance steps, in order; returns what each did. Holds the run lock: no run writes meanwhile."""
    warehouse = Path(config.warehouse).resolve()
    done: dict = {}
    with wh.exclusive(warehouse, "maintenance"):
        con = wh.connect(warehouse, read_only=False)
        try:
            create_views(con, wh.ALIAS)  # how a changed schemas/views.sql reaches an existing warehouse
            if config.merge_files:
                merged = con.execute(f"CALL ducklake_merge_adjacent_files('{wh.ALIAS}')").fetchall()
                done["files_merged"] = sum(int(r[2]) for r in merged)
                done["files_created"] = sum(int(r[3]) for r in merged)
            expired = con.execute(
                f"CALL ducklake_expire_snapshots('{wh.ALIAS}', older_than => now() - to_days(?))",
                [config.retention_days],
            ).fetchall()
            done["snapshots_expired"] = len(expired)
            done["old_files_deleted"] = len(
                con.execute(f"CALL ducklake_cleanup_old_files('{wh.ALIAS}', cleanup_all => true)").fetchall()
            )
            done["orphaned_files_deleted"] = len(
                con.execute(f"CALL ducklake_delete_orphaned_files('{wh.ALIAS}', cleanup_all => true)").fetchall()
            )
        finally:
            con.close()
        staging = warehouse / wh.STAGING_DIR
        done["staging_cleared"] = staging.exists()
        shutil.rmtree(staging, ignore_errors=True)
        done["search_index_rows"] = rebuild_search_index(warehouse)
    return done


@flow(name="maintain", flow_run_name=run_namer("maintain", "warehouse"))
def maintain(config: MaintainConfig | None = None) -> dict:
    """Compact the warehouse, expire old snapshots, delete unneeded files, clear dead staging, rebuild search."""
    config = config or MaintainConfig()
    done = maintain_warehouse(config)
    get_run_logger().info("maintenance: %s", ", ".join(f"{k} {v}" for k, v in done.items()))
    rows = "\n".join(f"| {k.replace('_', ' ')} | {v} |" for k, v in done.items())
    create_markdown_artifact(
        key="maintain-report", markdown=f"# newsprep maintenance\n\n| step | result |\n|---|---:|\n{rows}\n",
        description=f"maintenance of {config.warehouse}",
    )
    return done
