"""Automatic captions have no sentence punctuation: how much of a transcript does the build read from them?

    python bench/captions_unpunctuated.py                    # the six English transcripts below
    python bench/captions_unpunctuated.py --pieces 0,80,120,200,100000

Each annotated transcript is written as YouTube writes automatic captions (WebVTT, seven words a line, no
punctuation, each cue repeating the line before it; its gold's ``document:`` renamed to match), and as its
"Show transcript" panel pastes (a timestamp on a line of its own above each line of seven words), then built
and scored with ``kg eval --totals`` at each piece length of ``kg.captions.UNPUNCTUATED_PIECE`` (0: every line
apart; a very large number: the whole text one sentence), beside the transcript itself as published. The
transcripts are train texts (seen), so the absolute figures are high; the comparison between the rows is the
point. A few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from pathlib import Path

from typer.testing import CliRunner

import kg.captions
from kg.cli import app

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ["en_allin-openai-code-red", "en_oddlots-rasgon-battle-for-ai-chips", "en_hardfork-sundar-pichai-tpus-rivals",
           "en_allin-micron-memory-crunch-custom-chips", "en_dwarkesh-dylan-patel-compute-bottleneck",
           "en_oddlots-chris-miller-us-china-chip-controls"]


def stamp(seconds: float) -> str:
    return f"{int(seconds // 3600):02d}:{int(seconds % 3600 // 60):02d}:{seconds % 60:06.3f}"


def spoken_words(text: str) -> list[str]:
    """The words of a published text's body (its title, source and date lines left out), unpunctuated."""
    body = [line for line in text.split("\n")[3:] if line.strip() and not line.startswith("#")]
    return re.sub(r"[.,!?;:\"“”]", "", " ".join(body)).split()


def as_automatic_captions(text: str) -> str:
    """The body of a published text (its header lines left out) as scrolling, unpunctuated WebVTT captions."""
    words = spoken_words(text)
    out, previous, t = ["WEBVTT", "Kind: captions", "Language: en", ""], " ", 0.0
    for i in range(0, len(words), 7):
        line = " ".join(words[i:i + 7])
        out += [f"{stamp(t)} --> {stamp(t + 3)} align:start position:0%", previous, line, "",
                f"{stamp(t + 3)} --> {stamp(t + 3.01)} align:start position:0%", line, " ", ""]
        previous, t = line, t + 3.01
    return "\n".join(out)


def as_pasted_transcript(text: str) -> str:
    """The same as a text file: its header lines, then a timestamp on a line of its own above each line of words."""
    words = spoken_words(text)
    out = text.split("\n")[:3] + [""]
    for n, i in enumerate(range(0, len(words), 7)):
        out += [f"{n * 3 // 60}:{n * 3 % 60:02d}", " ".join(words[i:i + 7])]
    return "\n".join(out) + "\n"


def totals(runner: CliRunner, texts: Path, golds: list[Path], out: Path) -> dict:
    result = runner.invoke(app, ["build", str(texts), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["eval", "--totals", "--json", *map(str, golds), str(out / "kg.trig")])
    data = json.loads(result.stdout[result.stdout.index("{"):])
    return {k: v for k, v in data.items() if isinstance(v, dict) and "f1" in v}


def line(name: str, scores: dict) -> str:
    return f"{name:<28}" + "  ".join(f"{g} {s['f1']:.3f} (P {s['precision']:.2f}, {s['tp']}/{s['fp']}/{s['fn']})"
                                      for g, s in scores.items() if g in ("relations", "core", "entities"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", default=DEFAULT, help="annotated texts (file names without suffix)")
    ap.add_argument("--pieces", default="0,120,100000", help="piece lengths to try (kg.captions.UNPUNCTUATED_PIECE)")
    args = ap.parse_args()
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for d in ("text", "captions", "pasted", "gold-text", "gold-captions"):
            (work / d).mkdir()
        for name in args.names:
            text = next(ROOT.glob(f"tests/realtext/*/texts/{name}.txt"))
            gold = next(ROOT.glob(f"tests/realtext/*/gold/{name}.yaml"))
            (work / "text" / text.name).write_text(text.read_text(encoding="utf-8"), encoding="utf-8")
            (work / "captions" / f"{name}.vtt").write_text(as_automatic_captions(text.read_text(encoding="utf-8")),
                                                          encoding="utf-8")
            (work / "pasted" / text.name).write_text(as_pasted_transcript(text.read_text(encoding="utf-8")),
                                                     encoding="utf-8")
            g = gold.read_text(encoding="utf-8")
            (work / "gold-text" / gold.name).write_text(g, encoding="utf-8")
            (work / "gold-captions" / gold.name).write_text(
                re.sub(r"(?m)^document: .*$", f"document: {name}.vtt", g), encoding="utf-8")
        print(line("published text", totals(runner, work / "text", sorted((work / "gold-text").iterdir()),
                                             work / "out-text")))
        for piece in map(int, args.pieces.split(",")):
            kg.captions.UNPUNCTUATED_PIECE = piece
            scores = totals(runner, work / "captions", sorted((work / "gold-captions").iterdir()), work / f"out-{piece}")
            print(line(f"captions, pieces of {piece}", scores))
            scores = totals(runner, work / "pasted", sorted((work / "gold-text").iterdir()), work / f"out-p{piece}")
            print(line(f"pasted, pieces of {piece}", scores))


if __name__ == "__main__":
    main()
