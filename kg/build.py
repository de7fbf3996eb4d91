"""The build: corpus files -> extraction -> graph -> Turtle and TriG (and the HTML view)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset
from rdflib.namespace import RDF

from .atomic import output_set
from .corpus import DEFAULT_MAX_BYTES, iter_input_files
from .extract import Extractor
from .export.rdf import ox_quads, write_trig, write_turtle
from .gctune import fewer_collections
from .graph import add_extraction, new_dataset, source_path
from .lexicon import Lexicon
from .vocab import ENTITY_TYPES, KG, RELATIONS


@dataclass
class BuildReport:
    documents: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one-line warnings: files not used
    warnings: list[str] = field(default_factory=list)  # one-line warnings: files used, not whole
    unchanged: list[Path] = field(default_factory=list)  # content hash in ``known``: not extracted
    failed: list[str] = field(default_factory=list)  # one-line errors
    outputs: list[Path] = field(default_factory=list)
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    evidence: int = 0
    merge: object = None  # kg.merge.MergeReport when built --into an existing graph

    @property
    def ok(self) -> bool:
        return not self.failed


def summarise(ds: Dataset, report: BuildReport) -> None:
    """Count distinct entities by type and distinct relation triples by kind over all graphs."""
    entities: dict[str, set] = {t: set() for t in ENTITY_TYPES}
    for t in ENTITY_TYPES:
        for s, _, _, ctx in ds.quads((None, RDF.type, KG[t], None)):
            if ctx is not None and str(ctx.identifier if hasattr(ctx, "identifier") else ctx).startswith("https://w3id.org/ai-kg/doc/"):
                entities[t].add(s)
    report.entities = Counter({t: len(v) for t, v in entities.items()})
    rels = Counter()
    for r in RELATIONS:
        triples = {(s, o) for s, _, o, _ in ds.quads((None, KG[r], None, None))}
        if r == "competesWith":
            triples = {tuple(sorted(p)) for p in triples}
        rels[r] = len(triples)
    report.relations = rels
    report.evidence = len(set(ds.quads((None, RDF.type, KG.Evidence, None))))


class BuildError(Exception):
    """The build cannot start or has nothing to write; ``str(err)`` is one line. Nothing was written."""

    exit_code = 2


class NothingToBuild(BuildError):
    """No input file gave an interview: the output folder is left as it was."""

    exit_code = 1


_FILE_SUFFIXES = {".ttl", ".trig", ".html", ".htm", ".nt", ".nq", ".jsonld", ".json", ".rdf", ".xml", ".owl", ".n3"}


def check_output_folder(out_dir: Path) -> None:
    """``-o`` names a folder: refuse an existing file, and a name like ``out.ttl`` that is not
    there yet (kg would make a folder of that name), before anything is read or extracted."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out_dir}: is a file; -o/--into takes a folder, where kg.ttl, kg.trig and kg.html are written")
    if not out_dir.exists() and out_dir.suffix.lower() in _FILE_SUFFIXES:
        raise BuildError(f"{out_dir}: -o/--into takes a folder, not a file name (kg.ttl, kg.trig and kg.html are written "
                         f"inside it): use -o {out_dir.parent / out_dir.stem if out_dir.stem else out_dir.parent}")


def preflight(inputs: list[Path], out_dir: Path) -> list[Path]:
    """The interview files of ``inputs``, after checking ``out_dir`` (``check_output_folder``);
    ``NothingToBuild`` when there are none. Nothing is read or written."""
    check_output_folder(out_dir)
    files = iter_input_files(inputs)
    if not files:
        raise NothingToBuild(_nothing_to_build(inputs, _nothing_found(inputs)))
    return files


def _nothing_to_build(inputs: list[Path], reasons: list[str], out_dir: Path | None = None) -> str:
    """One line: no interview in ``inputs``, and why (each reason starts with its file's name,
    left out when there is only one input)."""
    inputs = [str(p) for p in inputs]
    if len(inputs) == 1:
        reasons = [r[len(inputs[0]) + 2:] if r.startswith(inputs[0] + ": ") else r for r in reasons]
    shown = "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")
    tail = f"; nothing written to {out_dir}" if out_dir is not None else ""
    return f"no interview to build in {', '.join(inputs) or '(nothing)'}: {shown or 'no input files'}{tail}"


