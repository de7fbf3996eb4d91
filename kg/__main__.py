"""``python -m kg``: the ``kg`` command."""

from kg.cli import app

app(prog_name="kg")
