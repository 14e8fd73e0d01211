"""Command line: ``python -m knowledge build | status | search "question"``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from knowledge.errors import KnowledgeError

app = typer.Typer(help="Build, inspect and query the Vela knowledge index.", no_args_is_help=True)
console = Console()


@app.command()
def build(
    rebuild: Annotated[
        bool, typer.Option(help="Drop the index and embed everything again.")
    ] = False,
    corpus: Annotated[
        Path | None, typer.Option(help="Corpus directory (default: knowledge/corpus).")
    ] = None,
) -> None:
    """Validate the corpus and bring the index up to date (only changed chunks are embedded)."""
    from assistant.settings import get_settings
    from knowledge.index import build_index

    with Progress(
        TextColumn("[bold]Indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("chunks"),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("index", total=None)
        try:
            report = build_index(
                get_settings(),
                corpus_dir=corpus,
                rebuild=rebuild,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        except KnowledgeError as exc:
            bar.stop()
            _fail(exc)
    console.print(
        f"[green]Index up to date[/] at {report.index_dir}: {report.documents} documents, "
        f"{report.chunks} chunks ({report.added} embedded, {report.skipped} unchanged, "
        f"{report.deleted} removed) in {report.duration_s:.2f} s."
    )


@app.command()
def status() -> None:
    """Show the index spec, document and chunk counts and the last build."""
    from assistant.settings import get_settings
    from knowledge.manifest import read_manifest
    from knowledge.spec import read_spec

    index_dir = get_settings().resolved_index_dir()
    try:
        spec = read_spec(index_dir)
        manifest = read_manifest(index_dir)
    except KnowledgeError as exc:
        _fail(exc)
    table = Table(title=f"Knowledge index at {index_dir}", show_header=False)
    for field, value in (spec or manifest.spec).model_dump().items():
        table.add_row(field, str(value))
    table.add_row("documents", str(len(manifest.documents)))
    table.add_row("chunks", str(manifest.chunk_count))
    table.add_row("last build", f"{manifest.built_at:%Y-%m-%d %H:%M:%S} UTC")
    table.add_row("build took", f"{manifest.duration_s:.2f} s")
    console.print(table)


@app.command()
def search(
    question: Annotated[str, typer.Argument(help="The customer's question.")],
    country: Annotated[str | None, typer.Option(help="GB, ES or KE.")] = None,
    segment: Annotated[str | None, typer.Option(help="consumer or business.")] = None,
    language: Annotated[str | None, typer.Option(help="en or es.")] = None,
    as_of: Annotated[str | None, typer.Option(help="ISO date (default: today).")] = None,
    k: Annotated[int, typer.Option(help="Number of passages.")] = 5,
    mode: Annotated[str, typer.Option(help="hybrid, bm25 or dense.")] = "hybrid",
) -> None:
    """Print the ranked passages with citation data and the answerable verdict."""
    from assistant.settings import get_settings
    from knowledge.retrieval import KnowledgeBase

    try:
        kb = KnowledgeBase.open(get_settings())
        result = kb.search(
            question,
            country=country,
            segment=segment,
            language=language,
            as_of=date.fromisoformat(as_of) if as_of else None,
            k=k,
            mode=mode,  # type: ignore[arg-type]  # validated by search()
        )
    except KnowledgeError as exc:
        _fail(exc)
    verdict = "[green]answerable[/]" if result.answerable else "[yellow]not in our documents[/]"
    console.print(
        f"{verdict} (confidence {result.confidence:.3f}, mode {result.mode}, as of {result.as_of})"
    )
    for rank, passage in enumerate(result.passages, start=1):
        console.print(
            f"\n[bold]{rank}. {passage.title}[/] — {passage.section}  "
            f"[dim]{passage.section_id} v{passage.version} {','.join(passage.countries)} "
            f"{passage.segment} {passage.language} score={passage.score:.4f} "
            f"bm25#{passage.bm25_rank} dense#{passage.dense_rank}[/]"
        )
        console.print(f"   {passage.snippet}", highlight=False)


def _fail(exc: Exception) -> NoReturn:
    console.print(f"[red]{exc}[/]", highlight=False)
    raise typer.Exit(code=1)


if __name__ == "__main__":
    app()