def _nothing_found(inputs: list[Path]) -> list[str]:
    """Why ``inputs`` hold no interview file: one clause per input."""
    from .corpus import INPUT_SUFFIXES

    order = [".txt", ".md", ".markdown", ".text", ".html", ".htm", ".xhtml", ".mhtml", ".mht", ".srt", ".vtt", ".pdf", ".docx"]
    suffixes = INPUT_SUFFIXES
    looked = " ".join([s for s in order if s in suffixes] + sorted(suffixes - set(order)))
    parts = []
    for item in map(Path, inputs):
        if not item.exists():
            parts.append(f"{item}: no such file or folder")
        elif item.is_dir():
            parts.append(f"{item}: looked for {looked} files (README files, hidden files and folders skipped), found none")
    return parts


@dataclass(frozen=True)
class HeldInterview:
    """An interview already in a graph: its named graph, file name, content hash, fingerprint,
    and the absolute paths of the files it was read from (``kg:sourcePath``)."""

    graph: object
    file_name: str | None
    content_hash: str | None
    extracted_with: str | None
    sources: frozenset = frozenset()


def held_interviews(ds: Dataset) -> list[HeldInterview]:
    out = []
    for d, _, _, ctx in ds.quads((None, RDF.type, KG.Interview, None)):
        name = ctx.identifier if hasattr(ctx, "identifier") else ctx
        g = ds.graph(name)

        def text(p):
            v = g.value(d, p)
            return str(v) if v is not None else None

        out.append(HeldInterview(name, text(KG.fileName), text(KG.contentHash), text(KG.extractedWith),
                                 frozenset(str(v) for v in g.objects(d, KG.sourcePath))))
    return out


def _reconcile_plan(held: list[HeldInterview], inputs: dict[str, tuple[str, str]], warnings: list[str]):
    """What ``reconcile`` decides for each held interview graph with recorded source paths, as
    (held, the paths that now hold other content, the paths that hold its content): a graph with
    moved paths and none kept is to be dropped. A held graph with no source path is skipped, with
    a warning where a file of its name with other content is read now."""
    by_hash: dict[str, set[str]] = {}
    for path, (sha, _) in inputs.items():
        by_hash.setdefault(sha, set()).add(path)
    for h in held:
        if not h.sources:
            clash = sorted(p for p, (sha, name) in inputs.items() if name == h.file_name and sha != h.content_hash)
            if clash:
                warnings.append(f"{clash[0]}: the graph holds another interview named {h.file_name} with no recorded "
                                "path (built by an older kg): both are kept; rebuild without --into to drop the old one")
            continue
        moved = {s for s in h.sources if s in inputs and inputs[s][0] != h.content_hash}
        yield h, moved, (h.sources - moved) | by_hash.get(h.content_hash, set())


def reconcile(base: Dataset, new: Dataset, held: list[HeldInterview], inputs: dict[str, tuple[str, str]],
              warnings: list[str]) -> list:
    """Which held interview graphs the inputs of an incremental build replace.

    An interview is known by its content hash and its source path, never by its file name alone.
    ``inputs``: absolute path -> (content hash, file name) of every file read now. A held graph
    whose every source path now holds other content is replaced (returned, to drop); one with
    other sources still valid is kept, without the paths that moved on. A file read now whose
    content is held already gains its path on that graph (in ``new`` if re-extracted, else in
    ``base``). A held graph with no source path (written by an older kg) is never replaced; a
    file of the same name with other content gets a warning."""
    from rdflib import Literal

    drop = []
    for h, moved, kept in _reconcile_plan(held, inputs, warnings):
        if moved and not kept:
            drop.append(h.graph)
            continue
        d, g = h.graph, base.graph(h.graph)
        for s in moved:
            g.remove((d, KG.sourcePath, Literal(s)))
        fresh = new.graph(d)
        target = fresh if (d, RDF.type, KG.Interview) in fresh else g
        for s in kept:
            target.add((d, KG.sourcePath, Literal(s)))
    return drop


def _all_sources(ds: Dataset, read: dict[str, tuple[str, str]]) -> None:
    """Files of the same content are one interview (one graph, extracted last from one of
    them): it records every path it was read from."""
    from rdflib import Literal

    from .graph import doc_iri

    for path, (sha, _) in read.items():
        d = doc_iri(sha[:16])
        g = ds.graph(d)
        if (d, RDF.type, KG.Interview) in g:
            g.add((d, KG.sourcePath, Literal(path)))


