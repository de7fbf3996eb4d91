"""Answers as text: rich tables for people, JSON and CSV for programs."""

from __future__ import annotations

import csv
import io
import json

from rich.markup import escape as _e
from rich.table import Table

from .diff import NO_INTERVIEW, Diff, as_json

FORMATS = ("table", "json", "csv")


def _conf(value) -> str:
    return "" if value is None else f"{value:.2f}"


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for row in rows:
        w.writerow(["; ".join(map(str, v)) if isinstance(v, (list, tuple)) else "" if v is None else v
                    for v in (row.get(c) for c in columns)])
    return buf.getvalue()


# ---------------------------------------------------------------- path

PATH_COLUMNS = ["path", "hop", "from", "relation", "direction", "to", "evidence_count", "sentence", "interview",
                "date", "confidence"]


def path_rows(found: list[dict]) -> list[dict]:
    rows = []
    for n, p in enumerate(found, 1):
        for h, step in enumerate(p["steps"], 1):
            for rel in step["relations"]:
                rows.append({"path": n, "hop": h, "from": step["from"], "to": step["to"], **rel})
    return rows


def path_tables(found: list[dict]) -> list[Table]:
    tables = []
    for n, p in enumerate(found, 1):
        t = Table(title=_e(f"path {n}: {' — '.join(p['path'])} ({p['hops']} hop{'s' if p['hops'] != 1 else ''})"),
                  title_justify="left", show_lines=True)
        for col, kw in (("hop", {"justify": "right"}), ("from", {}), ("relation", {}), ("to", {}),
                        ("evidence", {"justify": "right"}), ("best evidence sentence", {"ratio": 1}),
                        ("interview · date · confidence", {"max_width": 34})):
            t.add_column(col, overflow="fold", **kw)
        for h, step in enumerate(p["steps"], 1):
            for i, rel in enumerate(step["relations"]):
                arrow = {"→": f"{rel['relation']} →", "←": f"← {rel['relation']}", "↔": f"{rel['relation']} ↔"}[rel["direction"]]
                meta = " · ".join(x for x in (rel["file"] or rel["interview"], rel["date"], _conf(rel["confidence"])) if x)
                t.add_row(str(h) if i == 0 else "", _e(step["from"]) if i == 0 else "", _e(arrow), _e(step["to"]) if i == 0 else "",
                          str(rel["evidence_count"]), _e(rel["sentence"]), _e(meta))
        tables.append(t)
    return tables


# ---------------------------------------------------------------- neighbours

NEIGHBOUR_COLUMNS = ["relation", "depth", "via", "direction", "entity", "type", "evidence_count", "interviews", "dates"]


def neighbour_tables(center: str, rows: list[dict]) -> list[Table]:
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["relation"], []).append(row)
    tables = []
    for kind, items in groups.items():
        n = sum(r["evidence_count"] for r in items)
        t = Table(title=f"{kind}: {len(items)} relation{'s' if len(items) != 1 else ''}, {n} evidence sentence{'s' if n != 1 else ''}",
                  title_justify="left")
        for col in ("depth", "", "entity", "type", "evidence", "interviews", "dates"):
            t.add_column(col, justify="right" if col in ("depth", "evidence", "interviews") else "left", overflow="fold")
        for r in items:
            frm = r["via"] or center
            arrow = {"→": f"{frm} →", "←": f"{frm} ←", "↔": f"{frm} ↔"}[r["direction"]]
            dates = r["dates"]
            span = "" if not dates else dates[0] if len(dates) == 1 else f"{dates[0]} … {dates[-1]}"
            t.add_row(str(r["depth"]), _e(arrow), _e(r["entity"]), r["type"], str(r["evidence_count"]),
                      str(r["interviews"]), span)
        tables.append(t)
    return tables


# ---------------------------------------------------------------- rank and communities

RANK_COLUMNS = ["rank", "entity", "type", "score", "degree", "evidence", "id"]


