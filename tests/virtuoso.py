"""A throw-away Virtuoso Open Source server on loopback, in a temporary folder (for tests).

Needs ``virtuoso-t`` and ``isql-vt`` (Debian: ``apt-get install virtuoso-opensource``, or just
``virtuoso-opensource-7-bin``). The anonymous SPARQL account is granted SPARQL_UPDATE so that
``/sparql-graph-crud`` (Graph Store Protocol) and ``/sparql`` (Update) accept writes.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {d}
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def missing() -> str | None:
    """Why a Virtuoso server cannot be started here, or None."""
    for exe in ("virtuoso-t", "isql-vt"):
        if shutil.which(exe) is None:
            return f"{exe} not installed (Debian: apt-get install -y virtuoso-opensource)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Virtuoso:
    folder: Path
    http_port: int
    sql_port: int
    proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"

    @property
    def graph_store(self) -> str:
        return self.base + "/sparql-graph-crud"

    @property
    def graph_store_auth(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    def start(self, wait: float = 90) -> None:
        ini = self.folder / "virtuoso.ini"
        ini.write_text(INI.format(d=self.folder, sql=self.sql_port, http=self.http_port))
        self.proc = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(ini)], cwd=self.folder,
                                     stdout=open(self.folder / "stdout.log", "wb"), stderr=subprocess.STDOUT)
        end = time.monotonic() + wait
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited: {(self.folder / 'stdout.log').read_text()[-500:]}")
            try:
                with urllib.request.urlopen(self.sparql + "?query=ASK%7B%7D", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            self.stop()
            raise RuntimeError("virtuoso-t did not answer within %s s" % wait)
        self.sql('GRANT SPARQL_UPDATE TO "SPARQL";')

    def sql(self, statement: str) -> str:
        res = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statement}"],
                             capture_output=True, text=True, timeout=60)
        if res.returncode != 0 or "*** Error" in res.stdout + res.stderr:
            raise RuntimeError(f"isql-vt: {res.stdout[-300:]} {res.stderr[-300:]}")
        return res.stdout

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


def start(folder: Path) -> Virtuoso:
    server = Virtuoso(Path(folder), _free_port(), _free_port())
    server.start()
    return server