@fewer_collections()
def build(
    inputs: list[Path],
    out_dir: Path,
    lexicon: Lexicon | None = None,
    min_confidence: float | None = None,
    progress: Callable[[Path], None] | None = None,
    on_file_done: Callable[[Path], None] | None = None,
    extra_writers: list[Callable[[object, Path], Path]] | None = None,
    *,
    into: bool = False,
    refresh: bool = False,
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    known: Collection[str] = (),
    rules_only: bool = False,
) -> tuple[BuiltGraph | Dataset, BuildReport]:
    """Build the graph of ``inputs`` into ``out_dir``. Bad files are reported, not fatal.

    Extraction runs in this process, in ``jobs`` processes, or on the Dask cluster at
    ``scheduler`` (``executor="dask"``); the graph is built here, in input order, so every way
    writes the same bytes. Files whose content hash (``kg:contentHash``) is in ``known`` are
    read and hashed only, and listed in ``report.unchanged``.

    With ``into``, the build is incremental and merged into ``out_dir/kg.trig``
    (``kg.merge.merge_into``): an interview already there with the same content hash and the
    same extractor fingerprint (``kg:extractedWith``) is not extracted again (all of them are
    with ``refresh``); a file whose content changed replaces the graph of its older version
    (same source path, ``reconcile``); every output holds the merged graph. A malformed existing
    graph raises ``GraphFileError`` before anything is read or written. Raises
    ``kg.parallel.ParallelError`` if the pool or cluster fails.

    ``BuildError`` (one line, nothing written): ``out_dir`` is a file or a file name;
    ``NothingToBuild``: no input gave an interview. ``kg.ttl``, ``kg.trig`` and the extra
    writers' files are replaced together or not at all (``kg.atomic.output_set``); a Ctrl-C
    during the renames raises ``kg.atomic.InterruptedAfterWrite`` after the last one.
    ``min_confidence`` None: the relation model's threshold (tuned by ``kg train``); ``rules_only``:
    relations from the rules alone.

    A fresh build streams (``_build_streaming``): each interview's graph is written as its
    extraction comes back, and the view model is gathered from it; each of ``extra_writers``
    is called with that model (``kg.graphview.GraphView``) and the staging folder, and the
    result is a ``BuiltGraph``. With ``into`` the graph already in ``out_dir`` and the new
    interviews are merged the same way, with Oxigraph's parser and writer (``_build_into``): the
    extra writers get the merged graph's model, and the result is a ``BuiltGraph`` of it."""
    out_dir = Path(out_dir)
    files = preflight(inputs, out_dir)
    lexicon = lexicon or Lexicon.load()
    extractor = Extractor(lexicon, min_confidence=min_confidence, **({"relation_model": None} if rules_only else {}))
    report = BuildReport()
    threshold = float(extractor.discovery.get("assert_threshold", 0.6))
    if not into:
        return _build_streaming(inputs, out_dir, files, extractor, lexicon, report, threshold, progress, on_file_done,
                                extra_writers, jobs=jobs, executor=executor, scheduler=scheduler, max_bytes=max_bytes,
                                known=known)
    return _build_into(inputs, out_dir, files, extractor, lexicon, report, threshold, progress, on_file_done,
                       extra_writers, refresh, jobs=jobs, executor=executor, scheduler=scheduler, max_bytes=max_bytes,
                       known=known)


