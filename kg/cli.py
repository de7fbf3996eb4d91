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
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for kg.ttl, kg.trig and kg.html.")] = Path("graphs"),
    lexicon: Annotated[Optional[list[Path]], typer.Option("--lexicon", "-l", help="Extra lexicon file (Turtle), added to ontology/lexicon/*.ttl. Repeatable.")] = None,
    min_confidence: Annotated[float, typer.Option(help="Relations below this confidence are not asserted.")] = 0.5,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Extract in N worker processes (the graph is the same as with 1).")] = 1,
    executor: Annotated[str, typer.Option(help="Where extraction runs: 'local' (this machine, --jobs) or 'dask' (an existing Dask cluster, --scheduler).")] = "local",
    scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address for --executor dask, e.g. tcp://10.0.0.5:8786.")] = None,
    max_file_size: Annotated[float, typer.Option(min=0.001, help="Refuse input files over this many MB (unread).")] = 32.0,
):
    """Build the knowledge graph of interviews: writes OUTPUT/kg.ttl (whole graph),
    OUTPUT/kg.trig (one named graph per interview) and OUTPUT/kg.html (the interactive view)."""
    from .build import build as run_build
    from .export.html import build_writer
    from .nlp.relations import RuleError
    from .parallel import ParallelError

    if executor not in ("local", "dask"):
        err.print(f"[red]error:[/red] --executor must be 'local' or 'dask', not {executor!r}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    if executor == "dask" and not scheduler:
        err.print("[red]error:[/red] --executor dask needs --scheduler tcp://HOST:PORT (the address of a running Dask scheduler)",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(2)

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
                extra_writers=[build_writer],
                jobs=jobs, executor=executor, scheduler=scheduler, max_bytes=int(max_file_size * 1e6),
            )
    except (RuleError, ParallelError) as e:
        err.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    for line in report.skipped + report.warnings:
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


def _fail(message: str, code: int):
    """One line on stderr, then exit with ``code``."""
    from rich.markup import escape

    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _names(value: str | None, choices: list[str], what: str) -> list[str] | None:
    """"a,b" -> the matching choices (case-insensitive); a clear error for anything else."""
    if value is None:
        return None
    by_fold = {c.casefold(): c for c in choices}
    picked = []
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        if part.casefold() not in by_fold:
            _fail(f"unknown {what} {part!r} (choose from {', '.join(choices)})", 2)
        picked.append(by_fold[part.casefold()])
    return picked


def _load_view(graphs: list[Path]):
    from .graphview import graph_view
    from .rdfio import GraphFileError, load_graph

    try:
        return graph_view(load_graph(graphs))
    except GraphFileError as e:
        _fail(str(e), 2)


@app.command()
def view(
    graphs: Annotated[list[Path], typer.Argument(help="Graph files (Turtle, TriG, N-Triples, JSON-LD, ...), read as one graph.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="The HTML file (default: the first graph's name with .html).")] = None,
    only: Annotated[Optional[str], typer.Option("--only", help="Entity types to include, comma-separated: Person,Company,Model,Chip (default: all; the page first shows companies).")] = None,
    relation: Annotated[Optional[str], typer.Option("--relation", help="Relation kinds to include, comma-separated, e.g. supplies,investsIn (default: all).")] = None,
    title: Annotated[str, typer.Option(help="The page title.")] = "AI industry knowledge graph",
):
    """Write the interactive view of a graph: one self-contained HTML file that needs no
    network. Entities styled by type, relations by kind; click one to read its evidence."""
    from .export.html import ViewError, write_html
    from .graphview import OTHER
    from .vocab import ENTITY_TYPES, RELATIONS

    gv = _load_view(graphs)
    types = _names(only, [*ENTITY_TYPES, OTHER], "entity type")
    kinds = _names(relation, list(dict.fromkeys([*RELATIONS, *gv.kinds])), "relation")
    output = output or graphs[0].with_suffix(".html")
    try:
        write_html(gv, output, title=title, types=types, kinds=kinds)
    except (ViewError, OSError) as e:
        _fail(str(e), 1)
    shown = gv.restrict(types, kinds)
    out.print(f"{output}: {len(shown.entities)} entities, {len(shown.relations)} relations", highlight=False, soft_wrap=True)


@app.command("export")
def export_cmd(
    graphs: Annotated[list[Path], typer.Argument(help="Graph files (Turtle, TriG, N-Triples, JSON-LD, ...), read as one graph.")],
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="graphml or gexf (Gephi, Neo4j import: entities and relations), jsonld or nt (all triples). Default: from the output file's suffix, else graphml.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Output file (default: standard output).")] = None,
):
    """Convert a graph for other tools: GraphML and GEXF (entities as nodes with label, type and
    counts; relations as edges with kind and evidence count), JSON-LD (named graphs kept) or
    N-Triples."""
    from .export.formats import FORMATS, export_graph
    from .rdfio import GraphFileError

    if fmt is None:
        suffix = output.suffix.lstrip(".").lower() if output else ""
        fmt = {"json": "jsonld"}.get(suffix, suffix) if suffix in (*FORMATS, "json") else "graphml"
    fmt = fmt.lower()
    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})", 2)
    try:
        data = export_graph(graphs, fmt)
    except GraphFileError as e:
        _fail(str(e), 2)
    if output is None:
        typer.echo(data, nl=False)  # bytes go to the binary stream as they are
        return
    from .atomic import atomic_path

    try:
        with atomic_path(output) as tmp:
            tmp.write_bytes(data)
    except OSError as e:
        _fail(f"{output}: {e.strerror or e}", 1)
def _endpoint(url: str, user: str | None, timeout: float):
    import os

    from .endpoint import Endpoint, EndpointError

    try:
        return Endpoint(url, user=user, password=os.environ.get("KG_ENDPOINT_PASSWORD"), timeout=timeout)
    except EndpointError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)


