"""``formcheck ask``: the questionnaire, asked in the terminal or written as a template to fill by hand.

With a terminal, the questions are asked one by one (:mod:`formcheck.answers.ask`).
Without one (a pipe, a script, CI) there is nobody to ask, so the commented
template is written instead and stderr says so -- the command still leaves
something useful.  ``--check FILE`` validates a hand-filled file and says what
it holds.  The destination is checked *before* any question is asked, so a
person never answers forty questions to be told the file cannot be written.

Asked again, the answers already in the file are offered (Enter keeps each),
and ``--only endurance`` asks one table -- the trunk tests are often done a day
after the rest; without a terminal the template is rewritten around them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from formcheck.answers import Answers


def _console(stderr: bool = False, soft_wrap: bool = True) -> "Console":
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=soft_wrap)


def _check_file(path: Path) -> None:
    from rich.markup import escape

    from formcheck.answers.ask import count_answered
    from formcheck.answers.load import load_answers

    answers = load_answers(path)
    done, total = count_answered(answers)
    out = _console()
    out.print(f"{escape(str(path))}: valid; {done} of {total} questions answered.")
    flags = answers.red_flags.answered_yes()
    if flags:
        out.print(f"[bold red]warning signs answered yes: {', '.join(flags)} -- see a clinician; "
                  "formcheck is not a diagnosis.[/]")  # fmt: skip


def _keeping(kept: int) -> str:
    if not kept:
        return ""
    return " (keeping the answer it held)" if kept == 1 else f" (keeping the {kept} answers it held)"


def _tables(only: list[str] | None) -> frozenset[str] | None:
    from formcheck.answers.fields import section_models
    from formcheck.errors import UsageError

    if not only:
        return None
    known = list(section_models())
    for name in only:
        if name.strip().lower() not in known:
            raise UsageError(f"--only {name!r} is not a table of the questionnaire; use one of {', '.join(known)}")
    return frozenset(name.strip().lower() for name in only)


def _previous(out: Path, err: "Console") -> "Answers":
    """The answers already in ``out`` (asked again, Enter keeps them); none when it is absent.

    A value that does not validate is left out (and said), the others kept; a file that
    cannot be read as TOML at all is refused: writing the questionnaire over it would lose it.
    """
    from rich.markup import escape

    from formcheck.answers import Answers
    from formcheck.answers.load import load_answers, salvage_answers
    from formcheck.errors import AnswersError

    if not out.is_file():
        return Answers()
    try:
        return load_answers(out)
    except AnswersError:
        try:
            answers, left_out = salvage_answers(out)
        except AnswersError as error:
            raise AnswersError(f"{error.message}; nothing was written: fix it (formcheck ask --check {out}), "
                               "or move it away to start afresh") from None  # fmt: skip
    for line in left_out:
        err.print(f"note: left out of {escape(out.name)}: {escape(line)}")
    return answers


def ask_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the answers.")] = Path("answers.toml"),
    force: Annotated[
        bool, typer.Option("--force", help="Replace the file even if formcheck did not write it.")
    ] = False,
    only: Annotated[
        Optional[list[str]],
        typer.Option("--only", help="Ask only this table (repeatable), e.g. --only endurance; the rest is kept."),
    ] = None,
    check: Annotated[
        Optional[Path], typer.Option("--check", help="Only validate this answers file and say what it holds.")
    ] = None,
) -> None:
    """Ask the questionnaire (Enter skips a question) and write answers.toml; without a terminal, write the template.

    Asked again, the answers already in the file are offered: Enter keeps each one.
    """
    from rich.markup import escape

    from formcheck.answers.ask import count_answered
    from formcheck.answers.files import may_write, stamp, write_atomic
    from formcheck.answers.template import answers_to_toml
    from formcheck.errors import OutputError

    if check is not None:
        _check_file(check)
        return
    tables = _tables(only)
    problem = may_write(out)
    if problem and not (force and not out.is_dir() and out.parent.is_dir()):
        hint = "; use --force to replace it or --out to write elsewhere" if "exists" in problem else ""
        raise OutputError(f"{out} {problem}{hint}.")
    err = _console(stderr=True)
    previous = _previous(out, err)
    if not sys.stdin.isatty():
        write_atomic(out, stamp(answers_to_toml(previous)))  # the template, with any answers the file held
        kept = count_answered(previous)[0]
        err.print(f"no terminal to ask the questions in: wrote the questionnaire template to {escape(str(out))}"
                  f"{_keeping(kept)}; fill in what you know (every "
                  f"question is optional) and check it with formcheck ask --check {escape(str(out))}")  # fmt: skip
        return

    from formcheck.answers.ask import ask_answers

    console = _console(soft_wrap=False)  # wrapped, so the test instructions fit the terminal
    answers = ask_answers(console, previous=previous, only=tables)
    write_atomic(out, stamp(answers_to_toml(answers)))
    done, total = count_answered(answers)
    console.print(f"wrote {escape(str(out))} ({done} of {total} questions answered; edit it any time).")
    flags = answers.red_flags.answered_yes()
    if flags:
        console.print(f"[bold red]You answered yes to warning signs ({', '.join(flags)}): see a clinician before "
                      "anything else. formcheck is not a diagnosis.[/]")  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add ``ask`` to the app."""
    app.command("ask")(ask_command)