def _build_into_rdflib(inputs, out_dir: Path, files, extractor, lexicon, report: BuildReport, threshold: float,
                       progress, on_file_done, extra_writers, refresh: bool, **how) -> tuple[Dataset, BuildReport]:
    """``kg build --into`` as it was before ``_build_into``: rdflib datasets throughout (kept to
    compare with: ``tests/test_build_into.py``)."""
    from .parallel import results

    known = how.pop("known", ())
    held: list[HeldInterview] = []
    base = None
    if (out_dir / "kg.trig").exists():
        from .rdfio import load_dataset

        base = load_dataset([out_dir / "kg.trig"])
        held = held_interviews(base)
        if not refresh:
            known = set(known) | {h.content_hash for h in held if h.extracted_with == extractor.fingerprint}
    ds = new_dataset()
    read: dict[str, tuple[str, str]] = {}  # absolute path -> (content hash, file name) of each file read
    problems: list[str] = []  # one line per file not used, in input order
    for result in results(files, extractor, known=known, **how):
        path = result.path
        if progress:
            progress(path)
        if _note(result, report, problems, read):
            add_extraction(ds, result.extraction, lexicon, discovered_threshold=threshold,
                           extracted_with=extractor.fingerprint)
        if on_file_done:
            on_file_done(path)
    if not report.documents and not report.unchanged:
        raise NothingToBuild(_nothing_to_build(inputs, problems, out_dir))
    _all_sources(ds, read)
    from .merge import merge_into

    superseded = reconcile(base, ds, held, read, report.warnings) if base is not None else []
    ds, report.merge = merge_into(out_dir / "kg.trig", ds, base=base, drop=superseded)
    with output_set(out_dir) as stage:  # kg.ttl, kg.trig and kg.html replaced together or not at all
        quads = ox_quads(ds)  # converted once for both files
        write_turtle(ds, stage / "kg.ttl", quads, relative_to=out_dir)
        write_trig(ds, stage / "kg.trig", quads, relative_to=out_dir)
        del quads
        for writer in extra_writers or []:
            writer(ds, stage)
        names = sorted(p.name for p in stage.iterdir())
    report.outputs += [out_dir / name for name in ("kg.ttl", "kg.trig")]
    report.outputs += [out_dir / name for name in names if name not in ("kg.ttl", "kg.trig")]
    from .analysis.load import prime

    prime(out_dir / "kg.trig")  # the analysis commands' cache, written with the graph
    summarise(ds, report)
    return ds, report


def held_interviews_quads(quads) -> list[HeldInterview]:
    """``held_interviews`` of a graph given as Oxigraph quads (``kg:sourcePath`` values absolute).
    An interview outside a named graph (a hand-made file's default graph) is not one of them:
    nothing names its graph to replace."""
    import pyoxigraph as ox

    type_, interview = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(KG.Interview))
    wanted = {ox.NamedNode(str(p)): str(p) for p in (KG.fileName, KG.contentHash, KG.extractedWith, KG.sourcePath)}
    found: list = []  # (interview node, graph) in the order of the quads
    values: dict = defaultdict(list)  # (node, graph, property) -> its values, in order
    for q in quads:
        p = q.predicate
        if p == type_ and q.object == interview and isinstance(q.graph_name, (ox.NamedNode, ox.BlankNode)):
            found.append((q.subject, q.graph_name))
        elif p in wanted:
            values[(q.subject, q.graph_name, wanted[p])].append(q.object)

    def text(d, g, p):  # as rdflib's Graph.value, then str()
        v = values.get((d, g, str(p)))
        return getattr(v[0], "value", str(v[0])) if v else None

    return [HeldInterview(g, text(d, g, KG.fileName), text(d, g, KG.contentHash), text(d, g, KG.extractedWith),
                          frozenset(getattr(o, "value", str(o)) for o in values.get((d, g, str(KG.sourcePath)), ())))
            for d, g in found]


def _reconcile_quads(new: dict, held: list[HeldInterview], inputs: dict[str, tuple[str, str]],
                     warnings: list[str]) -> tuple[list, set, set]:
    """``reconcile`` of graphs given as Oxigraph quads: ``new`` maps a graph name to the set of its
    quads (changed in place); returns the held graphs to drop and the quads to remove from and add
    to the held graph (``kg.merge.EditedInput``)."""
    import pyoxigraph as ox

    source = ox.NamedNode(str(KG.sourcePath))
    type_, interview = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(KG.Interview))
    drop = []
    remove: set = set()
    add: set = set()
    for h, moved, kept in _reconcile_plan(held, inputs, warnings):
        if moved and not kept:
            drop.append(h.graph)
            continue
        d = h.graph
        for s in moved:
            q = ox.Quad(d, source, ox.Literal(s), d)
            remove.add(q)
            add.discard(q)
        fresh = new.get(d)
        target = fresh if fresh is not None and ox.Quad(d, type_, interview, d) in fresh else add
        for s in kept:
            q = ox.Quad(d, source, ox.Literal(s), d)
            target.add(q)
            if target is add:
                remove.discard(q)
    return drop, remove, add


