"""The ``formcheck`` command: subcommands are registered from ``formcheck.commands``.

This module owns only the translation of :class:`FormcheckError` into one
line on stderr and a non-zero exit code; each subcommand lives in its own
module so that the video engine and the training-log commands grow apart.
"""

from __future__ import annotations

import sys

import click
import typer
from rich.console import Console

from formcheck.commands import register_all
from formcheck.errors import FormcheckError

app = typer.Typer(
    name="formcheck",
    help="Watches a runner's video, reads their training logs and explains a lower-back pump.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
register_all(app)

_stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app, turning user errors into one line."""
    try:
        app(args=argv, standalone_mode=False)
    except FormcheckError as error:
        _stderr.print(f"[bold red]error:[/] {error.message}")
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        _stderr.print("[bold red]error:[/] interrupted; nothing was written.")
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        _stderr.print("[bold red]error:[/] interrupted; nothing was written.")
        sys.exit(130)


if __name__ == "__main__":
    main()
