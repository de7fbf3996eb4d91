"""A SPARQL store over HTTP: the connection, and queries to it (``kg query --endpoint``).

- ``Endpoint(url, user, password)`` sends requests, with Basic or Digest authentication, and
  turns every failure into a one-line ``EndpointError``. ``kg.push`` uses it to load graphs.
- ``push`` (in ``kg.push``) loads graph files into a store through the Graph Store Protocol.
- ``query(url, text)`` asks a SPARQL endpoint (SPARQL 1.1 Protocol, ``POST``) and returns an
  rdflib ``Result``, as a local query does. The prefixes of ``kg.vocab.PREFIXES`` are declared
  for the query unless it declares them itself.

Only the standard library talks HTTP (``urllib``); Basic and Digest authentication with
``user``/``password``. Errors are ``EndpointError`` with a one-line message.
"""

from __future__ import annotations

import io
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef
from rdflib.query import Result

from .vocab import PREFIXES


class EndpointError(Exception):
    """The store refused or could not be reached; ``str(err)`` is one line."""


@dataclass
class Endpoint:
    url: str
    user: str | None = None
    password: str | None = None
    timeout: float = 60.0

    def __post_init__(self):
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise EndpointError(f"{self.url}: not an http(s) URL of a SPARQL endpoint")
        handlers = []
        if self.user is not None:
            mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            mgr.add_password(None, self.url, self.user, self.password or "")
            handlers += [urllib.request.HTTPDigestAuthHandler(mgr), urllib.request.HTTPBasicAuthHandler(mgr)]
        self._opener = urllib.request.build_opener(*handlers)

    def request(self, method: str, url: str | None = None, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
        """(status, content type, body) of a 2xx answer; ``EndpointError`` otherwise."""
        url = url or self.url
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                return resp.status, resp.headers.get("Content-Type", ""), resp.read()
        except urllib.error.HTTPError as err:
            detail = _first_line(err.read() if err.fp else b"")
            raise EndpointError(f"{_where(url)}: {method} refused: HTTP {err.code} {err.reason}"
                                + (f": {detail}" if detail else "")) from None
        except urllib.error.URLError as err:
            reason = err.reason.strerror if isinstance(err.reason, OSError) and err.reason.strerror else err.reason
            raise EndpointError(f"{_where(url)}: cannot connect: {reason}") from None
        except (socket.timeout, TimeoutError):
            raise EndpointError(f"{_where(url)}: no answer within {self.timeout:g} s") from None
        except OSError as err:
            raise EndpointError(f"{_where(url)}: {err.strerror or err}") from None


def _where(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _first_line(body: bytes) -> str:
    text = body.decode("utf-8", "replace")
    text = re.sub(r"<[^>]+>", " ", text)  # servers answer errors in HTML too
    lines = [" ".join(l.split()) for l in text.splitlines() if l.strip()]
    return lines[0][:200] if lines else ""


# ---------------------------------------------------------------- query

_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_DECLARED = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE | re.MULTILINE)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query keyword outside comments, IRIs and strings."""
    code = re.sub(r"#[^\n]*|<[^<>\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'", " ", text)
    m = _FORM.search(code)
    if not m:
        raise EndpointError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return m.group(1).upper()


def with_prefixes(text: str) -> str:
    """``text`` with PREFIX lines for the kg prefixes it uses but does not declare."""
    declared = {m.group(1) or "" for m in _DECLARED.finditer(text)}
    used = [p for p in PREFIXES if p not in declared and re.search(rf"(?<![\w:<?$]){re.escape(p)}:", text)]
    head = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used)
    return head + text


def query(endpoint: Endpoint, text: str) -> Result:
    """Run a query at a SPARQL endpoint; the answer as an rdflib ``Result``."""
    form = query_form(text)
    text = with_prefixes(text)
    graph_answer = form in ("CONSTRUCT", "DESCRIBE")
    accept = "application/n-triples, text/turtle;q=0.9" if graph_answer else "application/sparql-results+json"
    body = urllib.parse.urlencode({"query": text}).encode("utf-8")
    _, ctype, data = endpoint.request("POST", None, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                           "Accept": accept})
    ctype = ctype.split(";")[0].strip().lower()
    try:
        if graph_answer:
            g = Graph()
            fmt = {"application/n-triples": "nt", "text/plain": "nt", "application/rdf+xml": "xml",
                   "application/ld+json": "json-ld"}.get(ctype, "turtle")
            g.parse(data=data.decode("utf-8"), format=fmt)
            result = Result(form)
            result.graph = g
            return result
        result = Result.parse(io.BytesIO(data), format="json")
    except Exception as err:
        raise EndpointError(f"{_where(endpoint.url)}: cannot read the answer ({ctype or 'no type'}): "
                            f"{' '.join(str(err).split())[:200]}") from None
    if form == "ASK" and result.type != "ASK":
        # Virtuoso answers ASK as one row with one value (1 or 0) instead of a boolean
        rows = list(result.bindings)
        value = next(iter(rows[0].values()), None) if rows else None
        answer = Result("ASK")
        answer.askAnswer = bool(value is not None and str(value) not in ("0", "false"))
        return answer
    return result


def term_text(term, compact: Iterable[tuple[str, str]] = ()) -> str:
    """A term for a table cell: literal text, or an IRI as prefix:name where a kg prefix fits."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for prefix, ns in compact or ((p, str(n)) for p, n in PREFIXES.items()):
            if str(term).startswith(ns) and re.fullmatch(r"[\w.-]*", str(term)[len(ns):]):
                return f"{prefix}:{str(term)[len(ns):]}"
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)
