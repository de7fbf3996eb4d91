"""A read-only SPARQL 1.1 Protocol endpoint over graph files (stdlib ``http.server``).

- ``GET /sparql?query=...``, ``POST /sparql`` with a form (``query=...``) or with the query as
  the body (``Content-Type: application/sparql-query``). ``/`` answers the same as ``/sparql``.
- Results by content negotiation (``Accept``), or a ``format``/``output`` parameter as many
  clients send: SPARQL JSON (the default), XML, CSV, TSV for SELECT and ASK; Turtle (default),
  N-Triples, JSON-LD, RDF/XML for CONSTRUCT and DESCRIBE. Nothing acceptable: 406.
- Read-only: an update (``update=`` or ``application/sparql-update``) is 403 Forbidden, and so are
  ``SERVICE`` and ``LOAD``; a malformed query is 400 with the line, column and hint as text.
- The protocol's ``default-graph-uri`` / ``named-graph-uri`` give the dataset, replacing the
  query's ``FROM`` / ``FROM NAMED``.

The same checks and evaluation as ``kg query`` (``kg.query``). Queries run in a pool of worker
processes (``kg.workers``): one that runs longer than ``timeout`` seconds is killed, its worker
replaced, and the client told so (503); other clients are answered meanwhile. A SELECT answer
is cut at ``max_rows`` rows (a CONSTRUCT at as many triples), and the header ``X-KG-Truncated``
says so. Connections beyond ``max_connections`` are turned away at once (503), and a request
body over 1 MiB gets 413.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from rdflib import Dataset

from . import query as Q

_SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
}
_GRAPH_MEDIA = {"turtle": "text/turtle; charset=utf-8", "nt": "application/n-triples; charset=utf-8",
                "jsonld": "application/ld+json", "xml": "application/rdf+xml"}
_FORMAT_PARAMS = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle", "ttl": "turtle",
                  "n3": "turtle", "nt": "nt", "ntriples": "nt", "json-ld": "jsonld", "jsonld": "jsonld",
                  "rdf": "xml", "rdfxml": "xml", "rdf+xml": "xml"}


MAX_BODY = 1 << 20  # bytes of a POST body


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


def negotiate(accept: str | None, kind: str, format_param: list[str] | None = None) -> str | None:
    """The format to answer in, or None when nothing the client accepts can be produced."""
    graph = kind in ("CONSTRUCT", "DESCRIBE")
    table = _GRAPH_TYPES if graph else _SELECT_TYPES
    default = "turtle" if graph else "json"
    for value in format_param or []:
        value = value.strip().lower()
        name = _FORMAT_PARAMS.get(value) or table.get(value.split(";")[0].strip())
        if graph and name == "json":
            name = "jsonld"
        if name in (_GRAPH_MEDIA if graph else ("json", "xml", "csv", "tsv")):
            return name
    if not accept:
        return default
    ranges = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media:
            ranges.append((-q, i, media))
    for negq, _, media in sorted(ranges):
        if negq == 0:
            break
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*"):
            if media == "*/*":
                return default
            prefix = media[:-1]
            for candidate, name in table.items():
                if candidate.startswith(prefix):
                    return name
    return None


class Endpoint:
    """Answers protocol requests from a loaded dataset, in this process (thread-safe: one query at
    a time). ``kg serve`` runs one in each worker of a ``PooledEndpoint``."""

    def __init__(self, ds: Dataset, max_rows: int | None = None):
        self.ds = ds
        self.max_rows = max_rows
        self._lock = threading.Lock()
        self._checked: dict[str, Q.Checked | Q.QueryError] = {}  # parsing is most of a small query's time

    def check(self, text: str) -> Q.Checked:
        """``Q.check``, remembered for the last 256 distinct query texts."""
        known = self._checked.get(text)
        if known is None:
            try:
                known = Q.check(text)
            except Q.QueryError as e:
                known = e
            with self._lock:
                if len(self._checked) >= 256:
                    self._checked.pop(next(iter(self._checked)))
                self._checked[text] = known
        if isinstance(known, Q.QueryError):
            raise known
        return known

    def answer(self, text: str | None, accept: str | None, format_param: list[str] | None = None,
               dataset: Q.DatasetSpec | None = None) -> Answer:
        if not text:
            return _text(HTTPStatus.BAD_REQUEST, "missing query: send ?query=... (GET), a form with query=... or "
                                                 "an application/sparql-query body (POST)")
        try:
            checked = self.check(text)
        except Q.QueryRefused as e:
            return _text(HTTPStatus.FORBIDDEN, str(e))
        except Q.QueryError as e:
            return _text(HTTPStatus.BAD_REQUEST, str(e))
        fmt = negotiate(accept, checked.kind, format_param)
        if fmt is None:
            offered = ", ".join(sorted(set(_GRAPH_TYPES if checked.kind in ("CONSTRUCT", "DESCRIBE") else _SELECT_TYPES)))
            return _text(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer a {checked.kind} query as {accept}; offered: {offered}")
        try:
            with self._lock:
                result = Q.run(self.ds, checked, dataset=dataset, max_rows=self.max_rows)
                body = Q.serialize(result, fmt)
        except Q.QueryError as e:
            return _text(HTTPStatus.INTERNAL_SERVER_ERROR, str(e))
        except MemoryError:
            return _text(HTTPStatus.SERVICE_UNAVAILABLE, "the query needed more memory than the server allows "
                                                         "(kg serve --worker-memory)")
        if checked.kind in ("CONSTRUCT", "DESCRIBE"):
            content_type = _GRAPH_MEDIA[fmt]
        else:
            content_type = Q.MEDIA_TYPES[fmt]
        headers = {}
        if getattr(result, "truncated", False):
            unit = "triples" if checked.kind in ("CONSTRUCT", "DESCRIBE") else "rows"
            headers["X-KG-Truncated"] = f"first {self.max_rows} {unit} only (kg serve --max-rows)"
        return Answer(HTTPStatus.OK, body, content_type, headers)

    def __call__(self, job: tuple) -> Answer:
        """A job sent by ``PooledEndpoint``: the arguments of ``answer``."""
        return self.answer(*job)


class PooledEndpoint:
    """The same answers as ``Endpoint``, computed in worker processes with a time limit."""

    def __init__(self, ds: Dataset, *, timeout: float = 30.0, max_rows: int | None = 100_000, workers: int = 4,
                 worker_memory: int | None = None, wait: float = 30.0):
        from .workers import WorkerPool

        self.timeout, self.workers, self.wait = timeout, workers, wait
        self.pool = WorkerPool(Endpoint(ds, max_rows=max_rows), size=workers, memory_limit=worker_memory)

    def answer(self, text: str | None, accept: str | None, format_param: list[str] | None = None,
               dataset: Q.DatasetSpec | None = None) -> Answer:
        from .workers import BUSY, OK, TIMEOUT

        outcome = self.pool.run((text, accept, format_param, dataset), timeout=self.timeout, wait=self.wait)
        if outcome.status == OK:
            if isinstance(outcome.value, MemoryError):
                return _text(HTTPStatus.SERVICE_UNAVAILABLE, "the query needed more memory than the server allows "
                                                             "(kg serve --worker-memory)")
            if isinstance(outcome.value, Exception):
                return _text(HTTPStatus.INTERNAL_SERVER_ERROR, f"the query failed: {outcome.value}")
            return outcome.value
        limit = f"{self.timeout:g} s"
        if outcome.status == TIMEOUT:
            return _text(HTTPStatus.SERVICE_UNAVAILABLE, f"query cancelled: it ran longer than the {limit} limit "
                                                         "(kg serve --timeout)", {"Retry-After": "1"})
        if outcome.status == BUSY:
            return _text(HTTPStatus.SERVICE_UNAVAILABLE, f"busy: all {self.workers} query workers stayed busy for "
                                                         f"{self.wait:g} s; try again", {"Retry-After": "1"})
        return _text(HTTPStatus.SERVICE_UNAVAILABLE, "the query stopped its worker (out of memory? "
                                                     "kg serve --worker-memory); the worker was replaced")

    def close(self) -> None:
        self.pool.close()


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Answer:
    return Answer(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers or {})


_UPDATE_REFUSED = "this endpoint is read-only: SPARQL updates are refused (use kg query --update -o OUT on a file)"


def make_handler(endpoint: Endpoint | PooledEndpoint, paths: tuple[str, ...] = ("/", "/sparql"),
                 idle_timeout: float = 60.0):
    class Handler(BaseHTTPRequestHandler):
        server_version = "kg-sparql/1"
        protocol_version = "HTTP/1.1"
        timeout = idle_timeout  # a client that sends nothing for this long is disconnected

        def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
            pass  # quiet: the CLI prints what it serves; requests are not logged

        def _send(self, answer: Answer, head_only: bool = False) -> None:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Vary", "Accept")
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if not head_only:
                self.wfile.write(answer.body)

        def _route(self) -> tuple[bool, dict]:
            url = urlsplit(self.path)
            if url.path.rstrip("/") not in {p.rstrip("/") for p in paths}:
                self._send(_text(HTTPStatus.NOT_FOUND, f"no such endpoint: {url.path}; the SPARQL endpoint is /sparql"))
                return False, {}
            return True, parse_qs(url.query, keep_blank_values=True)

        def do_GET(self):  # noqa: N802 - http.server's naming
            ok, params = self._route()
            if not ok:
                return
            if "update" in params:
                return self._send(_text(HTTPStatus.FORBIDDEN, _UPDATE_REFUSED))
            if "query" not in params:
                return self._send(_text(HTTPStatus.OK, "kg SPARQL 1.1 endpoint (read-only). Ask with GET ?query=..., "
                                                       "or POST a form or an application/sparql-query body."))
            if len(params["query"]) > 1:
                return self._send(_text(HTTPStatus.BAD_REQUEST, "more than one query parameter"))
            self._send(endpoint.answer(params["query"][0], self.headers.get("Accept"), _format_params(params),
                                       _dataset(params)))

        def do_HEAD(self):  # noqa: N802
            ok, _ = self._route()
            if ok:
                self._send(_text(HTTPStatus.OK, ""), head_only=True)

        def do_POST(self):  # noqa: N802
            ok, params = self._route()
            if not ok:
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if length < 0:
                self.close_connection = True
                return self._send(_text(HTTPStatus.BAD_REQUEST, "bad Content-Length"))
            if length > MAX_BODY:
                self.close_connection = True
                if length <= 16 * MAX_BODY:  # read it (and drop it) so that the client sees the answer
                    while length > 0:
                        chunk = self.rfile.read(min(length, 1 << 16))
                        if not chunk:
                            break
                        length -= len(chunk)
                return self._send(_text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                                        f"the request body is too large; at most {MAX_BODY} bytes are read"))
            body = self.rfile.read(length) if length else b""
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return self._send(_text(HTTPStatus.FORBIDDEN, _UPDATE_REFUSED))
            if ctype == "application/sparql-query":
                text = body.decode("utf-8", errors="replace")
            elif ctype == "application/x-www-form-urlencoded" or not ctype:
                form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
                if "update" in form:
                    return self._send(_text(HTTPStatus.FORBIDDEN, _UPDATE_REFUSED))
                if len(form.get("query", [])) > 1:
                    return self._send(_text(HTTPStatus.BAD_REQUEST, "more than one query parameter"))
                for key, values in form.items():
                    params.setdefault(key, []).extend(values)
                text = form.get("query", [None])[0]
            else:
                return self._send(_text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                                        f"unsupported Content-Type {ctype}: send application/sparql-query or a form"))
            self._send(endpoint.answer(text, self.headers.get("Accept"), _format_params(params), _dataset(params)))

        def do_PUT(self):  # noqa: N802
            self._send(_text(HTTPStatus.METHOD_NOT_ALLOWED, _UPDATE_REFUSED))

        do_DELETE = do_PATCH = do_PUT  # noqa: N815

    return Handler


def _format_params(params: dict) -> list[str]:
    return [v for key in ("format", "output", "results") for v in params.get(key, []) if v]


def _dataset(params: dict) -> Q.DatasetSpec | None:
    """The protocol's dataset (it replaces the query's FROM / FROM NAMED), if the request gives one."""
    default, named = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
    if not default and not named:
        return None
    return Q.DatasetSpec(tuple(v for v in default if v), tuple(v for v in named if v))


class SparqlServer(ThreadingHTTPServer):
    """A thread per connection, at most ``max_connections`` at once (more get an immediate 503);
    ``server_close()`` also stops the query workers."""

    daemon_threads = True
    request_queue_size = 128  # the listen backlog (socketserver's 5 overflows when 20 clients connect at once)

    def __init__(self, address, handler, endpoint, max_connections: int = 64):
        self.endpoint = endpoint
        self._slots = threading.BoundedSemaphore(max_connections)
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        if not self._slots.acquire(blocking=False):
            body = b"busy: too many connections; try again\n"
            try:
                request.settimeout(1.0)
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                b"Retry-After: 1\r\nConnection: close\r\nContent-Length: "
                                + str(len(body)).encode() + b"\r\n\r\n" + body)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def server_close(self):
        super().server_close()
        close = getattr(self.endpoint, "close", None)
        if close is not None:
            close()


def make_server(ds: Dataset, host: str = "127.0.0.1", port: int = 8000, *, timeout: float | None = 30.0,
                max_rows: int | None = 100_000, workers: int = 4, worker_memory: int | None = 2 << 30,
                max_connections: int = 64, wait: float = 30.0) -> SparqlServer:
    """A server bound to (host, port) — port 0 picks a free one (``server.server_address``).
    Call ``serve_forever()`` (blocking) and ``shutdown()`` then ``server_close()`` to stop.

    Queries run in ``workers`` processes, each cancelled after ``timeout`` seconds and allowed
    ``worker_memory`` bytes beyond the loaded graph; a request waits up to ``wait`` seconds for a
    free worker (then 503). ``timeout=None`` answers in this process instead (no limit, one query
    at a time). Answers keep at most ``max_rows`` rows."""
    if timeout is None:
        endpoint: Endpoint | PooledEndpoint = Endpoint(ds, max_rows=max_rows)
    else:
        endpoint = PooledEndpoint(ds, timeout=timeout, max_rows=max_rows, workers=workers, worker_memory=worker_memory,
                                  wait=wait)
    try:
        return SparqlServer((host, port), make_handler(endpoint), endpoint, max_connections)
    except BaseException:
        if isinstance(endpoint, PooledEndpoint):
            endpoint.close()
        raise
