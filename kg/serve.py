"""A read-only SPARQL 1.1 Protocol endpoint over graph files (stdlib ``http.server``).

- ``GET /sparql?query=...``, ``POST /sparql`` with a form (``query=...``) or with the query as
  the body (``Content-Type: application/sparql-query``). ``/`` answers the same as ``/sparql``.
- Results by content negotiation (``Accept``), or a ``format``/``output`` parameter as many
  clients send: SPARQL JSON (the default), XML, CSV, TSV for SELECT and ASK; Turtle (default),
  N-Triples, JSON-LD, RDF/XML for CONSTRUCT and DESCRIBE. Nothing acceptable: 406.
- Read-only: an update (``update=`` or ``application/sparql-update``) is 403 Forbidden, and so are
  ``SERVICE`` and ``LOAD``; a malformed query is 400 with the line, column and hint as text.

The same checks and evaluation as ``kg query`` (``kg.query``); queries run one at a time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
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


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str


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
    """Answers protocol requests from a loaded dataset (thread-safe: one query at a time)."""

    def __init__(self, ds: Dataset):
        self.ds = ds
        self._lock = threading.Lock()

    def answer(self, text: str | None, accept: str | None, format_param: list[str] | None = None) -> Answer:
        if not text:
            return _text(HTTPStatus.BAD_REQUEST, "missing query: send ?query=... (GET), a form with query=... or "
                                                 "an application/sparql-query body (POST)")
        try:
            checked = Q.check(text)
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
                result = Q.run(self.ds, checked)
                body = Q.serialize(result, fmt)
        except Q.QueryError as e:
            return _text(HTTPStatus.INTERNAL_SERVER_ERROR, str(e))
        if checked.kind in ("CONSTRUCT", "DESCRIBE"):
            content_type = _GRAPH_MEDIA[fmt]
        else:
            content_type = Q.MEDIA_TYPES[fmt]
        return Answer(HTTPStatus.OK, body, content_type)


def _text(status: int, message: str) -> Answer:
    return Answer(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")


_UPDATE_REFUSED = "this endpoint is read-only: SPARQL updates are refused (use kg query --update -o OUT on a file)"


def make_handler(endpoint: Endpoint, paths: tuple[str, ...] = ("/", "/sparql")):
    class Handler(BaseHTTPRequestHandler):
        server_version = "kg-sparql/1"
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
            pass  # quiet: the CLI prints what it serves; requests are not logged

        def _send(self, answer: Answer, head_only: bool = False) -> None:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Vary", "Accept")
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
            if not self._refused_dataset_params(params):
                self._send(endpoint.answer(params["query"][0], self.headers.get("Accept"), _format_params(params)))

        def do_HEAD(self):  # noqa: N802
            ok, _ = self._route()
            if ok:
                self._send(_text(HTTPStatus.OK, ""), head_only=True)

        def do_POST(self):  # noqa: N802
            ok, params = self._route()
            if not ok:
                return
            length = int(self.headers.get("Content-Length") or 0)
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
            if not self._refused_dataset_params(params):
                self._send(endpoint.answer(text, self.headers.get("Accept"), _format_params(params)))

        def do_PUT(self):  # noqa: N802
            self._send(_text(HTTPStatus.METHOD_NOT_ALLOWED, _UPDATE_REFUSED))

        do_DELETE = do_PATCH = do_PUT  # noqa: N815

        def _refused_dataset_params(self, params: dict) -> bool:
            """Protocol dataset parameters are not supported; say so (400) instead of ignoring them."""
            if any(params.get(k) for k in ("default-graph-uri", "named-graph-uri")):
                self._send(_text(HTTPStatus.BAD_REQUEST, "default-graph-uri and named-graph-uri are not supported: "
                                                         "use FROM / GRAPH in the query"))
                return True
            return False

    return Handler


def _format_params(params: dict) -> list[str]:
    return [v for key in ("format", "output", "results") for v in params.get(key, []) if v]


def make_server(ds: Dataset, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A server bound to (host, port) — port 0 picks a free one (``server.server_address``).
    Call ``serve_forever()`` (blocking) and ``shutdown()`` from another thread to stop."""
    server = ThreadingHTTPServer((host, port), make_handler(Endpoint(ds)))
    server.daemon_threads = True
    return server
