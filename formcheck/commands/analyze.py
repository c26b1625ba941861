"""``formcheck analyze VIDEO --out DIR``: the video engine from the command line."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """The analyze command is added here (issue 2)."""
