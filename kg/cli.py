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


class _Commands(typer.core.TyperGroup):
    """Ctrl-C in any command is one line and exit 130 (typer alone exits 130 without a word)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _fail("interrupted", 130)


class _App(typer.Typer):
    """The ``kg`` command. ``kg [--ontology DIR] [--queries DIR] COMMAND ...`` builds the click command of
    COMMAND alone: typer works out every command's parameters from its signature when it builds one, 38 ms
    for all sixteen against a few for one, and a one-line ``kg build`` lasts about a second. Anything else
    (``kg``, ``kg --help``, ``--version``, a word that names no command) builds them all, so the group's help
    and its "No such command" are as before."""

    _GLOBAL_WITH_VALUE = ("--ontology", "--queries")

    def __call__(self, *args, **kwargs):
        argv = kwargs.get("args", args[0] if args else None)  # click's main(args=None, ...): sys.argv[1:]
        one = self._only(sys.argv[1:] if argv is None else list(argv))
        return typer.Typer.__call__(one if one is not None else self, *args, **kwargs)

    def _only(self, argv: list[str]):
        """A copy of this app holding only the command ``argv`` names (after the global options), or None."""
        skip = False
        for arg in argv:
            if skip:
                skip = False
            elif arg in self._GLOBAL_WITH_VALUE:
                skip = True
            elif arg.split("=", 1)[0] in self._GLOBAL_WITH_VALUE:
                continue
            elif arg.startswith("-"):
                return None  # --help, --version: the whole group
            else:
                chosen = [c for c in self.registered_commands
                          if (c.name or typer.main.get_command_name(c.callback.__name__)) == arg]
                if len(chosen) != 1:
                    return None
                one = typer.Typer.__new__(typer.Typer)
                one.__dict__.update(self.__dict__)
                one.registered_commands = chosen
                return one
        return None


app = _App(
    cls=_Commands,
    help="Offline knowledge-graph builder for the AI industry: interviews -> RDF graph of people, "
    "companies, AI models and chips, and how they relate.",
    no_args_is_help=True,
    add_completion=False,
)
PIPE_WIDTH = 100_000
"""Console width when output goes to a file or another program: tables and lines are not cut to
80 columns there (a terminal gets its own width; $COLUMNS still wins)."""


def _width(stream) -> int | None:
    import os

    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return None if tty or os.environ.get("COLUMNS") else PIPE_WIDTH


# a message is never broken across lines (a path stays one piece a user can copy); tables keep their own layout
out = Console(width=_width(sys.stdout), soft_wrap=True)
err = Console(stderr=True, width=_width(sys.stderr), soft_wrap=True)


def _version(value: bool):
    if value:
        out.print(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = None,
    ontology: Annotated[Optional[Path], typer.Option("--ontology", help="Use this ontology folder (kg.ttl, relations.yaml, discovery.yaml, names.yaml, known.yaml, affiliations.yaml, developers.yaml, industry.yaml, lexicon/*.ttl) instead of the one shipped with kg; also $KG_ONTOLOGY_DIR. A folder named ontology/ in the current directory is not used unless named here.", show_default=False)] = None,
    queries: Annotated[Optional[Path], typer.Option("--queries", help="Use this folder of ready questions (*.rq) instead of the one shipped with kg; also $KG_QUERIES_DIR.", show_default=False)] = None,
):
    import os

    if ontology is not None:
        if not (ontology / "kg.ttl").is_file():
            _fail(f"--ontology {ontology}: no kg.ttl there (an ontology folder holds kg.ttl, relations.yaml, "
                  "discovery.yaml and lexicon/)", 2)
        os.environ["KG_ONTOLOGY_DIR"] = str(ontology.resolve())  # worker processes inherit it
    if queries is not None:
        if not queries.is_dir():
            _fail(f"--queries {queries}: not a folder", 2)
        os.environ["KG_QUERIES_DIR"] = str(queries.resolve())


def _interruptible(func):
    """Ctrl-C during the command: one line and exit 130, saying whether the outputs (``into`` or
    ``output``) were left as they were or written whole (``kg.atomic.output_set``)."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from .atomic import InterruptedAfterWrite

        target = kwargs.get("into") or kwargs.get("output")
        try:
            return func(*args, **kwargs)
        except InterruptedAfterWrite:
            _fail(f"interrupted after the new graph was written whole to {target}", 130)
        except KeyboardInterrupt:
            _fail(f"interrupted: nothing written, {target} is as it was", 130)

    return wrapper


def _load_lexicon(extra: list[Path] | None):
    from .lexicon import Lexicon, LexiconError, default_lexicon_paths

    try:
        return Lexicon.load([*default_lexicon_paths(), *(extra or [])])
    except LexiconError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        raise typer.Exit(2)


