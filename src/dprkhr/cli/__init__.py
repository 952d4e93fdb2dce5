"""The `dprkhr` command line: a thin Typer layer over the core."""

from __future__ import annotations

import copy
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    # The Click context the overridden methods take: Typer's own copy of Click since 0.29
    # (typer.Context derives from it), which typer.core has no public name for.
    from typer._click.core import Context as ClickContext
    from typer.models import CommandInfo

from dprkhr import __version__
from dprkhr.cli.common import (
    GLOBAL_FLAGS,
    GLOBAL_VALUED,
    AppState,
    Color,
    Command,
    defer_coercion,
    set_color,
)


class _Group(TyperGroup):
    """Turns known errors into `Error: ...` with the right exit code, never a traceback
    (unless --debug)."""

    def get_params(self, ctx: ClickContext) -> list[Any]:
        return defer_coercion(super().get_params(ctx))

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with _plain_parameter_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: ClickContext) -> Any:
        from dprkhr.errors import DprkhrError
        from dprkhr.safetext import safe

        try:
            with _plain_parameter_errors():
                return super().invoke(ctx)
        except DprkhrError as exc:
            if _debug(ctx):
                raise
            message = "\n".join(safe(line) for line in str(exc).split("\n"))
            typer.echo(f"Error: {message}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:  # Click would exit 1: the same quiet 0 for every command
            closed_pipe()
        except KeyboardInterrupt:
            if _debug(ctx):
                raise
            typer.echo("Interrupted", err=True)
            raise typer.Exit(130) from None
        except UnicodeEncodeError as exc:
            if _debug(ctx):
                raise
            bad = exc.object[exc.start : exc.end] if isinstance(exc.object, str) else ""
            shown = " ".join(f"U+{ord(c):04X}" for c in bad[:3])
            typer.echo(
                f"Error: cannot write {shown or 'a character'} to the output, whose encoding "
                f"is {exc.encoding}; set PYTHONIOENCODING=utf-8 (or a UTF-8 locale)",
                err=True,
            )
            raise typer.Exit(1) from None
        except OSError as exc:
            if _debug(ctx):
                raise
            # the file system said no (permissions, a missing folder, a full disk): not a bug
            typer.echo(f"Error: {safe(os_error_message(exc))}", err=True)
            raise typer.Exit(1) from None
        except Exception as exc:
            if _is_framework(exc) or _debug(ctx):
                raise
            typer.echo(
                f"Internal error: {type(exc).__name__}: {safe(str(exc))}\n"
                "This is a bug in dprkhr; run again with --debug for the traceback.",
                err=True,
            )
            raise typer.Exit(1) from None

    def list_commands(self, ctx: ClickContext) -> list[str]:
        return list(self.commands)


def os_error_message(exc: OSError) -> str:
    """What the file system refused, in the user's terms: a temporary file dprkhr made
    to write atomically is named by its folder, never by its own name."""
    from pathlib import PurePath

    reason = exc.strerror or str(exc)
    if not exc.filename:
        return f"cannot do that: {reason}"
    path = PurePath(str(exc.filename))
    for i, part in enumerate(path.parts):
        if part.startswith(".") and part.endswith((".tmp", ".old")):
            return f"cannot write in {PurePath(*path.parts[:i])}: {reason}"
    return f"cannot use {path}: {reason}"


_PYDANTIC_WORDING = [
    # Typer (>= 0.29) checks choices and numbers with pydantic, whose words we replace
    (re.compile(r"^Value error, (.+?) is not one of (.+?)\.?$"), None),
    (re.compile(r"^Input should be a valid integer.*$"), "not a whole number"),
    (re.compile(r"^Input should be a valid number.*$"), "not a number"),
    (re.compile(r"^Input should be greater than or equal to (.+)$"), "must be at least {0}"),
    (re.compile(r"^Input should be greater than (.+)$"), "must be more than {0}"),
    (re.compile(r"^Input should be less than or equal to (.+)$"), "must be at most {0}"),
    (re.compile(r"^Input should be less than (.+)$"), "must be less than {0}"),
]


def plain_parameter_message(message: str) -> str:
    """A parameter error in the user's terms, never pydantic's: `'xml' is not one of:
    table, json` rather than `Value error, 'xml' is not one of 'table', 'json'.`"""
    for pattern, template in _PYDANTIC_WORDING:
        found = pattern.match(message)
        if not found:
            continue
        if template is None:
            choices = ", ".join(c.strip().strip("'") for c in found.group(2).split(","))
            return f"{found.group(1)} is not one of: {choices}"
        return template.format(*found.groups())
    return message.removeprefix("Value error, ")


@contextmanager
def _plain_parameter_errors() -> Iterator[None]:
    try:
        yield
    except typer.BadParameter as exc:  # Typer's own Click (>= 0.29) or Click's
        exc.message = plain_parameter_message(exc.message)
        raise


def _is_framework(exc: BaseException) -> bool:
    """Exit, abort and usage exceptions of Typer (and the Click it is built on)."""
    module = type(exc).__module__
    return module.startswith(("typer", "click"))


def _debug(ctx: ClickContext) -> bool:
    obj = ctx.find_root().obj
    return bool(getattr(obj, "debug", False))


app = typer.Typer(
    cls=_Group,
    name="dprkhr",
    help="A knowledge base of what the UN and the world have done about human rights in "
    "North Korea (DPRK): events, actors and resolutions, each with its sources.\n\n"
    "Examples:\n\n"
    "\b\n"
    "  dprkhr events --actor Salmon\n"
    "  dprkhr timeline --forum UNSC --since 2014\n"
    "  dprkhr show A/HRC/RES/22/13\n\n"
    "`dprkhr COMMAND --help` shows each command's options and examples.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dprkhr {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="Data folder (default: $DPRKHR_DATA, else the nearest data/ above the "
            "working directory, else the bundled dataset).",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    color: Annotated[
        Color,
        typer.Option(
            "--color",
            help="Colour in tables and lint reports: auto (on a terminal, unless $NO_COLOR "
            "is set or $FORCE_COLOR forces it), always or never.",
        ),
    ] = Color.auto,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Read every file afresh and leave the cache alone (also $DPRKHR_NO_CACHE=1). "
            "--no-cache, --debug and --color may also follow the command's name.",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    ctx.obj = AppState(data=data, debug=debug, cache=not no_cache)
    set_color(color)


# Commands in the order `--help` lists them: analysts' questions first, then exports, then
# the contributors' tools.
from dprkhr.cli import contrib as _contrib  # noqa: E402  (new, schema, fmt, diff)
from dprkhr.cli import export as _export  # noqa: E402
from dprkhr.cli import lint as _lint  # noqa: E402
from dprkhr.cli import query as _query  # noqa: E402  (events, actors, ... stats)
from dprkhr.cli import vocab as _vocab  # noqa: E402
from dprkhr.cli import votes as _votes  # noqa: E402

_query.register(app)
_votes.register(app)
_vocab.register(app)
_export.register(app)
_lint.register(app)
_contrib.register(app)
for _info in app.registered_commands:
    # global options after the command's name too, and completion of record names
    if _info.cls in (None, TyperCommand):
        _info.cls = Command
    elif not issubclass(_info.cls, Command):  # pragma: no cover - every command's class is one
        raise TypeError(f"{_info.name}: its class must derive from dprkhr.cli.common.Command")


_GLOBAL_FLAGS = set(GLOBAL_FLAGS)
_GLOBAL_VALUED = {"--data", *GLOBAL_VALUED}


def _command_name(info: CommandInfo) -> str:
    if info.name:
        return info.name
    assert info.callback is not None  # app.command() registers its function
    return info.callback.__name__.lower().replace("_", "-")


def command_in(argv: list[str]) -> str | None:
    """The command an argument list runs (`events` in `--data d events -a X`), if it can be
    told for certain; None for help, version, completion or anything unusual."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in _GLOBAL_FLAGS or any(word.startswith(f"{v}=") for v in _GLOBAL_VALUED):
            i += 1
        elif word in _GLOBAL_VALUED:
            i += 2
        elif word.startswith("-"):
            return None  # --help, --version, completion options, a typo: the full app
        else:
            return word
    return None


def _completed_words(env: Any) -> list[str]:
    """The whole words before the one being completed, as the completion scripts of bash
    (COMP_WORDS, COMP_CWORD), zsh and fish (_TYPER_COMPLETE_ARGS) pass them, without the
    program's name; [] when they cannot be told."""
    import shlex

    try:
        if "COMP_WORDS" in env:
            words = shlex.split(env["COMP_WORDS"])
            return words[1 : int(env.get("COMP_CWORD", len(words)))]
        line = env.get("_TYPER_COMPLETE_ARGS", "")
        words = shlex.split(line)
        return words[1:] if line.endswith(" ") else words[1:-1]
    except ValueError:  # an open quote, a bad number
        return []


def app_for(argv: list[str]) -> typer.Typer:
    """The app with only the command `argv` runs.

    Typer builds the options of every command of an app before it runs one; with fourteen
    commands that is a third of the time of a quick query. The command and its options are
    the same objects either way; `dprkhr --help`, the completion of a command's name and
    unknown commands get the whole app.
    """
    import os

    if "_DPRKHR_COMPLETE" in os.environ:  # completing: the words typed before the cursor
        argv = _completed_words(os.environ)
    name = command_in(argv)
    if name is None:
        return app
    chosen = [info for info in app.registered_commands if _command_name(info) == name]
    if not chosen:
        return app
    lean = copy.copy(app)
    lean.registered_commands = chosen
    return lean


def closed_pipe() -> None:
    """End quietly with status 0 when whoever reads the output stopped reading (`| head`),
    whichever command was writing: nothing more can be written, and nothing went wrong."""
    import os

    try:  # Python would report the failed flush of stdout at exit: point it at nothing
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass
    sys.exit(0)


def main(argv: list[str] | None = None) -> None:
    """Console entry point."""
    from dprkhr.fsio import cleanup_on_signals, remove_live

    args = sys.argv[1:] if argv is None else argv
    cleanup_on_signals()  # SIGTERM and SIGHUP remove temporary files first
    try:
        app_for(args)(args=args, prog_name="dprkhr")
    except BrokenPipeError:  # `dprkhr ... | head`: the reader has all it wanted
        closed_pipe()
    except KeyboardInterrupt:
        remove_live()
        print("Interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception:  # pragma: no cover - --debug re-raises here on purpose
        import traceback

        traceback.print_exc()
        sys.exit(1)
