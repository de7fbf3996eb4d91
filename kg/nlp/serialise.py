"""Saving and loading the pipeline's components with the pipeline (``nlp.to_disk`` / ``spacy.load``).

spaCy keeps each component's settings in the pipeline's ``config.cfg``, which confection reads back
with variable interpolation: rule patterns (``{S}…{0,3}``, ``${…}``) do not survive that. So the
components of this package take their data (rules, names, settings) after they are made, with
``setup(**data)``, and keep it in their own folder of the saved pipeline as JSON (``to_disk`` /
``from_disk``): ``config.cfg`` names only the factories.
"""

from __future__ import annotations

import json
from pathlib import Path


def _encode(value):
    if isinstance(value, (set, frozenset)):
        return {"__set__": sorted((_encode(v) for v in value), key=repr)}
    if isinstance(value, dict):
        return {"__dict__": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value):
    if isinstance(value, dict):
        if "__set__" in value:
            return {_decode(v) for v in value["__set__"]}
        if "__dict__" in value:
            return {_decode(k): _decode(v) for k, v in value["__dict__"]}
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


class DiskData:
    """Mixin: ``setup(**data)`` (re)builds the component from its data; ``to_disk`` / ``from_disk``
    keep that data, and the attributes named in ``_saved_attrs``, in ``data.json``."""

    _saved_attrs: tuple[str, ...] = ()
    _setup_args: dict = {}

    def setup(self, **data):
        self.__init__(**data)
        self._setup_args = data
        return self

    def to_disk(self, path, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        state = {"args": _encode(self._setup_args),
                 "attrs": {name: _encode(getattr(self, name)) for name in self._saved_attrs if hasattr(self, name)}}
        (path / "data.json").write_text(json.dumps(state, ensure_ascii=False, sort_keys=True), encoding="utf-8")

    def from_disk(self, path, exclude=tuple()):
        state = json.loads((Path(path) / "data.json").read_text(encoding="utf-8"))
        self.setup(**_decode(state["args"]))
        for name, value in state.get("attrs", {}).items():
            setattr(self, name, _decode(value))
        return self