@app.command()
@_interruptible
def build(
    inputs: Annotated[Optional[list[Path]], typer.Argument(help="Interview files or folders (default: corpus/): text, Markdown, HTML, MHTML, SubRip / WebVTT captions (.srt, .vtt), PDF (its text layer) or Word (.docx).")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for kg.ttl, kg.trig and kg.html.")] = Path("graphs"),
    lexicon: Annotated[Optional[list[Path]], typer.Option("--lexicon", "-l", help="Extra lexicon file (Turtle), added to ontology/lexicon/*.ttl. Repeatable.")] = None,
    min_confidence: Annotated[Optional[float], typer.Option(help="Relations below this confidence are not asserted (default: the threshold the relation model was tuned to (kg train), or its threshold per group if it was trained with --group-thresholds; 0.5 with --rules-only). Given, one threshold for every relation.")] = None,
    rules_only: Annotated[bool, typer.Option("--rules-only", help="Relations from the rules alone, without the trained relation model (the model weighs the rules and everything else).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
    into: Annotated[Optional[Path], typer.Option("--into", help="Incremental: merge the interviews into the graph already in this folder (DIR/kg.trig) and rewrite DIR/kg.trig, DIR/kg.ttl and DIR/kg.html. An interview already there (same content hash, same lexicon and rules) is skipped; a changed file replaces its older version. Instead of --output.")] = None,
    refresh: Annotated[bool, typer.Option("--refresh", help="With --into: extract every input again, even those already in the graph.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Extract in N worker processes (the graph is the same as with 1).")] = 1,
    executor: Annotated[str, typer.Option(help="Where extraction runs: 'local' (this machine, --jobs) or 'dask' (an existing Dask cluster, --scheduler).")] = "local",
    scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address for --executor dask, e.g. tcp://10.0.0.5:8786.")] = None,
    max_file_size: Annotated[float, typer.Option(min=0.001, help="Refuse input files over this many MB (unread).")] = 32.0,
):
    """Build the knowledge graph of interviews: writes OUTPUT/kg.ttl (whole graph),
    OUTPUT/kg.trig (one named graph per interview) and OUTPUT/kg.html (the interactive view).
    With --into DIR: incremental, merged into DIR's graph (unchanged interviews are skipped)."""
    from .gctune import quiet_imports
    from .nlp import rxcache

    # spaCy and the rest, without the garbage collector walking them as they load, their module-level
    # regular expressions from the start-up cache
    with quiet_imports(), rxcache.kept("build-imports"):
        from .build import build as run_build
        from .export.html import build_writer
        from .nlp.plain import RuleError
        from .parallel import ParallelError
        from .rdfio import GraphFileError

    if into is not None:
        output = into
    elif refresh:
        _fail("--refresh goes with --into DIR (a plain build extracts every input anyway)", 2)
    if executor not in ("local", "dask"):
        _fail(f"--executor must be 'local' or 'dask', not {executor!r}", 2)
    if executor == "dask" and not scheduler:
        _fail("--executor dask needs --scheduler tcp://HOST:PORT (the address of a running Dask scheduler)", 2)

    from .build import BuildError, preflight

    if not inputs and not Path("corpus").is_dir():
        _fail("no interview to build: there is no corpus/ folder here (kg build alone builds a checkout's corpus/); "
              "name the interviews: kg build FILE_OR_FOLDER... -o DIR", 1)
    inputs = inputs or [Path("corpus")]
    try:
        total = len(preflight(inputs, output))
    except BuildError as e:
        _fail(str(e), e.exit_code)
    progress = Progress(TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("{task.description}"), console=err, disable=quiet or not err.is_terminal)
    before = _graph_before(into) if into is not None and not quiet else None
    try:
        lex = _load_lexicon(lexicon)
        with progress:
            task = progress.add_task("", total=total)
            _, report = run_build(
                inputs, output, lexicon=lex, min_confidence=min_confidence,
                progress=lambda p: progress.update(task, description=p.name),
                on_file_done=lambda p: progress.advance(task),
                extra_writers=[build_writer],
                into=into is not None, refresh=refresh,
                jobs=jobs, executor=executor, scheduler=scheduler, max_bytes=int(max_file_size * 1e6),
                rules_only=rules_only,
            )
    except (RuleError, GraphFileError, ParallelError) as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        raise typer.Exit(2)
    except BuildError as e:
        _fail(str(e), e.exit_code)
    for line in report.skipped + report.warnings:
        err.print(f"[yellow]warning:[/yellow] {line}", highlight=False)
    for line in report.failed:
        err.print(f"[red]error:[/red] {line}", highlight=False)
    if not quiet:
        _print_summary(report)
        if report.unchanged:
            n = len(report.unchanged)
            out.print(f"{n} interview{'s' if n != 1 else ''} already in the graph and unchanged (same content, lexicon and "
                      "rules): not extracted again (--refresh extracts them)", highlight=False)
    if report.merge is not None:
        _print_merge_report(report.merge, quiet)
    if before is not None:
        _print_added(before, into / "kg.trig")
    if not report.ok:
        raise typer.Exit(1)


def _graph_before(into: Path):
    """kg build --into: the graph in DIR before the build (for the summary of what it added)."""
    from .analysis.load import read_view
    from .graphview import GraphView
    from .rdfio import GraphFileError

    trig = into / "kg.trig"
    try:
        return read_view([trig]) if trig.exists() else GraphView({}, [], {}, {})
    except GraphFileError:
        return None  # the build reports the bad file


def _print_added(before, trig: Path) -> None:
    """What the build changed in the graph (kg diff OLD NEW): at most 20 rows for each of 10
    interviews, then a line per interview."""
    from .analysis.diff import diff
    from .analysis.load import read_view

    _print_diff(diff(before, read_view([trig])), limit=20, interviews=10)


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
    min_confidence: Annotated[float, typer.Option(help="Count only relations whose confidence (the interview's, kg:documentConfidence, else the sentence's) is at or above this.")] = 0.0,
    errors: Annotated[bool, typer.Option("--errors", help="List missed and spurious entities and relations.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    totals: Annotated[bool, typer.Option("--totals", help="Print totals only (entities, relations, core relations, develops+affiliatedWith): for a locked test set, whose misses nobody reads. Refuses --errors and --by-set.")] = False,
    by_set: Annotated[bool, typer.Option("--by-set", help="Also score each set of gold files (their folder: …/dev/gold -> dev) on its own.")] = False,
    curve_png: Annotated[Optional[Path], typer.Option("--curve", help="Write a precision-recall curve over confidence thresholds (0.05 … 0.95) to this PNG and print its table (build the graph with a low --min-confidence).")] = None,
    lexicon: Annotated[Optional[list[Path]], typer.Option("--lexicon", "-l", help="Extra lexicon file (as for kg build): gold names may be any alias the lexicon gives an entity.")] = None,
):
    """Score a graph against gold annotations: precision, recall and F1 for entities (by type)
    and relations (by kind, the core four and develops+affiliatedWith together). Usage: kg eval GOLD... GRAPH"""
    import json

    from .eval import GoldError, curve, evaluate, gold_set, lexicon_aliases, load_gold, plot_curve
    from .rdfio import GraphFileError, load_graph

    if len(gold) < 2:
        err.print("[red]error:[/red] give at least one gold file and the graph: kg eval GOLD... GRAPH")
        raise typer.Exit(2)
    if totals and (errors or by_set):
        err.print("[red]error:[/red] --totals shows totals only: a locked set's misses and per-set scores are not shown")
        raise typer.Exit(2)
    *gold_paths, graph_path = gold
    try:
        golds = [load_gold(p) for p in gold_paths]
        graph = load_graph([graph_path])
    except (GoldError, GraphFileError) as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        raise typer.Exit(2)
    aliases = lexicon_aliases(_load_lexicon(lexicon))
    result = evaluate(golds, graph, min_confidence, aliases=aliases)
    for line in result.absent:  # scored as nothing found: every gold entity and relation missed
        err.print(f"[yellow]warning:[/yellow] {line}; scored as nothing found", highlight=False)
    if totals:
        if as_json:
            out.print_json(json.dumps(result.totals()))
        else:
            table = Table(title=f"totals of {len(golds)} gold file(s)", title_justify="left")
            for col in ("", "precision", "recall", "F1", "gold"):
                table.add_column(col, justify="right" if col else "left")
            for name, sc in result.totals().items():
                table.add_row(name, f"{sc['precision']:.3f}", f"{sc['recall']:.3f}", f"{sc['f1']:.3f}", str(sc["tp"] + sc["fn"]))
            out.print(table)
        return
    sets = {}
    if by_set:
        for g in golds:
            sets.setdefault(gold_set(g), []).append(g)
    if as_json:
        data = result.as_dict()
        if by_set:
            data["sets"] = {name: evaluate(gs, graph, min_confidence, aliases=aliases).as_dict() for name, gs in sets.items()}
        out.print_json(json.dumps(data))
    else:
        for part in ("entities", "relations"):
            table = Table(title=part, title_justify="left")
            for col in ("", "precision", "recall", "F1", "tp", "fp", "fn"):
                table.add_column(col, justify="right" if col else "left")
            rows = list(getattr(result, part).items())
            if part == "relations":
                from .eval import GROUPS

                rows += [(name, result.group(rels)) for name, rels in GROUPS.items()]
            rows += [("all", result.total(part))]
            for name, sc in rows:
                table.add_row(name, f"{sc.precision:.3f}", f"{sc.recall:.3f}", f"{sc.f1:.3f}", str(sc.tp), str(sc.fp), str(sc.fn),
                              style="bold" if name == "all" else None)
            out.print(table)
        if by_set:
            table = Table(title="by set", title_justify="left")
            for col in ("set", "files", "entities P", "R", "F1", "relations P", "R", "F1", "core F1", "dev+aff F1"):
                table.add_column(col, justify="left" if col == "set" else "right")
            for name, gs in sets.items():
                r = evaluate(gs, graph, min_confidence, aliases=aliases)
                e, rel = r.total("entities"), r.total("relations")
                d = r.as_dict()["relations"]
                table.add_row(name, str(len(gs)), f"{e.precision:.3f}", f"{e.recall:.3f}", f"{e.f1:.3f}",
                              f"{rel.precision:.3f}", f"{rel.recall:.3f}", f"{rel.f1:.3f}",
                              f"{d['core']['f1']:.3f}", f"{d['develops+affiliatedWith']['f1']:.3f}")
            out.print(table)
    if curve_png is not None:
        points = curve(golds, graph, [round(0.05 * i, 2) for i in range(1, 20)], aliases)
        plot_curve(points, curve_png, f"{len(golds)} gold file(s): precision-recall over thresholds")
        table = Table(title=f"precision-recall over thresholds (written to {curve_png})", title_justify="left")
        for col in ("threshold", "P", "R", "F1", "core P", "core R", "core F1"):
            table.add_column(col, justify="right")
        from .eval import GROUPS

        for t, r in points:
            a, c = r.total("relations"), r.group(GROUPS["core"])
            table.add_row(f"{t:.2f}", f"{a.precision:.3f}", f"{a.recall:.3f}", f"{a.f1:.3f}",
                          f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}")
        out.print(table)
    if errors:
        for line in result.missed:
            out.print(f"[red]missed[/red]   {line}", highlight=False)
        for line in result.spurious:
            out.print(f"[yellow]spurious[/yellow] {line}", highlight=False)


@app.command()
def train(
    splits: Annotated[Path, typer.Option("--splits", help="The splits file: train, dev (and test) folders of interviews and gold files.")] = Path("tests/realtext/splits.yaml"),
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Where to write the model (default: the model the package ships, kg/models/relations).")] = None,
    cv: Annotated[int, typer.Option("--cv", help="Instead of training, cross-validate by file: K folds over the annotated interviews of the train split (dev is not read, nothing is written); prints the scores per set.")] = 0,
    group_thresholds: Annotated[bool, typer.Option("--group-thresholds", help="Also tune a threshold per group, on what the threshold is tuned on (core relations: best core F1 at precision >= 0.7; develops+affiliatedWith: best F1), among those that keep the splits file's guard set (the corpus gold) at its F1 floor; kg build then applies them.")] = False,
):
    """Train the relation model: fit it on the train split, tune its threshold (on the out-of-fold
    readings of the train texts the splits file marks unfitted when it says tune: {texts: unfitted, folds: K},
    as the shipped one does; else on the dev split), write it (deterministic: fixed seed, the same files give the same model); first the typer of Latin
    names in Chinese text, written beside it (names.json). Needs scikit-learn,
    which the extra named train installs (pip install -e '.\\[train]' in a checkout)."""
    from .nlp.relmodel import MODEL_DIR
    from .train import TrainError, crossval, cv_table, train as run_train

    try:
        import sklearn  # noqa: F401
    except ImportError:
        err.print("[red]error:[/red] kg train needs scikit-learn: pip install -e '.\\[train]' (in a checkout)")
        raise typer.Exit(2)
    try:
        if cv != 0:
            for line in cv_table(crossval(splits, cv, log=lambda line: out.print(line, highlight=False))):
                out.print(line, highlight=False)
        else:
            run_train(splits, output or MODEL_DIR, log=lambda line: out.print(line, highlight=False),
                      config={"group_thresholds": True} if group_thresholds else None)
    except TrainError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        raise typer.Exit(2)


@app.command()
def known(
    gold: Annotated[list[Path], typer.Argument(help="Gold files (YAML, tests/gold/GUIDELINES.md) or folders of them.", show_default=False)],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Where to write the facts (default: known.yaml of the ontology folder in use).")] = None,
    lexicon: Annotated[Optional[list[Path]], typer.Option("--lexicon", "-l", help="Extra lexicon file (Turtle), added to ontology/lexicon/*.ttl. Repeatable.")] = None,
):
    """Write the known relations (ontology/known.yaml) from annotated texts: each gold relation whose two
    ends are lexicon entities, with the texts it was read in. A relation model trained with them reads
    them as a prior of each pair (never as a relation by itself); kg train hides a text's own facts from it."""
    from .eval import GoldError
    from .known import facts_from_gold, write_known
    from .lexicon import ontology_dir

    files = sorted(p for g in gold for p in (sorted(g.glob("*.yaml")) if g.is_dir() else [g]))
    if not files:
        _fail("no gold files given", 2)
    lex = _load_lexicon(lexicon)
    try:
        facts, total, left = facts_from_gold(files, lex)
    except GoldError as e:
        _fail(str(e), 2)
    target = output or ontology_dir() / "known.yaml"
    write_known(target, facts, sorted({str(p.parent) for p in files}))
    out.print(f"{len(facts)} known relations from {total} gold relations of {len(files)} files "
              f"({left} with an end the lexicon does not hold) -> {target}", highlight=False)


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
            err.print(f"[red]error:[/red] {e}", highlight=False)
            raise typer.Exit(2)
    if texts:
        from .extract import Extractor
        from .parallel import extract_segments

        extractor = Extractor(_load_lexicon(lexicon))
        extractions = []
        for path in iter_input_files(texts):
            try:  # a long file is given to spaCy in pieces, as kg build does
                extractions.append(extract_segments(extractor, load_document(path), keep_text=True))
            except EmptyInput as warn:
                err.print(f"[yellow]warning:[/yellow] {warn}", highlight=False)
            except (InputError, OSError) as e:
                err.print(f"[red]error:[/red] {e}", highlight=False)
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

    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
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
    from .analysis.load import read_view  # the same model as graphview.graph_view, loaded by pyoxigraph
    from .rdfio import GraphFileError

    try:
        return read_view(graphs)
    except GraphFileError as e:
        _fail(str(e), 2)


@app.command()
def view(
    graphs: Annotated[list[Path], typer.Argument(help="Graph files (Turtle, TriG, N-Triples, JSON-LD, ...), read as one graph.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="The HTML file (default: the first graph's name with .html).")] = None,
    only: Annotated[Optional[str], typer.Option("--only", help="Entity types to include, comma-separated: Person,Company,Model,Chip (default: all; the page first shows companies).")] = None,
    relation: Annotated[Optional[str], typer.Option("--relation", help="Relation kinds to include, comma-separated, e.g. supplies,investsIn (default: all).")] = None,
    title: Annotated[str, typer.Option(help="The page title.")] = "AI industry knowledge graph",
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Show the graph as it stood on this date (YYYY-MM-DD, YYYY-MM or YYYY): only what interviews dated then or before say. The page's date slider goes back further.")] = None,
    communities: Annotated[bool, typer.Option("--communities", help="Colour companies by community (as kg communities finds them); a box on the page turns it off.")] = False,
):
    """Write the interactive view of a graph: one self-contained HTML file that needs no
    network. Entities styled by type, relations by kind; click one to read its evidence.
    A date slider shows the graph as it stood on each interview date."""
    from .export.html import ViewError, write_html
    from .graphview import OTHER
    from .vocab import ENTITY_TYPES, RELATIONS

    gv = _load_view(graphs)
    found = None
    if as_of is not None or communities:
        from .analysis import core

        try:
            gv = core.as_of(gv, core.parse_date(as_of)) if as_of is not None else gv
        except core.AnalysisError as e:
            _fail(str(e), 2)
    types = _names(only, [*ENTITY_TYPES, OTHER], "entity type")
    kinds = _names(relation, list(dict.fromkeys([*RELATIONS, *gv.kinds])), "relation")
    output = output or graphs[0].with_suffix(".html")
    if communities:
        found = core.communities(gv.restrict(types, kinds))
    try:
        write_html(gv, output, title=title, types=types, kinds=kinds, communities=found)
    except (ViewError, OSError) as e:
        _fail(str(e), 1)
    shown = gv.restrict(types, kinds)
    out.print(f"{output}: {len(shown.entities)} entities, {len(shown.relations)} relations", highlight=False)


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
# ---------------------------------------------------------------- query, merge, serve (issue 4)

_GRAPH_SUFFIXES = {".ttl", ".trig", ".nt", ".nq", ".jsonld", ".json", ".rdf", ".owl", ".xml", ".n3"}




def _graph_files(items: list[str], with_args: bool) -> tuple[list[Path], list[str]]:
    """Leading graph files, then (with --ask) the question's arguments."""
    files: list[Path] = []
    for i, item in enumerate(items):
        path = Path(item)
        if with_args and not (path.exists() or path.suffix.lower() in _GRAPH_SUFFIXES):
            return files, items[i:]
        files.append(path)
    return files, []


@app.command()
def query(
    files: Annotated[Optional[list[str]], typer.Argument(help="Graph files: Turtle, TriG (named graphs kept: query them with GRAPH), N-Triples, N-Quads, JSON-LD, RDF/XML; default graphs/kg.trig. With --ask, the question's arguments follow the files.", show_default=False)] = None,
    text: Annotated[Optional[str], typer.Option("--query", "-q", help="The SPARQL query. Prefixes kg kge kgd kgev rdf rdfs skos owl prov xsd dcterms wd are bound.")] = None,
    query_file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Read the query from this file (e.g. queries/who-supplies-whom.rq).")] = None,
    ask: Annotated[Optional[str], typer.Option("--ask", "-a", help="Ask a ready question of queries/ by name, e.g. --ask competitors OpenAI (see --list).")] = None,
    list_questions: Annotated[bool, typer.Option("--list", help="List the ready questions and what they take.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, tsv, json (SPARQL 1.1 JSON results) or xml for SELECT/ASK; CONSTRUCT/DESCRIBE write Turtle (or nt, jsonld, xml).")] = "table",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the answer here (atomically) instead of to standard output; with --update, the changed graph.")] = None,
    update: Annotated[bool, typer.Option("--update", help="Allow a SPARQL UPDATE; needs -o OUT (the input files are never changed).")] = False,
    allow_service: Annotated[bool, typer.Option("--allow-service", help="Allow SERVICE (federated queries that reach other endpoints over the network).")] = False,
    engine: Annotated[str, typer.Option("--engine", help="oxigraph (fast, default) or rdflib.")] = "oxigraph",
    iris: Annotated[bool, typer.Option("--iris", help="In the table, show IRIs instead of labels.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="Preferred label language in the table (en or zh).")] = "en",
    endpoint: Annotated[Optional[str], typer.Option("--endpoint", "-e", help="Ask this SPARQL endpoint (a store filled by kg push, e.g. Virtuoso's http://HOST:8890/sparql) instead of graph files.")] = None,
    user: Annotated[Optional[str], typer.Option("--user", help="With --endpoint: user name (Basic or Digest); the password is read from $KG_ENDPOINT_PASSWORD.")] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="With --endpoint: seconds to wait for the answer.")] = 120.0,
):
    """Ask the graph a SPARQL question: -q TEXT, -f FILE.rq, or --ask NAME ARGS, of graph files or
    (--endpoint URL) of a SPARQL store. Read-only unless --update -o OUT. A syntax error prints
    the line, column and a hint (exit 2)."""
    from . import query as Q
    from .questions import QuestionError, bind_arguments, get_question, library
    from .rdfio import GraphFileError

    if list_questions:
        table = Table(show_header=True, header_style="bold", title="ready questions (kg query GRAPH --ask NAME ARGS)", title_justify="left")
        table.add_column("question")
        table.add_column("asks")
        for q in library().values():
            table.add_row(q.usage, q.summary.split(". ")[0].rstrip(".") + ".")
        out.print(table)
        return
    given = [x for x in (text, query_file, ask) if x is not None]
    if len(given) != 1:
        _fail("give one query: -q TEXT, -f FILE.rq or --ask NAME (kg query --list shows the ready questions)", 2)
    if engine not in Q.ENGINES:
        _fail(f"--engine must be one of {', '.join(Q.ENGINES)}", 2)
    if fmt not in Q.FORMATS:
        _fail(f"--format must be one of {', '.join(Q.FORMATS)}", 2)
    paths, args = _graph_files(list(files or []), with_args=ask is not None)
    if endpoint is not None:
        if ask is not None:
            args = list(files or [])
        elif files:
            _fail("give graph files or --endpoint URL, not both", 2)
        if update:
            _fail("--update works on graph files only (kg push replaces the store's graphs)", 2)
    elif not paths:
        default = Path("graphs") / "kg.trig"
        if not default.exists():
            _fail("no graph file given (and no graphs/kg.trig here): kg query GRAPH... -q '...'", 2)
        paths = [default]
    question = None
    try:
        if ask is not None:
            question = get_question(ask)
            text, source = question.text, str(question.path)
        elif query_file is not None:
            if not query_file.exists():
                _fail(f"{query_file}: no such file", 2)
            text, source = query_file.read_text(encoding="utf-8"), str(query_file)
        else:
            source = "query"
        checked = Q.check(text, allow_update=update, allow_service=allow_service, source=source, engine=engine)
    except QuestionError as e:
        _fail(str(e), 2)
    except Q.QueryError as e:
        _fail(str(e), 2)
    if checked.is_update and output is None:
        _fail("an update needs -o OUT: the changed graph is written there (inputs are never changed)", 2)
    if not checked.is_update and fmt not in Q.formats_for(checked.kind):
        _fail(f"a {checked.kind} query answers in {', '.join(Q.formats_for(checked.kind))}, not {fmt}", 2)
    if endpoint is not None:
        _ask_endpoint(endpoint, user, timeout, text, question, args, fmt, output, iris, lang)
        return
    try:
        ds = Q.open_dataset(paths, engine=engine, for_update=checked.is_update, lean=True)
    except GraphFileError as e:
        _fail(str(e), 2)
    if checked.is_update:
        from .rdfio import write_dataset

        try:
            Q.run_update(ds, checked)
        except Q.QueryError as e:
            _fail(str(e), 1)
        write_dataset(ds, output)
        err.print(f"updated graph written to {output}", highlight=False)
        return
    try:
        bindings = bind_arguments(question, ds, args) if question is not None else None
        result = Q.run(ds, checked, bindings)
    except QuestionError as e:
        _fail(str(e), 2)
    except Q.QueryError as e:
        _fail(str(e), 1)
    _emit_answer(result, fmt, ds, output, iris=iris, lang=lang)


def _ask_endpoint(url: str, user: Optional[str], timeout: float, text: str, question, args: list[str], fmt: str,
                  output: Optional[Path], iris: bool, lang: str) -> None:
    """kg query --endpoint: the checked query (a ready question's arguments, resolved against the
    lexicon, written into its text) is sent to the store; the answer is printed like an answer
    from graph files, with the lexicon's labels."""
    from .endpoint import EndpointError
    from .endpoint import query as ask_store
    from .questions import QuestionError, inline_arguments, lexicon_names

    ep = _endpoint(url, user, timeout)
    names = lexicon_names() if question is not None or (fmt == "table" and not iris) else None
    try:
        if question is not None:
            text = inline_arguments(question, args, names)
        result = ask_store(ep, text)
    except QuestionError as e:
        _fail(str(e), 2)
    except EndpointError as e:
        _fail(str(e), 1)
    _emit_answer(result, fmt, names, output, iris=iris, lang=lang)  # labels from the lexicon


def _emit_answer(result, fmt: str, ds, output: Optional[Path], iris: bool, lang: str) -> None:
    import io

    from . import query as Q

    if fmt == "table" and result.type in ("SELECT", "ASK"):
        if result.type == "ASK":
            data = (Q.ask_text(result) + "\n").encode()
        else:
            table = Q.result_table(result, ds, iris=iris, lang=lang)
            if output is None:
                out.print(table)
                n = Q.count_rows(result)
                err.print(f"{n} answer{'s' if n != 1 else ''}", highlight=False)
                return
            buf = io.StringIO()
            Console(file=buf, width=PIPE_WIDTH, color_system=None).print(table)
            data = buf.getvalue().encode("utf-8")
    else:
        data = Q.serialize(result, fmt)
    if output is not None:
        from .atomic import atomic_path

        with atomic_path(output) as tmp:
            tmp.write_bytes(data)
        err.print(f"answer written to {output}", highlight=False)
    else:
        typer.echo(data, nl=False)


def _print_merge_report(report, quiet: bool = False) -> None:
    from .merge import short_name

    for line in report.warnings:
        err.print(f"[yellow]warning:[/yellow] {line}", highlight=False)
    for conflict in report.conflicts:
        err.print(f"[yellow]conflict:[/yellow] {conflict}", highlight=False)
    if quiet:
        return
    for canonical, others in sorted(report.identified.items(), key=lambda kv: str(kv[0])):
        out.print(f"same entity: {short_name(canonical)} = {', '.join(short_name(o) for o in others)}", highlight=False)
    if report.replaced:
        out.print(f"replaced {len(report.replaced)} interview graph(s) by their new extraction", highlight=False)
    out.print(f"merged graph: {report.interviews} interview(s), {report.entities} entities, {report.relations} relations, "
              f"{report.evidence} evidence sentences; {len(report.conflicts)} conflict(s)", highlight=False)


@app.command()
@_interruptible
def merge(
    inputs: Annotated[list[Path], typer.Argument(help="Graph files to merge (TriG keeps one named graph per interview; Turtle and other syntaxes go to the default graph).", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="The merged graph (may be one of the inputs). A .trig output also gets the union as Turtle and the view beside it (kg.trig -> kg.ttl, kg.html), as kg build writes them.", show_default=False)],
    no_turtle: Annotated[bool, typer.Option("--no-turtle", help="Do not write the .ttl beside a .trig output.")] = False,
    no_view: Annotated[bool, typer.Option("--no-view", help="Do not write the view (.html) beside a .trig output.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when there are conflicts (the merged graph is still written).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="Only warnings and conflicts.")] = False,
):
    """Merge graphs: the same entity from different files becomes one node (same IRI, same
    normalised name and type, or an owl:sameAs / Wikidata link); one named graph per interview;
    evidence accumulates. Conflicts are reported. Writes atomically; a malformed input leaves the
    output untouched (exit 2)."""
    from .export.html import write_html
    from .merge import merge_to_files
    from .rdfio import GraphFileError

    if output.is_dir():
        _fail(f"{output}: is a folder; -o takes the merged graph's file name (e.g. {output / 'kg.trig'})", 2)
    try:
        written, report = merge_to_files(inputs, output, turtle_beside=not no_turtle, view=None if no_view else write_html)
    except GraphFileError as e:
        _fail(str(e), 2)
    except OSError as e:
        _fail(f"{output}: cannot write: {e.strerror or e}", 1)
    _print_merge_report(report, quiet)
    if not quiet:
        out.print(f"wrote {', '.join(str(p) for p in written)}", highlight=False)
    if strict and report.conflicts:
        raise typer.Exit(1)


# ---------------------------------------------------------------- analysis (issue 14)

_ASOF_HELP = "Show the graph as it stood on this date (YYYY-MM-DD, YYYY-MM or YYYY): only what interviews dated then or before say; undated interviews are left out."
_FORMAT_HELP = "table (default), json or csv."


def _analysis(graph: Path, relation: Optional[str] = None, as_of: Optional[str] = None):
    """The graph's view model for the analysis commands, restricted by --relation and --as-of."""
    from .analysis import core
    from .analysis.load import read_view
    from .rdfio import GraphFileError

    try:
        view = read_view([graph])
        date = core.parse_date(as_of) if as_of else None
        view = core.prepare(view, core.kinds_of(view, relation), date)
    except (GraphFileError, core.AnalysisError) as e:
        _fail(str(e), 2)
    return view


def _resolve(view, name: str):
    from .analysis.core import AnalysisError, resolve

    try:
        return resolve(view, name)
    except AnalysisError as e:
        _fail(str(e), 2)


def _check_format(fmt: str, allowed=("table", "json", "csv")) -> str:
    if fmt not in allowed:
        _fail(f"--format must be one of {', '.join(allowed)}, not {fmt!r}", 2)
    return fmt


@app.command()
def path(
    graph: Annotated[Path, typer.Argument(help="The graph file (Turtle, TriG, merged graphs, ...).", show_default=False)],
    a: Annotated[str, typer.Argument(help="From: any name or alias, in any script (台积电, 臺積電, TSMC), or an IRI.", show_default=False)],
    b: Annotated[str, typer.Argument(help="To: likewise.", show_default=False)],
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, help="Longest path, in relations.")] = 4,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many paths, shortest first.")] = 5,
    relation: Annotated[Optional[str], typer.Option("--relation", help="Follow only these relation kinds, comma-separated.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help=_ASOF_HELP)] = None,
    fmt: Annotated[str, typer.Option("--format", help=_FORMAT_HELP)] = "table",
):
    """The shortest paths between two entities, following relations either way: each hop with its
    relation, direction and best evidence sentence (networkx shortest_simple_paths). Exit 1 when
    there is none within --max-hops."""
    from .analysis import core, report

    _check_format(fmt)
    view = _analysis(graph, relation, as_of)
    start, end = _resolve(view, a), _resolve(view, b)
    try:
        found = core.paths(view, start, end, max_hops=max_hops, limit=limit)
    except core.AnalysisError as e:
        _fail(str(e), 2)
    if fmt == "json":
        typer.echo(report.to_json({"from": start.label, "to": end.label, "paths": found}), nl=False)
    elif fmt == "csv":
        typer.echo(report.to_csv(report.path_rows(found), report.PATH_COLUMNS), nl=False)
    else:
        for table in report.path_tables(found):
            out.print(table)
        if not found:
            out.print(f"no path from {start.label} to {end.label} within {max_hops} hops", highlight=False)
    if not found:
        raise typer.Exit(1)


@app.command()
def neighbours(
    graph: Annotated[Path, typer.Argument(help="The graph file.", show_default=False)],
    x: Annotated[str, typer.Argument(help="The entity: any name or alias, in any script, or an IRI.", show_default=False)],
    depth: Annotated[int, typer.Option("--depth", min=1, help="How many relations away.")] = 2,
    relation: Annotated[Optional[str], typer.Option("--relation", help="Follow only these relation kinds, comma-separated.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help=_ASOF_HELP)] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Also write the neighbourhood as an interactive view (HTML).")] = None,
    fmt: Annotated[str, typer.Option("--format", help=_FORMAT_HELP)] = "table",
):
    """The entities around one (networkx ego_graph), grouped by relation, with evidence counts."""
    from .analysis import core, report

    _check_format(fmt)
    view = _analysis(graph, relation, as_of)
    center = _resolve(view, x)
    rows, ids = core.neighbours(view, center, depth)
    if fmt == "json":
        typer.echo(report.to_json({"entity": center.label, "id": center.id, "depth": depth, "neighbours": rows}), nl=False)
    elif fmt == "csv":
        typer.echo(report.to_csv(rows, report.NEIGHBOUR_COLUMNS), nl=False)
    else:
        out.print(f"{center.label} ({center.type}): {len(ids) - 1} entities within {depth} relation(s)", highlight=False)
        for table in report.neighbour_tables(center.label, rows):
            out.print(table)
    if output is not None:
        from .export.html import ViewError, write_html

        try:
            write_html(core.subview(view, ids), output, title=f"{center.label}: neighbourhood")
        except (ViewError, OSError) as e:
            _fail(str(e), 1)
        err.print(f"{output}: {len(ids)} entities", highlight=False)


@app.command()
def rank(
    graph: Annotated[Path, typer.Argument(help="The graph file.", show_default=False)],
    by: Annotated[str, typer.Option("--by", help="pagerank, degree or betweenness.")] = "pagerank",
    type_: Annotated[Optional[str], typer.Option("--type", help="List only entities of these types, comma-separated (Company, Person, Model, Chip).")] = None,
    relation: Annotated[Optional[str], typer.Option("--relation", help="Use only these relation kinds, comma-separated.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help=_ASOF_HELP)] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="Show this many (0: all).")] = 20,
    fmt: Annotated[str, typer.Option("--format", help=_FORMAT_HELP)] = "table",
):
    """Who is central: PageRank (weighted by evidence), degree or betweenness, with scores."""
    from .analysis import core, report
    from .graphview import OTHER
    from .vocab import ENTITY_TYPES

    _check_format(fmt)
    types = _names(type_, [*ENTITY_TYPES, OTHER], "entity type")
    view = _analysis(graph, relation, as_of)
    try:
        rows = core.rank(view, by, types, limit)
    except core.AnalysisError as e:
        _fail(str(e), 2)
    if fmt == "json":
        typer.echo(report.to_json({"by": by, "ranking": rows}), nl=False)
    elif fmt == "csv":
        typer.echo(report.to_csv(rows, report.RANK_COLUMNS), nl=False)
    else:
        out.print(report.rank_table(rows, by))


@app.command()
def communities(
    graph: Annotated[Path, typer.Argument(help="The graph file.", show_default=False)],
    type_: Annotated[str, typer.Option("--type", help="Cluster entities of these types, comma-separated, or 'all'.")] = "Company",
    relation: Annotated[Optional[str], typer.Option("--relation", help="Use only these relation kinds, comma-separated.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help=_ASOF_HELP)] = None,
    fmt: Annotated[str, typer.Option("--format", help=_FORMAT_HELP)] = "table",
):
    """Clusters of companies (networkx louvain_communities, fixed seed: the same graph always gives
    the same clusters), each named by its most central members."""
    from .analysis import core, report
    from .graphview import OTHER
    from .vocab import ENTITY_TYPES

    _check_format(fmt)
    types = None if type_.strip().lower() == "all" else _names(type_, [*ENTITY_TYPES, OTHER], "entity type")
    view = _analysis(graph, relation, as_of)
    found = core.communities(view, types)
    if fmt == "json":
        typer.echo(report.to_json({"communities": [{k: c[k] for k in ("community", "name", "size", "relations", "members", "ids")}
                                                   for c in found]}), nl=False)
    elif fmt == "csv":
        typer.echo(report.to_csv(found, report.COMMUNITY_COLUMNS), nl=False)
    else:
        out.print(report.community_table(found))


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The graph before.", show_default=False)],
    new: Annotated[Path, typer.Argument(help="The graph after.", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", help="table (default), json, csv or trig (graphs <.../diff/added> and <.../diff/removed>).")] = "table",
):
    """What changed from OLD to NEW: entities and relations added and removed, evidence added,
    confidence changed, grouped by the interview that makes the change. Exit 0 either way."""
    from .analysis import report
    from .analysis.diff import as_json, as_trig
    from .analysis.diff import diff as compare
    from .analysis.load import read_view
    from .rdfio import GraphFileError

    _check_format(fmt, ("table", "json", "csv", "trig"))
    try:
        before, after = read_view([old]), read_view([new])
    except GraphFileError as e:
        _fail(str(e), 2)
    d = compare(before, after)
    if fmt == "json":
        typer.echo(report.to_json(as_json(d)), nl=False)
    elif fmt == "csv":
        typer.echo(report.to_csv(report.diff_rows(d), report.DIFF_COLUMNS), nl=False)
    elif fmt == "trig":
        typer.echo(as_trig(d, before, after), nl=False)
    else:
        _print_diff(d)


def _print_diff(d, limit: int | None = None, interviews: int | None = None) -> None:
    from .analysis import report

    for table in report.diff_tables(d, limit, interviews):
        out.print(table)
    out.print(f"changes: {d.summary()}", highlight=False)


@app.command()
def serve(
    graphs: Annotated[list[Path], typer.Argument(help="Graph files to serve (any syntax kg query reads).", show_default=False)],
    port: Annotated[int, typer.Option("--port", "-p", help="TCP port (0: any free one).")] = 8000,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; keep the loopback default unless you mean to share the graph.")] = "127.0.0.1",
    engine: Annotated[str, typer.Option("--engine", help="oxigraph (fast, default) or rdflib.")] = "oxigraph",
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds a query may run; a longer one is cancelled (503 naming the limit) while other clients are answered.")] = 30.0,
    max_rows: Annotated[int, typer.Option("--max-rows", min=1, help="Most rows in an answer (triples for CONSTRUCT); a longer answer is cut and the header X-KG-Truncated says so.")] = 100_000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Queries answered at once, each in its own worker process.")] = 4,
    worker_memory: Annotated[int, typer.Option("--worker-memory", min=64, help="MiB of memory a worker may use beyond the loaded graph; a query needing more fails (503).")] = 2048,
):
    """Serve graphs as a read-only SPARQL 1.1 Protocol endpoint at http://HOST:PORT/sparql
    (GET and POST; JSON, XML, CSV or TSV results by content negotiation; default-graph-uri and
    named-graph-uri; updates refused). Queries run in worker processes: one running longer than
    --timeout is cancelled while the others are answered."""
    from . import query as Q
    from .rdfio import GraphFileError
    from .serve import make_server

    if engine not in Q.ENGINES:
        _fail(f"--engine must be one of {', '.join(Q.ENGINES)}", 2)
    if not 0 <= port <= 65535:
        _fail(f"--port {port}: a TCP port is 0 to 65535 (0: any free one)", 2)
    try:
        ds = Q.open_dataset(graphs, engine=engine)
    except GraphFileError as e:
        _fail(str(e), 2)
    try:
        server = make_server(ds, host, port, timeout=timeout, max_rows=max_rows, workers=workers,
                             worker_memory=worker_memory << 20)
    except (OSError, OverflowError) as e:
        _fail(f"cannot listen on {host}:{port}: {getattr(e, 'strerror', None) or e}", 2)
    bound_host, bound_port = server.server_address[:2]
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/yellow] listening on {host}: other machines can query the graph", highlight=False)
    out.print(f"SPARQL endpoint (read-only) at http://{bound_host}:{bound_port}/sparql serving "
              f"{', '.join(str(g) for g in graphs)}; {workers} workers, --timeout {timeout:g} s, --max-rows {max_rows}; "
              "Ctrl-C stops", highlight=False)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _endpoint(url: str, user: str | None, timeout: float):
    import os

    from .endpoint import Endpoint, EndpointError

    try:
        return Endpoint(url, user=user, password=os.environ.get("KG_ENDPOINT_PASSWORD"), timeout=timeout)
    except EndpointError as e:
        _fail(str(e), 2)


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
        err.print(f"[red]error:[/red] --protocol must be {' or '.join(PROTOCOLS)}, not {protocol!r}", highlight=False)
        raise typer.Exit(2)
    ep = _endpoint(endpoint, user, timeout)
    try:
        report = run_push(graphs, ep, graph=graph, protocol=protocol, append=append, batch_size=batch)
    except (EndpointError, GraphFileError) as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        raise typer.Exit(1)
    if not quiet:
        for name, n in report.graphs.items():
            out.print(f"{n:>9} triples -> {('<' + name + '>') if name else 'default graph'}", highlight=False)
        out.print(f"{report.triples} triples in {len(report.graphs)} graph(s), {report.requests} request(s) to {endpoint}",
                  highlight=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