def rank_table(rows: list[dict], by: str) -> Table:
    t = Table(title=f"most central by {by}", title_justify="left")
    for col in ("#", "entity", "type", by, "related to", "evidence"):
        t.add_column(col, justify="right" if col not in ("entity", "type") else "left")
    for r in rows:
        score = str(r["score"]) if by == "degree" else f"{r['score']:.4f}"
        t.add_row(str(r["rank"]), _e(r["entity"]), r["type"], score, str(r["degree"]), str(r["evidence"]))
    return t


COMMUNITY_COLUMNS = ["community", "name", "size", "relations", "members"]


def community_table(found: list[dict]) -> Table:
    t = Table(title=f"{len(found)} communit{'y' if len(found) == 1 else 'ies'} (Louvain, fixed seed)", title_justify="left")
    for col in ("#", "named by", "size", "relations", "members (most central first)"):
        t.add_column(col, justify="right" if col in ("#", "size", "relations") else "left", overflow="fold")
    for c in found:
        t.add_row(str(c["community"]), _e(c["name"]), str(c["size"]), str(c["relations"]), _e(", ".join(c["members"])))
    return t


# ---------------------------------------------------------------- diff

DIFF_COLUMNS = ["interview", "date", "file", "change", "subject", "relation", "object", "type", "sentence", "old", "new"]


def diff_rows(d: Diff) -> list[dict]:
    rows = []
    for group in as_json(d)["interviews"]:
        for c in group["changes"]:
            rows.append({"interview": group["title"], "date": group["date"], "file": group["file"], **c})
    return rows


def diff_tables(d: Diff, limit: int | None = None, interviews: int | None = None) -> list[Table]:
    """One table per interview; ``limit`` rows each and ``interviews`` tables at most (None: all)."""
    tables = []
    groups = d.by_interview()
    for i, changes in groups[:interviews]:
        iv = d.interviews.get(i, {})
        status = {"added": "new interview", "removed": "interview removed"}.get(iv.get("status", ""), "")
        title = " · ".join(x for x in (iv.get("title") or (NO_INTERVIEW if not i else i), iv.get("date", ""),
                                       iv.get("file", ""), status) if x)
        t = Table(title=_e(title), title_justify="left")
        for col in ("change", "subject", "relation", "object", "evidence / confidence"):
            t.add_column(col, overflow="fold", ratio=1 if col.startswith("evidence") else None)
        shown = changes if limit is None else changes[:limit]
        for c in shown:
            style = "green" if c.change.endswith("added") else "red" if c.change.endswith("removed") else "yellow"
            detail = c.sentence
            if c.change == "confidence changed":
                detail = f"{_conf(c.old)} → {_conf(c.new)}: {c.sentence}"
            elif c.change.startswith("entity"):
                detail = c.type
            t.add_row(f"[{style}]{c.change}[/{style}]", _e(c.subject), c.relation, _e(c.object), _e(detail))
        if limit is not None and len(changes) > limit:
            t.caption = f"… and {len(changes) - limit} more (kg diff OLD NEW shows all)"
        tables.append(t)
    if interviews is not None and len(groups) > interviews:
        rest = groups[interviews:]
        t = Table(title=f"… and {len(rest)} more interviews", title_justify="left")
        t.add_column("interview", overflow="fold")
        t.add_column("changes", overflow="fold")
        for i, changes in rest[:interviews]:
            counts: dict[str, int] = {}
            for c in changes:
                counts[c.change] = counts.get(c.change, 0) + 1
            iv = d.interviews.get(i, {})
            t.add_row(_e(iv.get("file") or iv.get("title") or NO_INTERVIEW), ", ".join(f"{n} {k}" for k, n in counts.items()))
        if len(rest) > interviews:
            t.caption = f"… {len(rest) - interviews} more (kg diff OLD NEW shows all)"
        tables.append(t)
    return tables
