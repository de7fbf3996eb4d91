"""Write files so that readers see either the old file or the complete new one, never half."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it is fsynced and renamed over
    ``target``; on any error it is removed and ``target`` is untouched."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def write_text(target: Path | str, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


class InterruptedAfterWrite(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) arrived while a set of outputs was being put in place: it was held back
    until the last file was renamed, so the new set is complete."""


@contextlib.contextmanager
def output_set(folder: Path | str) -> Iterator[Path]:
    """A staging folder inside ``folder`` for files that belong together (kg.ttl, kg.trig and
    kg.html): write them there; on success each is renamed over its namesake in ``folder``, with
    Ctrl-C and SIGTERM held back until the last rename is done (then ``InterruptedAfterWrite`` is
    raised). On any error or interrupt before that, the staging folder is removed and ``folder``
    is untouched: the set is replaced whole or not at all."""
    import shutil
    import signal
    import threading

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".kg-stage-", dir=folder))
    try:
        yield stage
        held: list[int] = []
        handlers = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                handlers[sig] = signal.signal(sig, lambda signum, frame: held.append(signum))
        try:
            for path in sorted(stage.iterdir()):
                os.replace(path, folder / path.name)
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
        if held:
            raise InterruptedAfterWrite()
    finally:
        shutil.rmtree(stage, ignore_errors=True)
