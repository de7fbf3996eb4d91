"""The build: corpus files -> extraction -> graph -> Turtle and TriG (and the HTML view)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset
from rdflib.namespace import RDF

from .corpus import DEFAULT_MAX_BYTES, iter_input_files
from .extract import Extractor
from .export.rdf import ox_quads, write_trig, write_turtle
from .gctune import fewer_collections
from .graph import add_extraction, new_dataset
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


@dataclass(frozen=True)
class HeldInterview:
    """An interview already in a graph: its named graph, file name, content hash, fingerprint."""

    graph: object
    file_name: str | None
    content_hash: str | None
    extracted_with: str | None


def held_interviews(ds: Dataset) -> list[HeldInterview]:
    out = []
    for d, _, _, ctx in ds.quads((None, RDF.type, KG.Interview, None)):
        name = ctx.identifier if hasattr(ctx, "identifier") else ctx
        g = ds.graph(name)

        def text(p):
            v = g.value(d, p)
            return str(v) if v is not None else None

        out.append(HeldInterview(name, text(KG.fileName), text(KG.contentHash), text(KG.extractedWith)))
    return out


@fewer_collections()
def build(
    inputs: list[Path],
    out_dir: Path,
    lexicon: Lexicon | None = None,
    min_confidence: float | None = None,
    progress: Callable[[Path], None] | None = None,
    on_file_done: Callable[[Path], None] | None = None,
    extra_writers: list[Callable[[Dataset, Path], Path]] | None = None,
    *,
    into: bool = False,
    refresh: bool = False,
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    known: Collection[str] = (),
    rules_only: bool = False,
) -> tuple[Dataset, BuildReport]:
    """Build the graph of ``inputs`` into ``out_dir``. Bad files are reported, not fatal.

    Extraction runs in this process, in ``jobs`` processes, or on the Dask cluster at
    ``scheduler`` (``executor="dask"``); the graph is built here, in input order, so every way
    writes the same bytes. Files whose content hash (``kg:contentHash``) is in ``known`` are
    read and hashed only, and listed in ``report.unchanged``.

    With ``into``, the build is incremental and merged into ``out_dir/kg.trig``
    (``kg.merge.merge_into``): an interview already there with the same content hash and the
    same extractor fingerprint (``kg:extractedWith``) is not extracted again (all of them are
    with ``refresh``); a file whose content changed replaces the graph of its older version
    (same file name); every output holds the merged graph. A malformed existing graph raises
    ``GraphFileError`` before anything is read or written. Raises
    ``kg.parallel.ParallelError`` if the pool or cluster fails. ``min_confidence`` None: the relation
    model's threshold (tuned on the dev split); ``rules_only``: relations from the rules alone."""
    from .parallel import results

    lexicon = lexicon or Lexicon.load()
    extractor = Extractor(lexicon, min_confidence=min_confidence, **({"relation_model": None} if rules_only else {}))
    report = BuildReport()
    out_dir = Path(out_dir)
    held: list[HeldInterview] = []
    base = None
    if into and (out_dir / "kg.trig").exists():
        from .rdfio import load_dataset

        base = load_dataset([out_dir / "kg.trig"])
        held = held_interviews(base)
        if not refresh:
            known = set(known) | {h.content_hash for h in held if h.extracted_with == extractor.fingerprint}
    ds = new_dataset()
    files = iter_input_files(inputs)
    hashes: set[str] = set()
    for result in results(files, extractor, jobs=jobs, executor=executor, scheduler=scheduler, max_bytes=max_bytes,
                          known=known):
        path = result.path
        if progress:
            progress(path)
        if result.unchanged:
            report.unchanged.append(path)
            hashes.add(result.unchanged)
        elif result.skipped:
            report.skipped.append(result.skipped)
        elif result.failed:
            report.failed.append(result.failed)
        else:
            add_extraction(ds, result.extraction, lexicon,
                           discovered_threshold=float(extractor.discovery.get("assert_threshold", 0.6)),
                           extracted_with=extractor.fingerprint)
            report.documents.append(path)
            report.warnings.extend(result.warnings)
            hashes.add(result.extraction.doc.sha256)
        if on_file_done:
            on_file_done(path)
    if into:
        from .merge import merge_into

        names = {Path(p).name for p in report.documents}
        superseded = [h.graph for h in held if h.file_name in names and h.content_hash not in hashes]
        ds, report.merge = merge_into(out_dir / "kg.trig", ds, base=base, drop=superseded)
    quads = ox_quads(ds)  # converted once for both files
    write_turtle(ds, out_dir / "kg.ttl", quads)
    write_trig(ds, out_dir / "kg.trig", quads)
    del quads
    report.outputs += [out_dir / "kg.ttl", out_dir / "kg.trig"]
    for writer in extra_writers or []:
        report.outputs.append(writer(ds, out_dir))
    summarise(ds, report)
    return ds, report
