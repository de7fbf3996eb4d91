"""The ``kg`` command line: parse arguments, call the library, print."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__

app = typer.Typer(
    help="Offline knowledge-graph builder for the AI industry: interviews -> RDF graph of people, "
    "companies, AI models and chips, and how they relate.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)


def _version(value: bool):
    if value:
        out.print(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = None,
):
    pass


def _load_lexicon(extra: list[Path] | None):
    from .lexicon import Lexicon, LexiconError, default_lexicon_paths

    try:
        return Lexicon.load([*default_lexicon_paths(), *(extra or [])])
    except LexiconError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)


@app.command()
def build(
    inputs: Annotated[Optional[list[Path]], typer.Argument(help="Interview files or folders (default: corpus/).")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for kg.ttl and kg.trig.")] = Path("graphs"),
    lexicon: Annotated[Optional[list[Path]], typer.Option("--lexicon", "-l", help="Extra lexicon file (Turtle), added to ontology/lexicon/*.ttl. Repeatable.")] = None,
    min_confidence: Annotated[float, typer.Option(help="Relations below this confidence are not asserted.")] = 0.5,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
):
    """Build the knowledge graph of interviews: writes OUTPUT/kg.ttl (whole graph) and
    OUTPUT/kg.trig (one named graph per interview)."""
    from .build import build as run_build
    from .nlp.relations import RuleError

    inputs = inputs or [Path("corpus")]
    lex = _load_lexicon(lexicon)
    progress = Progress(TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("{task.description}"), console=err, disable=quiet or not err.is_terminal)
    from .corpus import iter_input_files

    total = len(iter_input_files(inputs))
    try:
        with progress:
            task = progress.add_task("", total=total)
            _, report = run_build(
                inputs, output, lexicon=lex, min_confidence=min_confidence,
                progress=lambda p: progress.update(task, description=p.name),
                on_file_done=lambda p: progress.advance(task),
            )
    except RuleError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    for line in report.skipped:
        err.print(f"[yellow]warning:[/yellow] {line}", highlight=False, soft_wrap=True)
    for line in report.failed:
        err.print(f"[red]error:[/red] {line}", highlight=False, soft_wrap=True)
    if not quiet:
        _print_summary(report)
    if not report.ok:
        raise typer.Exit(1)


def _print_summary(report) -> None:
    table = Table(title=f"{len(report.documents)} interview(s) -> " + ", ".join(str(p) for p in report.outputs),
                  show_header=True, title_justify="left")
    table.add_column("entities", style="bold")
    table.add_column("count", justify="right")
    table.add_column("relations", style="bold")
    table.add_column("count", justify="right")
    ents = list(report.entities.items())
    rels = list(report.relations.items())
    for i in range(max(len(ents), len(rels))):
        e = ents[i] if i < len(ents) else ("", "")
        r = rels[i] if i < len(rels) else ("", "")
        table.add_row(e[0], str(e[1]), r[0], str(r[1]))
    table.add_row("total", str(sum(report.entities.values())), "total", str(sum(report.relations.values())))
    out.print(table)
    out.print(f"{report.evidence} evidence sentences; {len(report.skipped)} skipped, {len(report.failed)} failed")


@app.command("eval")
def eval_cmd(
    gold: Annotated[list[Path], typer.Argument(help="Gold YAML file(s) (tests/gold/GUIDELINES.md), then the graph file last.")],
    min_confidence: Annotated[float, typer.Option(help="Count only relations with evidence at or above this confidence.")] = 0.0,
    errors: Annotated[bool, typer.Option("--errors", help="List missed and spurious entities and relations.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
):
    """Score a graph against gold annotations: precision, recall and F1 for entities (by type)
    and relations (by kind). Usage: kg eval GOLD... GRAPH"""
    import json

    from .eval import GoldError, evaluate, load_gold
    from .rdfio import GraphFileError, load_graph

    if len(gold) < 2:
        err.print("[red]error:[/red] give at least one gold file and the graph: kg eval GOLD... GRAPH")
        raise typer.Exit(2)
    *gold_paths, graph_path = gold
    try:
        golds = [load_gold(p) for p in gold_paths]
        graph = load_graph([graph_path])
    except (GoldError, GraphFileError) as e:
        err.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    result = evaluate(golds, graph, min_confidence)
    if as_json:
        out.print_json(json.dumps(result.as_dict()))
    else:
        for part in ("entities", "relations"):
            table = Table(title=part, title_justify="left")
            for col in ("", "precision", "recall", "F1", "tp", "fp", "fn"):
                table.add_column(col, justify="right" if col else "left")
            rows = list(getattr(result, part).items()) + [("all", result.total(part))]
            for name, sc in rows:
                table.add_row(name, f"{sc.precision:.3f}", f"{sc.recall:.3f}", f"{sc.f1:.3f}", str(sc.tp), str(sc.fp), str(sc.fn),
                              style="bold" if name == "all" else None)
            out.print(table)
    if errors:
        for line in result.missed:
            out.print(f"[red]missed[/red]   {line}", highlight=False)
        for line in result.spurious:
            out.print(f"[yellow]spurious[/yellow] {line}", highlight=False)


@app.command()
def candidates(
    inputs: Annotated[list[Path], typer.Argument(help="Interview files or folders (extracted now), or a built graph (.ttl/.trig: its kg:discovered entities).")],
    write_lexicon: Annotated[Optional[Path], typer.Option("--write-lexicon", help="Also write the listed names as lexicon entries (SKOS Turtle) to review.")] = None,
    min_count: Annotated[int, typer.Option("--min-count", help="List only names mentioned at least this many times.")] = 1,
    min_confidence: Annotated[float, typer.Option("--min-confidence", help="List only names at or above this confidence.")] = 0.0,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show at most this many rows (0: all).")] = 50,
    lexicon: Annotated[Optional[list[Path]], typer.Option("--lexicon", "-l", help="Extra lexicon file (Turtle): its names are not new. Repeatable.")] = None,
):
    """List names the lexicon does not know (discovered companies, people, models, chips) with type
    guess, mentions, interviews, confidence and a context line, most useful first
    (mentions x interviews x confidence). Low-confidence names, which the graph does not assert,
    are listed too when the input is interviews."""
    from . import candidates as cand
    from .corpus import EmptyInput, InputError, iter_input_files, load_document

    graphs = [p for p in inputs if p.is_file() and p.suffix.lower() in (".ttl", ".trig", ".nt", ".nq", ".jsonld")]
    texts = [p for p in inputs if p not in graphs]
    found = []
    if graphs:
        from .rdfio import GraphFileError, load_graph

        try:
            found += cand.from_graph(load_graph(graphs))
        except GraphFileError as e:
            err.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
            raise typer.Exit(2)
    if texts:
        from .extract import Extractor

        extractor = Extractor(_load_lexicon(lexicon))
        extractions = []
        for path in iter_input_files(texts):
            try:
                extractions.append(extractor.extract(load_document(path)))
            except EmptyInput as warn:
                err.print(f"[yellow]warning:[/yellow] {warn}", highlight=False, soft_wrap=True)
            except (InputError, OSError) as e:
                err.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
        found += cand.from_extractions(extractions)
    rows = cand.sort(c for c in found if c.count >= min_count and c.confidence >= min_confidence)
    table = Table(title=f"{len(rows)} new name(s)", title_justify="left")
    shown = rows[:limit or None]
    name_width = min(30, max([len(c.name) for c in shown] + [4]))
    table.add_column("name", no_wrap=True, min_width=name_width)
    for col in ("type?", "mentions", "interviews", "confidence"):
        table.add_column(col, justify="left" if col == "type?" else "right", no_wrap=True,
                         min_width=7 if col == "type?" else len(col))
    rest = out.width - name_width - len("type?mentionsinterviewsconfidence") - 3 - 6 * 3 - 2
    table.add_column("context", no_wrap=True, overflow="ellipsis", width=max(12, min(70, rest)))
    for c in shown:
        table.add_row(c.name, c.type, str(c.count), str(len(c.interviews)), f"{c.confidence:.2f}", c.context)
    out.print(table)
    if write_lexicon:
        n = cand.write_lexicon(rows, write_lexicon)
        out.print(f"{n} entries written to {write_lexicon}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
