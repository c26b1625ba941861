"""CLI subcommands, one module per family; ``register_all`` wires them into the app."""

from __future__ import annotations

import typer


def register_all(app: typer.Typer) -> None:
    """Add every subcommand to ``app`` (imports are cheap: heavy work is imported lazily)."""
    from formcheck.commands import analyze, ask, batch, check, journal, serve, training

    analyze.register(app)
    check.register(app)
    ask.register(app)
    journal.register(app)
    training.register(app)
    serve.register(app)
    batch.register(app)
