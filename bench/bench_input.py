"""Big and awkward inputs: time and peak memory of ``kg build`` on each, in a fresh process.

    python bench/bench_input.py

- a 10 MB file that is one line (no line break at all);
- a 30 MB interview (just under the 32 MB default --max-file-size);
- a 200 MB file (refused unread: the time and memory of saying no);
- the 10 MB line again beside the corpus, with --jobs 2.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r'''
import json, resource, sys, time
from pathlib import Path
from kg.build import build
from kg.lexicon import Lexicon
files, out, jobs = [Path(p) for p in sys.argv[1].split(",")], Path(sys.argv[2]), int(sys.argv[3])
lex = Lexicon.load()
t0 = time.perf_counter()
_, report = build(files, out, lexicon=lex, jobs=jobs)
dt = time.perf_counter() - t0
print(json.dumps({"seconds": dt, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "documents": len(report.documents), "failed": report.failed, "relations": sum(report.relations.values())}))
'''


def one_line(path: Path, size: int) -> Path:
    text = " ".join(p.read_text(encoding="utf-8").replace("\n", " ") for p in sorted((ROOT / "corpus").glob("*.txt")))
    data = text.encode("utf-8")
    with open(path, "wb") as fh:
        written = 0
        while written < size:
            fh.write(data)
            written += len(data)
    return path


def many_lines(path: Path, size: int) -> Path:
    data = b"\n\n".join(p.read_bytes() for p in sorted((ROOT / "corpus").glob("*.txt")))
    with open(path, "wb") as fh:
        written = 0
        while written + len(data) < size:
            fh.write(data + b"\n\n")
            written += len(data) + 2
    return path


def run(files: list[Path], out: Path, jobs: int = 1) -> dict:
    res = subprocess.run([sys.executable, "-c", CHILD, ",".join(map(str, files)), str(out), str(jobs)],
                         capture_output=True, text=True, cwd=ROOT)
    if res.returncode != 0:
        return {"error": (res.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        line = one_line(tmp / "one-line-10MB.txt", 10_000_000)
        big = many_lines(tmp / "interview-30MB.txt", 30_000_000)
        huge = tmp / "file-200MB.txt"
        with open(huge, "wb") as fh:
            fh.write(b"x" * 200_000_000)
        corpus = sorted((ROOT / "corpus").glob("*.txt"))
        cases = [("10 MB, one line", [line], 1), ("30 MB interview", [big], 1),
                 ("200 MB file (refused)", [huge], 1), ("corpus + 10 MB line, --jobs 2", corpus + [line], 2)]
        print(f"{'input':<32}{'MB':>7}{'seconds':>9}{'peak MiB':>10}{'worker MiB':>12}  result")
        for name, files, jobs in cases:
            r = run(files, tmp / "out", jobs)
            mb = sum(p.stat().st_size for p in files) / 1e6
            if "error" in r:
                print(f"{name:<32}{mb:>7.1f}  failed: {r['error']}")
                continue
            what = f"{r['documents']} built, {r['relations']} relations" + (f"; {r['failed'][0].split(': ', 1)[-1][:70]}" if r["failed"] else "")
            kids = f"{r['worker_peak_mib']:>12.0f}" if jobs > 1 else f"{'':>12}"
            print(f"{name:<32}{mb:>7.1f}{r['seconds']:>9.1f}{r['peak_mib']:>10.0f}{kids}  {what}")


if __name__ == "__main__":
    main()
