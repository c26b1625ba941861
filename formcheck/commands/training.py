"""``formcheck import``, ``runs`` and ``context``: training logs in and features out."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Training-log commands are added here as they are built (issue 4)."""
