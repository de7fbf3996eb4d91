"""Extraction of many files: in this process, in a pool of processes, or on a Dask cluster.

Every way runs the same function on each file, ``extract_file``: read (size-limited), decode,
extract, and return a small ``FileResult``: the extraction records with the document's metadata
but without its texts (``DocumentInfo``), or a one-line message. Results come back in input
order whatever order the workers finish in, so the caller builds exactly the graph a serial run
builds, byte for byte.

- ``serial_results``: one process.
- ``pool_results``: ``jobs`` worker processes (``spawn``: no fork of a process that has threads);
  each gets the extractor once, at start, and reads its files itself.
- ``dask_results``: the tasks of an existing Dask cluster (``dask.distributed``, scheduler
  address ``tcp://HOST:PORT``). The parent reads each file and sends its bytes, so workers need
  the ``kg`` package but not the input files, the lexicon or the ontology.

At most a few tasks per worker are in flight at a time, so memory stays bounded however many
files there are.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import pickle
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import DEFAULT_MAX_BYTES, SEGMENT_CHARS, EmptyInput, InputError, load_document, read_limited
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # kg.extract imports spaCy: a pool worker imports it quietly (``_init_worker``)
    from .extract import Extraction, Extractor

EXECUTORS = ("local", "dask")


class ParallelError(Exception):
    """The pool or the cluster failed as a whole (not one file); ``str(err)`` is one line."""


@dataclass
class FileResult:
    path: Path
    extraction: Extraction | None = None  # ``extraction.doc`` is a ``DocumentInfo``
    skipped: str | None = None  # one-line warning: the file was not used
    failed: str | None = None  # one-line error
    warnings: list[str] = field(default_factory=list)  # one-line notes on a file that was used
    unchanged: str | None = None  # the content hash, if it is one of ``known`` (not extracted)


def extract_file(extractor: Extractor, path: Path, max_bytes: int = DEFAULT_MAX_BYTES,
                 data: bytes | None = None, segment_chars: int = SEGMENT_CHARS,
                 known: Collection[str] = ()) -> FileResult:
    """Load and extract one file. Never raises for a bad file: the problem is in the result.

    A file whose content hash (SHA-256 of its bytes, ``kg:contentHash``) is in ``known`` is
    only read and hashed: the result says ``unchanged`` (for an incremental build)."""
    path = Path(path)
    try:
        if data is None:
            data = read_limited(path, max_bytes)
        if known:
            sha = hashlib.sha256(data).hexdigest()
            if sha in known:
                return FileResult(path, unchanged=sha)
        doc = load_document(path, max_bytes=max_bytes, data=data)
        del data
    except EmptyInput as warn:
        return FileResult(path, skipped=str(warn))
    except InputError as err:
        return FileResult(path, failed=str(err))
    except MemoryError:
        return FileResult(path, failed=f"{path}: out of memory while reading; lower --max-file-size or split the file")
    except Exception as err:  # a loader bug should cost one file, not the build
        reason = " ".join(str(err).split())[:200]
        return FileResult(path, failed=f"{path}: cannot read ({type(err).__name__}: {reason})")
    try:
        extraction = extract_segments(extractor, doc, segment_chars)
    except MemoryError:
        return FileResult(path, failed=f"{path}: out of memory during extraction")
    except Exception as err:  # a bug should cost one file, not the build
        reason = " ".join(str(err).split())[:200]
        return FileResult(path, failed=f"{path}: extraction failed ({type(err).__name__}: {reason})")
    return FileResult(path, extraction, warnings=[f"{path}: {w}" for w in doc.warnings])


def extract_segments(extractor: Extractor, doc, segment_chars: int = SEGMENT_CHARS,
                     keep_text: bool = False) -> Extraction:
    """Extract a document piece by piece (``Document.segments``): a long text is never given to
    spaCy whole. Offsets stay file offsets. Returns the records with ``doc.info()`` (or with the
    whole ``doc`` if ``keep_text``: for callers in this process that read the text again)."""
    from .extract import Extraction

    pieces = doc.segments(segment_chars)
    if len(pieces) == 1:
        ex = extractor.extract(doc)
    else:
        ex = Extraction(doc)
        for piece in pieces:
            part = extractor.extract(piece)
            ex.mentions.extend(part.mentions)
            ex.relations.extend(part.relations)
    ex.doc = doc if keep_text else doc.info()
    return ex


# ---------------------------------------------------------------- one process

def serial_results(files: list[Path], extractor: Extractor, max_bytes: int = DEFAULT_MAX_BYTES,
                   known: Collection[str] = ()) -> Iterator[FileResult]:
    for path in files:
        yield extract_file(extractor, path, max_bytes, known=known)


# ---------------------------------------------------------------- portable extractor

def portable_extractor(extractor: Extractor) -> bytes:
    """The extractor's plain data (lexicon, rules, settings) without its built spaCy pipelines,
    pickled: a worker rebuilds the pipelines from it, needing no files."""
    state = {k: v for k, v in extractor.__dict__.items() if k != "_nlp"}
    return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)


def rebuild_extractor(blob: bytes) -> Extractor:
    from .extract import Extractor

    extractor = Extractor.__new__(Extractor)
    extractor.__dict__.update(pickle.loads(blob))
    extractor._nlp = {}
    return extractor


# ---------------------------------------------------------------- a pool of processes

_WORKER: dict = {}


def _init_worker(blob: bytes, max_bytes: int, known: frozenset) -> None:
    import signal

    from .gctune import quiet_imports

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    # spaCy and the extractor's data (lexicon, rules) arrive here, not when the worker imports this
    # module: loaded without the collector walking them, then out of its reach (as ``kg`` does)
    with quiet_imports():
        _WORKER["extractor"] = rebuild_extractor(blob)
    _WORKER["max_bytes"] = max_bytes
    _WORKER["known"] = known


def _pool_task(path: str) -> FileResult:
    return extract_file(_WORKER["extractor"], Path(path), _WORKER["max_bytes"], known=_WORKER["known"])


def pool_results(files: list[Path], extractor: Extractor, jobs: int,
                 max_bytes: int = DEFAULT_MAX_BYTES, known: Collection[str] = ()) -> Iterator[FileResult]:
    """Results of ``files`` in order, extracted by ``jobs`` processes."""
    if jobs <= 1 or len(files) <= 1:
        yield from serial_results(files, extractor, max_bytes, known)
        return
    ctx = multiprocessing.get_context("spawn")
    blob = portable_extractor(extractor)
    with ProcessPoolExecutor(max_workers=min(jobs, len(files)), mp_context=ctx, initializer=_init_worker,
                             initargs=(blob, max_bytes, frozenset(known))) as pool:
        try:
            yield from _in_order(files, lambda p: pool.submit(_pool_task, str(p)), window=4 * jobs,
                                 wait_some=lambda pending: wait(pending, return_when=FIRST_COMPLETED)[0])
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)  # files not started are not extracted
            raise
        except Exception as err:
            if type(err).__name__ == "BrokenProcessPool":
                raise ParallelError("a worker process died (out of memory or killed); "
                                    "run again with fewer --jobs or a lower --max-file-size") from err
            raise


def _in_order(files: list[Path], submit: Callable, window: int, wait_some: Callable) -> Iterator[FileResult]:
    """Yield results in input order, with at most ``window`` tasks submitted or finished but not
    yet yielded (a slow file holds the others back instead of letting results pile up).
    ``wait_some(futures)`` blocks until some are done and returns those."""
    pending: dict = {}  # future -> index
    done: dict[int, FileResult] = {}
    todo = iter(enumerate(files))
    next_index = 0
    while True:
        while len(pending) + len(done) < window:
            nxt = next(todo, None)
            if nxt is None:
                break
            pending[submit(nxt[1])] = nxt[0]
        if not pending:
            break
        for fut in wait_some(list(pending)):
            done[pending.pop(fut)] = fut.result()
        while next_index in done:
            yield done.pop(next_index)
            next_index += 1


# ---------------------------------------------------------------- a Dask cluster

_DASK_EXTRACTORS: dict[str, Extractor] = {}


def _dask_task(path: str, data: bytes, blob: bytes, token: str, max_bytes: int) -> FileResult:
    extractor = _DASK_EXTRACTORS.get(token)
    if extractor is None:
        _DASK_EXTRACTORS.clear()
        extractor = _DASK_EXTRACTORS[token] = rebuild_extractor(blob)
    return extract_file(extractor, Path(path), max_bytes, data=data)


def dask_results(files: list[Path], extractor: Extractor, scheduler: str, max_bytes: int = DEFAULT_MAX_BYTES,
                 timeout: float = 10, known: Collection[str] = ()) -> Iterator[FileResult]:
    """Results of ``files`` in order, extracted on the Dask cluster at ``scheduler``."""
    try:
        from distributed import Client, as_completed
    except ImportError as err:
        raise ParallelError("--executor dask needs dask.distributed: pip install 'ai-kg[dask]'") from err
    import hashlib

    try:
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except Exception as err:
        reason = " ".join(str(err).split())[:200]
        raise ParallelError(f"cannot reach the Dask scheduler at {scheduler}: {reason}") from err
    try:
        blob = portable_extractor(extractor)
        token = hashlib.sha256(blob).hexdigest()[:16]
        [blob_future] = client.scatter([blob], broadcast=True, hash=False)
        nthreads = max(1, sum(client.nthreads().values()))

        def submit(path: Path):
            try:
                data = read_limited(path, max_bytes)
            except InputError as err:  # refused here: nothing to send
                return client.submit(_unchanged, FileResult(path, failed=str(err)), pure=False)
            if known:
                sha = hashlib.sha256(data).hexdigest()
                if sha in known:  # unchanged: nothing to send either
                    return client.submit(_unchanged, FileResult(path, unchanged=sha), pure=False)
            return client.submit(_dask_task, str(path), data, blob_future, token, max_bytes, pure=False)

        def wait_some(pending):
            # the first to finish, and any others finished by then
            return next(as_completed(pending, loop=client.loop).batches())

        try:
            yield from _in_order(files, submit, window=3 * nthreads, wait_some=wait_some)
        except Exception as err:
            if isinstance(err, ParallelError):
                raise
            reason = " ".join(str(err).split())[:200]
            raise ParallelError(f"the Dask cluster at {scheduler} failed: {type(err).__name__}: {reason}") from err
    finally:
        client.close()


def _unchanged(result: FileResult) -> FileResult:
    return result


def results(files: list[Path], extractor: Extractor, *, jobs: int = 1, executor: str = "local",
            scheduler: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
            known: Collection[str] = ()) -> Iterable[FileResult]:
    """Dispatch to the serial, pool or Dask way. Files whose content hash is in ``known`` come
    back ``unchanged``, not extracted."""
    if executor == "dask":
        if not scheduler:
            raise ParallelError("--executor dask needs --scheduler tcp://HOST:PORT")
        return dask_results(files, extractor, scheduler, max_bytes, known=known)
    if executor != "local":
        raise ParallelError(f"unknown executor {executor!r}: use one of {', '.join(EXECUTORS)}")
    if jobs > 1:
        return pool_results(files, extractor, jobs, max_bytes, known)
    return serial_results(files, extractor, max_bytes, known)