def _build_into(inputs, out_dir: Path, files, extractor, lexicon, report: BuildReport, threshold: float,
                progress, on_file_done, extra_writers, refresh: bool, **how) -> tuple[BuiltGraph, BuildReport]:
    """``kg build --into``: the graph in ``out_dir/kg.trig`` read with Oxigraph's parser, the new
    interviews' graphs made as Oxigraph quads (``interview_quads``), and the two merged and written
    by the streaming merge (``kg.merge.merge_stream``, whose view and analysis cache come from the
    quads it writes): the same files ``_build_into_rdflib`` wrote through rdflib datasets (tested),
    in a fraction of the time and memory. An interview both hold is taken from the new build (and
    so is the ontology graph); the held versions of changed files go (``_reconcile_quads``). The
    existing graph is never held whole: the merge reads it from the file (``EditedInput``)."""
    import pyoxigraph as ox

    from .graph import doc_iri, interview_quads, ontology_quads
    from .merge import EditedInput, QuadInput, merge_stream
    from .parallel import results
    from .rdfio import rdflib_term
    from .vocab import ONTOLOGY_GRAPH

    known = set(how.pop("known", ()))
    existing = out_dir / "kg.trig"
    base_graphs: set | None = None  # the graphs the existing file holds (it is read again by the merge)
    held: list[HeldInterview] = []
    if existing.exists():  # a malformed graph fails here, before anything is read or written
        quads, _ = EditedInput(existing).read(0)  # kg:sourcePath values absolute, as kg.rdfio reads them
        base_graphs = {q.graph_name for q in quads}
        held = held_interviews_quads(quads)
        del quads
        if not refresh:
            known |= {h.content_hash for h in held if h.extracted_with == extractor.fingerprint}
    new: dict = {}  # graph name -> its quads; a later file of the same content replaces an earlier one's
    read: dict[str, tuple[str, str]] = {}
    problems: list[str] = []
    for result in results(files, extractor, known=known, **how):
        path = result.path
        if progress:
            progress(path)
        if _note(result, report, problems, read):
            ex = result.extraction
            graph = ox.NamedNode(str(doc_iri(ex.doc.doc_id)))
            new.pop(graph, None)
            new[graph] = set(interview_quads(ex, lexicon, threshold, extractor.fingerprint))
            del ex
            result.extraction = None
        if on_file_done:
            on_file_done(path)
    if not report.documents and not report.unchanged:
        raise NothingToBuild(_nothing_to_build(inputs, problems, out_dir))
    source = ox.NamedNode(str(KG.sourcePath))
    type_, interview = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(KG.Interview))
    for path, (sha, _) in read.items():  # _all_sources: every path a graph's content was read from
        d = ox.NamedNode(str(doc_iri(sha[:16])))
        if d in new and ox.Quad(d, type_, interview, d) in new[d]:
            new[d].add(ox.Quad(d, source, ox.Literal(path), d))
    onto = ox.NamedNode(str(ONTOLOGY_GRAPH))
    superseded, remove, add = _reconcile_quads(new, held, read, report.warnings) if base_graphs is not None \
        else ([], set(), set())
    new_quads = [*ontology_quads(), *(q for qs in new.values() for q in qs)]
    del new
    replaced: list = []
    if base_graphs is not None:
        fresh = {q.graph_name for q in new_quads if not isinstance(q.graph_name, ox.DefaultGraph)}
        gone = set(superseded) - fresh
        replaced = sorted((rdflib_term(g) for g in fresh | gone if g != onto and g in base_graphs), key=str)
        inputs_ = [EditedInput(existing, fresh | gone, remove, add), QuadInput("new build", new_quads, out_dir)]
    else:
        inputs_ = [QuadInput("new build", new_quads, out_dir)]
    del new_quads
    view = None
    if extra_writers:
        def view(model, path):
            for writer in extra_writers:
                writer(model, path.parent)
    written, merge_report, stream = merge_stream(inputs_, existing, turtle_beside=True, view=view)
    merge_report.replaced = replaced
    report.merge = merge_report
    report.outputs += [out_dir / name for name in ("kg.ttl", "kg.trig")]
    report.outputs += sorted((p for p in written if p.name not in ("kg.ttl", "kg.trig")), key=lambda p: p.name)
    summarise_view(stream.viewer, report)
    return BuiltGraph(existing, len(stream.writer)), report


def _note(result, report: BuildReport, problems: list[str], read: dict) -> bool:
    """Record one file's result in the report; True if it gave an extraction to add."""
    path = result.path
    if result.unchanged:
        report.unchanged.append(path)
        read[source_path(path)] = (result.unchanged, Path(path).name)
    elif result.skipped:
        report.skipped.append(result.skipped)
        problems.append(result.skipped)
    elif result.failed:
        report.failed.append(result.failed)
        problems.append(result.failed)
    else:
        report.documents.append(path)
        report.warnings.extend(result.warnings)
        read[source_path(path)] = (result.extraction.doc.sha256, Path(path).name)
        return True
    return False


