"""Commands that use the tables: search, export, report, doctor."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from flows.cli_base import WarehouseOpt, app, err, fail, json_default, out


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} takes a date as YYYY-MM-DD, not {value!r}") from None


def _fresh_index(warehouse: Path) -> None:
    """Rebuild the search index when it is missing or older than the catalog; say so on stderr."""
    from tasks.search import SearchError, index_is_current, rebuild_index
    from tasks.warehouse import WarehouseError

    try:
        if index_is_current(warehouse):
            return
        err.print("search index missing or out of date: rebuilding…", style="dim")
        rebuild_index(warehouse)
    except (WarehouseError, SearchError) as exc:
        raise fail(str(exc)) from exc
    except OSError as exc:
        raise fail(f"search index out of date and cannot be rebuilt in {warehouse}: {exc.strerror or exc}") from exc


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find in titles and bodies (ranked by BM25).")],
    warehouse: WarehouseOpt = Path("warehouse"),
    lang: Annotated[str | None, typer.Option("--lang", help="Only this language (ISO 639-1, e.g. en).")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Published on or after (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Published on or before (YYYY-MM-DD).")] = None,
    publisher: Annotated[str | None, typer.Option(help="Only this publisher (exact name, any case).")] = None,
    limit: Annotated[int, typer.Option(help="Most hits to show.", min=1)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the hits as a JSON array.")] = False,
) -> None:
    """Full-text search over current articles: ranked hits with title, publisher, date and a snippet.

    Examples:
      newsprep search "heat wave"
      newsprep search "elecciones" --lang es --from 2024-01-01 --to 2024-12-31
      newsprep search "ukraine" --publisher Sputnik --limit 5 --json
    """
    from tasks.search import SearchError, terms
    from tasks.search import search as run_search

    start, end = _date(date_from, "--from"), _date(date_to, "--to")
    if not terms(query):
        raise fail(f"nothing to search for in {query!r}: give at least one word")
    _fresh_index(warehouse)
    try:
        hits = run_search(warehouse, query, lang, start, end, publisher, limit)
    except SearchError as exc:
        raise fail(str(exc)) from exc
    if as_json:
        sys.stdout.write(json.dumps([h.__dict__ for h in hits], default=json_default, ensure_ascii=False) + "\n")
        return
    if not hits:
        err.print(f"no article matches {query!r}")
        return
    table = Table("#", "article", show_lines=True, title=f"search: {query}")
    for i, h in enumerate(hits, 1):
        cell = Text()
        cell.append(h.title or "(no title)", style="bold")
        cell.append(f"\n{h.publisher or 'unknown publisher'} · {h.published_date or 'no date'} · {h.language}", "cyan")
        cell.append(f" · {h.article_id} · score {h.score:.2f}\n", "dim")
        snippet = Text(h.snippet)
        snippet.highlight_words(terms(query), "yellow", case_sensitive=False)
        cell.append_text(snippet)
        table.add_row(str(i), cell)
    out.print(table)


@app.command()
def export(
    table: Annotated[str, typer.Option("--table", "-t", help="A table or view: articles, articles_current, ...")],
    out_path: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="parquet, csv or jsonl.")] = "parquet",
    where: Annotated[str | None, typer.Option(help="SQL condition on the rows, e.g. \"language = 'en'\".")] = None,
    warehouse: WarehouseOpt = Path("warehouse"),
) -> None:
    """Export a table or view to Parquet, CSV or JSON lines for tools that don't read DuckLake.

    Examples:
      newsprep export --table articles_current --format parquet --out articles.parquet
      newsprep export -t daily_counts -f csv -o daily.csv --where "published_date >= DATE '2024-01-01'"
    """
    from tasks.export import ExportError
    from tasks.export import export as run_export
    from tasks.warehouse import WarehouseError

    progress = _export_progress() if sys.stderr.isatty() else None
    try:
        if progress is None:
            rows = run_export(warehouse, table, fmt, out_path, where)
        else:
            with progress:
                task = progress.add_task("exporting", total=100)
                rows = run_export(warehouse, table, fmt, out_path, where, lambda pct: progress.update(task, completed=pct))
    except (ExportError, WarehouseError) as exc:
        raise fail(str(exc)) from exc
    except OSError as exc:
        raise fail(f"cannot write {out_path}: {exc.strerror or exc}") from exc
    err.print(f"{rows} row{'s' if rows != 1 else ''} of {table} written to {out_path}")


def _export_progress():
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("exporting"), BarColumn(), TaskProgressColumn(), TimeRemainingColumn(), console=err)


@app.command()
def report(
    run_id: Annotated[str | None, typer.Argument(help="The run (default: the latest).")] = None,
    warehouse: WarehouseOpt = Path("warehouse"),
) -> None:
    """Write a run's HTML report (charts of languages, publishers, rules, rejects, timings) and print its path.

    Examples:
      newsprep report
      newsprep report 20240301T101500-1a2b3c4d --warehouse ./warehouse
    """
    from tasks.report import ReportError, write_run_report
    from tasks.warehouse import WarehouseError

    try:
        path = write_run_report(warehouse, run_id)
    except (ReportError, WarehouseError) as exc:
        raise fail(str(exc)) from exc
    except OSError as exc:
        raise fail(f"cannot write the report in {warehouse}: {exc.strerror or exc}") from exc
    sys.stdout.write(f"{path}\n")


@app.command()
def doctor(
    warehouse: Annotated[
        Path | None, typer.Option("--warehouse", "-w", help="Also check that this warehouse is readable.")
    ] = None,
) -> None:
    """Check the install (Python, packages, DuckDB extensions, warehouse, Prefect, chromium) and say what to fix.

    Exits 1 when a required check fails.

    Example: newsprep doctor --warehouse ./warehouse
    """
    from tasks.doctor import failed, run_checks

    checks = run_checks(warehouse)
    table = Table("check", "", "detail", "fix", title="newsprep doctor")
    for c in checks:
        mark = "[green]ok[/]" if c.ok else ("[red]FAIL[/]" if c.required else "[yellow]warn[/]")
        table.add_row(c.name, mark, c.detail, c.fix)
    out.print(table)
    if failed(checks):
        raise typer.Exit(1)