@app.command()
def push(
    graphs: Annotated[list[Path], typer.Argument(help="Graph files: kg.trig (its named graphs stay named graphs), .nq, .ttl, ...")],
    endpoint: Annotated[str, typer.Option("--endpoint", "-e", help="The store's Graph Store Protocol URL (Virtuoso: http://HOST:8890/sparql-graph-crud; Fuseki: .../DATASET/data), or with --protocol update its SPARQL Update URL.")],
    graph: Annotated[Optional[str], typer.Option(help="Graph IRI for triples outside named graphs (a Turtle file); default: the store's default graph.")] = None,
    protocol: Annotated[str, typer.Option(help="'gsp' (SPARQL 1.1 Graph Store HTTP Protocol) or 'update' (SPARQL 1.1 Update).")] = "gsp",
    append: Annotated[bool, typer.Option("--append", help="Add to the store's graphs instead of replacing them.")] = False,
    user: Annotated[Optional[str], typer.Option(help="User name for the store (Basic or Digest); the password is read from $KG_ENDPOINT_PASSWORD.")] = None,
    batch: Annotated[int, typer.Option(min=1, help="Triples per request.")] = 20_000,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each answer.")] = 120.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary.")] = False,
):
    """Load graph files into an external SPARQL store: each named graph replaces the store's
    graph of the same IRI (so pushing again is harmless)."""
    from .endpoint import EndpointError
    from .push import PROTOCOLS
    from .push import push as run_push
    from .rdfio import GraphFileError

    if protocol not in PROTOCOLS:
        err.print(f"[red]error:[/red] --protocol must be {' or '.join(PROTOCOLS)}, not {protocol!r}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    ep = _endpoint(endpoint, user, timeout)
    try:
        report = run_push(graphs, ep, graph=graph, protocol=protocol, append=append, batch_size=batch)
    except (EndpointError, GraphFileError) as e:
        err.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    if not quiet:
        for name, n in report.graphs.items():
            out.print(f"{n:>9} triples -> {('<' + name + '>') if name else 'default graph'}", highlight=False, soft_wrap=True)
        out.print(f"{report.triples} triples in {len(report.graphs)} graph(s), {report.requests} request(s) to {endpoint}",
                  highlight=False, soft_wrap=True)


@app.command("query")
def query_cmd(
    text: Annotated[Optional[str], typer.Option("--query", "-q", help="The SPARQL query.")] = None,
    query_file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Read the query from this file (.rq).")] = None,
    endpoint: Annotated[Optional[str], typer.Option("--endpoint", "-e", help="SPARQL endpoint URL to ask (Virtuoso: http://HOST:8890/sparql).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json, csv, tsv or xml (SELECT/ASK); turtle or nt (CONSTRUCT/DESCRIBE).")] = "table",
    user: Annotated[Optional[str], typer.Option(help="User name at the endpoint (Basic or Digest); the password is read from $KG_ENDPOINT_PASSWORD.")] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the endpoint's answer.")] = 120.0,
):
    """Ask a SPARQL endpoint (a store filled with kg push): -q TEXT or -f FILE.rq. The kg
    prefixes (kg:, kge:, kgd:, rdfs:, ...) are declared for you."""
    if endpoint is None:
        err.print("[red]error:[/red] give --endpoint URL (queries of local graph files are kg query's other form)",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    if (text is None) == (query_file is None):
        err.print("[red]error:[/red] give one query: -q TEXT or -f FILE.rq", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    if query_file is not None:
        try:
            text = query_file.read_text(encoding="utf-8")
        except OSError as e:
            err.print(f"[red]error:[/red] {query_file}: cannot read: {e.strerror or e}", highlight=False, soft_wrap=True)
            raise typer.Exit(2)
    _endpoint_query(text, endpoint, fmt, user, timeout)


def _endpoint_query(query: str, endpoint: str, fmt: str, user: str | None, timeout: float) -> None:
    """``kg query --endpoint``: run the query text at ENDPOINT and print the answer."""
    from .endpoint import EndpointError, term_text
    from .endpoint import query as run_query

    ep = _endpoint(endpoint, user, timeout)
    try:
        result = run_query(ep, query)
    except EndpointError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        from .vocab import bind_prefixes

        bind_prefixes(result.graph)
        rdf_fmt = {"table": "turtle", "turtle": "turtle", "nt": "nt"}.get(fmt)
        if rdf_fmt is None:
            err.print(f"[red]error:[/red] {result.type} gives a graph: use --format turtle or nt", highlight=False)
            raise typer.Exit(2)
        sys.stdout.write(result.graph.serialize(format=rdf_fmt))
        return
    if fmt == "table":
        if result.type == "ASK":
            out.print("yes" if result.askAnswer else "no")
            return
        table = Table(show_header=True, header_style="bold")
        for var in result.vars:
            table.add_column(str(var), overflow="fold")
        for row in result.bindings:
            table.add_row(*(term_text(row.get(v)) for v in result.vars))
        out.print(table)
        out.print(f"{len(result.bindings)} row(s)", style="dim")
        return
    if fmt not in ("json", "csv", "tsv", "xml"):
        err.print(f"[red]error:[/red] --format must be table, json, csv, tsv or xml for {result.type}", highlight=False)
        raise typer.Exit(2)
    data = result.serialize(format="csv" if fmt == "tsv" else fmt, encoding="utf-8")
    if fmt == "tsv":  # rdflib has no TSV results writer: tabs for commas in its CSV reading
        import csv
        import io

        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        data = "\n".join("\t".join(r) for r in rows).encode("utf-8") + b"\n"
    sys.stdout.buffer.write(data if data.endswith(b"\n") else data + b"\n")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