class BuiltGraph:
    """What ``build`` wrote (a fresh build, not ``--into``): its size and, on demand, the dataset."""

    def __init__(self, trig: Path, quads: int):
        self.trig, self.quads = Path(trig), quads

    def __len__(self) -> int:
        return self.quads

    def dataset(self) -> Dataset:
        """The graph read back from ``kg.trig`` (rdflib; source paths absolute)."""
        from .rdfio import load_dataset

        return load_dataset([self.trig])


def _build_streaming(inputs, out_dir: Path, files, extractor, lexicon, report: BuildReport, threshold: float,
                     progress, on_file_done, extra_writers, **how) -> tuple[BuiltGraph, BuildReport]:
    """A fresh build: each interview's graph is made as Oxigraph quads and written (TriG and
    Turtle blocks, ``GraphWriter``) as its extraction comes back, while the workers extract the
    next ones; the view model (HTML, analysis cache) is gathered from the same quads. No rdflib
    dataset, no global sort, no re-reading of what was written."""
    import pyoxigraph as ox

    from .export.rdf import GraphWriter, portable_path
    from .export.viewmodel import ViewBuilder
    from .graph import doc_iri, interview_quads, ontology_quads
    from .parallel import results
    from .vocab import ONTOLOGY_GRAPH

    writer, viewer = GraphWriter(), ViewBuilder()
    onto = ontology_quads()
    writer.add(ox.NamedNode(str(ONTOLOGY_GRAPH)), onto)
    viewer.add(onto)
    del onto
    read: dict[str, tuple[str, str]] = {}
    problems: list[str] = []
    paths_of: dict[str, list[str]] = {}  # content hash -> the files read with it (one interview)
    for result in results(files, extractor, **how):
        path = result.path
        if progress:
            progress(path)
        if _note(result, report, problems, read):
            ex = result.extraction
            paths = paths_of.setdefault(ex.doc.sha256, [])
            paths.append(source_path(path))  # a file of the same content as one before: its graph again, with both paths
            quads = interview_quads(ex, lexicon, threshold, extractor.fingerprint,
                                    sources=[portable_path(p, out_dir) for p in paths])
            graph = ox.NamedNode(str(doc_iri(ex.doc.doc_id)))
            writer.add(graph, quads, distinct=True)  # replaces the graph of an earlier file of the same content
            if len(paths) > 1:
                viewer.interviews.pop(graph.value, None)  # its file name and title are this file's now
            viewer.add(quads)
            del quads, ex
            result.extraction = None
        if on_file_done:
            on_file_done(path)
    if not report.documents and not report.unchanged:
        raise NothingToBuild(_nothing_to_build(inputs, problems, out_dir))
    view = None if viewer.general else viewer.view()
    with output_set(out_dir) as stage:  # kg.ttl, kg.trig and kg.html replaced together or not at all
        writer.write(stage / "kg.trig", stage / "kg.ttl")
        writer.close()
        for extra in extra_writers or []:
            extra(view if view is not None else BuiltGraph(stage / "kg.trig", len(writer)).dataset(), stage)
        names = sorted(p.name for p in stage.iterdir())
    report.outputs += [out_dir / name for name in ("kg.ttl", "kg.trig")]
    report.outputs += [out_dir / name for name in names if name not in ("kg.ttl", "kg.trig")]
    from .analysis.load import prime

    prime(out_dir / "kg.trig", view)  # the analysis commands' cache, written with the graph
    summarise_view(viewer, report)
    return BuiltGraph(out_dir / "kg.trig", len(writer)), report


def summarise_view(viewer, report: BuildReport) -> None:
    """``summarise`` from the quads a ``ViewBuilder`` saw (the build's own: every typed entity is in an interview graph)."""
    entities = Counter()
    for ts in viewer.types.values():
        entities.update(ts)
    report.entities = Counter({t: entities.get(t, 0) for t in ENTITY_TYPES})
    rels = Counter()
    for r in RELATIONS:
        pairs = viewer.pairs.get(str(KG[r]), set())
        if r == "competesWith":
            pairs = {tuple(sorted(p, key=str)) for p in pairs}
        rels[r] = len(pairs)
    report.relations = rels
    report.evidence = len(viewer.evidence_nodes)
