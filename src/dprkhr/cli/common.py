"""What every command shares: global options, loading, warnings, safe output."""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperCommand

if TYPE_CHECKING:
    from dprkhr.dataset import Dataset
    from dprkhr.kb import KnowledgeBase
    from dprkhr.query import QuerySource
    from dprkhr.store import Store


@dataclass
class AppState:
    """Global options, and the dataset once loaded."""

    data: Path | None = None
    debug: bool = False
    cache: bool = True
    _dataset: Dataset | None = field(default=None, repr=False)
    _kb: KnowledgeBase | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)
    """The store once opened and refreshed."""
    _store_tried: bool = field(default=False, repr=False)
    _source: QuerySource | None = field(default=None, repr=False)
    _warned: bool = field(default=False, repr=False)

    quiet: bool = False
    """Say nothing on stderr (shell completion)."""
    _root: tuple[Path, str] | None = field(default=None, repr=False)

    def data_root(self) -> Path:
        """The data folder; said once on stderr when it is the bundled dataset, found
        neither from the options nor from the working directory."""
        if self._root is None:
            from dprkhr.layout import BUNDLED, locate_data_root

            self._root = locate_data_root(self.data)
            path, origin = self._root
            if origin == BUNDLED and not self.quiet:
                note(
                    f"reading the dataset bundled with dprkhr ({path}): there is no data/ "
                    "folder above the working directory (--data PATH reads another)"
                )
        return self._root[0]

    def writable_root(self, command: str) -> Path:
        """The data folder a writing command may change: never the bundled dataset."""
        from dprkhr.errors import UsageError
        from dprkhr.layout import BUNDLED, locate_data_root

        if self._root is None:
            self._root = locate_data_root(self.data)
        path, origin = self._root
        if origin == BUNDLED:
            raise UsageError(
                f"`dprkhr {command}` changes data files, and no dataset was found here: run it "
                "inside a clone of the dataset repository, or point at one with "
                f"`dprkhr --data PATH/TO/CHECKOUT {command} ...` (or $DPRKHR_DATA); the "
                f"dataset bundled with dprkhr ({path}) is read-only"
            )
        return path

    def use_cache(self) -> bool:
        return self.cache and os.environ.get("DPRKHR_NO_CACHE", "") in ("", "0")

    def store(self) -> Store | None:
        """The store of the data root (`dprkhr.store`), brought up to date with the files
        once per run; None without the cache, or when it cannot be used (an unwritable
        cache folder, a store locked by another run for too long): then commands read the
        files."""
        if not self._store_tried:
            self._store_tried = True
            if self.use_cache():
                from dprkhr.store import StoreError, open_store

                found = open_store(self.data_root())
                if found is not None:
                    try:
                        found.refresh()
                        self._store = found
                    except StoreError:
                        found.close()
        return self._store

    def close(self) -> None:
        """Close the store (at the end of the command)."""
        if self._store is not None:
            self._store.close()

    def forget_store(self) -> None:
        """Stop using the store in this run (it failed): answer from the files."""
        self.close()
        self._store, self._store_tried = None, True
        self._source = None
        if self._dataset is not None and self._kb is None:
            self._dataset = None

    def dataset(self) -> Dataset:
        if self._dataset is None:
            from dprkhr.dataset import load_dataset

            self._dataset = load_dataset(self.data_root(), store=self.store())
        return self._dataset

    def kb(self) -> KnowledgeBase:
        """The knowledge base; warns once on stderr when some files failed to load."""
        if self._kb is None:
            from dprkhr.kb import KnowledgeBase

            dataset = self.dataset()
            # loading and indexing freeze what they build (dataset.no_gc), so the cyclic
            # collector does not walk the records again while a query runs
            self._kb = KnowledgeBase.from_dataset(dataset)
            self.warn_failed(len(dataset.failed_files), self._kb.duplicates)
        return self._kb

    def source(self) -> QuerySource:
        """What the query commands run on: the store (`dprkhr.storequery.StoreSource`), which
        answers without loading the records, or, without the cache (or once the knowledge
        base is loaded anyway), the knowledge base in memory. Both answer alike."""
        if self._source is None:
            store = self.store() if self._kb is None else None
            if store is None:
                self._source = self.kb()
            else:
                from dprkhr.storequery import StoreSource

                source = StoreSource(store, self.kb)
                self.warn_failed(source.failed_files, source.duplicates)
                self._source = source
        return self._source

    def warn_failed(self, failed: int, duplicates: list[str] | None = None) -> None:
        """Say (once) that some files were left out of a query, and which file serves an
        id that several define."""
        if self._warned:
            return
        self._warned = True
        for duplicate in duplicates or ():
            from dprkhr.safetext import safe

            warn(safe(duplicate))
        if failed:
            files = "file" if failed == 1 else "files"
            warn(
                f"{failed} {files} could not be loaded and {'is' if failed == 1 else 'are'} "
                "left out; run `dprkhr lint` to see why"
            )


def at_least_one(value: int | None) -> int | None:
    """Option callback for counts (`--limit`, `--gaps`): 1 or more, said in plain words
    (Typer's own `min=1` answers in its validation library's wording)."""
    if value is not None and value < 1:
        raise typer.BadParameter(f"{value} is not a count: give a whole number of 1 or more")
    return value


def state(ctx: typer.Context) -> AppState:
    root = ctx.find_root()
    if not isinstance(root.obj, AppState):
        root.obj = AppState()
    return root.obj


def warn(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)


def note(message: str) -> None:
    """A message for people on stderr, never mixed into piped output."""
    typer.echo(f"note: {message}", err=True)


class Color(str, Enum):
    """`--color`."""

    auto = "auto"
    always = "always"
    never = "never"


_color = {"choice": "auto"}


def set_color(choice: str | Color) -> None:
    """`--color`: always or never overrides NO_COLOR, FORCE_COLOR and the terminal test."""
    _color["choice"] = Color(choice).value


def use_color(stream: object = None) -> bool:
    """Colour as `--color` says; with `auto` (the default), on a terminal unless NO_COLOR is
    set; FORCE_COLOR forces it."""
    if _color["choice"] != "auto":
        return _color["choice"] == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


# --- the options every command accepts after its name too ---------------------------------

GLOBAL_FLAGS = ("--no-cache", "--debug")
GLOBAL_VALUED = ("--color",)


def _takes_value(params: list[Any]) -> set[str]:
    """The option strings of a command that take a value (`--text WORDS`)."""
    found: set[str] = set()
    for param in params:
        if getattr(param, "param_type_name", "") == "option" and not getattr(
            param, "is_flag", False
        ):
            found.update(param.opts)
            found.update(param.secondary_opts)
    return found


def lift_globals(args: list[str], valued: set[str]) -> tuple[list[str], dict[str, Any]]:
    """Take the global options out of a command's arguments: (the rest, what they set).
    A word that is the value of the command's own option stays (`--text --debug`), and
    nothing after `--` is touched."""
    rest: list[str] = []
    found: dict[str, Any] = {}
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            rest.extend(args[i:])
            break
        if word in valued and i + 1 < len(args):
            rest.extend(args[i : i + 2])
            i += 2
            continue
        if word in GLOBAL_FLAGS:
            found[word] = True
        elif word in GLOBAL_VALUED:
            found[word] = args[i + 1] if i + 1 < len(args) else ""
            i += 1
        elif word.startswith(tuple(f"{name}=" for name in GLOBAL_VALUED)):
            name, _, value = word.partition("=")
            found[name] = value
        else:
            rest.append(word)
        i += 1
    return rest, found


class Command(TyperCommand):
    """A dprkhr command: the global `--no-cache`, `--debug` and `--color` are accepted after
    the command's name too (`dprkhr events --no-cache`), and the options and arguments that
    name records or vocabulary entries complete them in the shell."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from dprkhr.cli.complete import wire

        super().__init__(*args, **kwargs)
        wire(self.params)
        for param in self.params:
            readable_help_type(param)

    def get_params(self, ctx: Any) -> list[Any]:
        return defer_coercion(super().get_params(ctx))

    def invoke(self, ctx: Any) -> Any:
        from dprkhr.store import StoreError

        app = state(ctx)
        try:
            return super().invoke(ctx)
        except StoreError:
            # the store turned out damaged while it answered: it has been removed (the next
            # run makes it again), and this run answers from the files
            app.forget_store()
            return super().invoke(ctx)
        finally:
            app.close()

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        rest, found = lift_globals(args, _takes_value(self.params))
        if found and not ctx.resilient_parsing:
            from dprkhr.errors import UsageError

            app = state(ctx)
            if found.get("--no-cache"):
                app.cache = False
            if found.get("--debug"):
                app.debug = True
            if "--color" in found:
                try:
                    set_color(found["--color"])
                except ValueError:
                    raise UsageError(
                        f"--color {found['--color']!r}: use auto, always or never"
                    ) from None
        return super().parse_args(ctx, rest)


def readable_help_type(param: Any) -> None:
    """Show a parameter's values in help as users type them: `<actor|event>`, `<text>`,
    or nothing beside an argument's own name; never Python's `<list[str]>`."""
    described = getattr(param, "type_descriptor", None)
    if described is None:
        return
    is_option = param.param_type_name == "option"
    if is_option and (param.metavar is not None or not described.is_list):
        return  # the metavar, or Typer's `<int>`, `<dir>`, `<table|json>`

    def shown(ctx: Any) -> str | None:
        if described.is_choice and described.choices:
            return "<" + "|".join(str(getattr(c, "value", c)) for c in described.choices) + ">"
        return "<text>" if is_option else None

    param.display_type_rich = shown


class _Deferred:
    """Typer's coercion of one parameter's value, without building it when not needed.

    Typer (0.29) coerces every parameter's value with a pydantic `TypeAdapter` that it
    builds on first use, for every option of the command whether given or not; building
    them (and importing pydantic for it) took a tenth of a second of every run. The values
    a query command meets are coerced here as those adapters would (an option not given, a
    string, a member of an enumeration, a path, a default number, a list of them);
    anything else (a number given as text, a value in error) goes to typer's own adapter,
    so results and error messages are typer's own."""

    def __init__(self, descriptor: Any) -> None:
        self.descriptor = descriptor
        self.built: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        from typer._coercion import RuntimeParam

        # typer's own handling of a missing value, then `_coerce_value` below
        return RuntimeParam.coerce(self, value, param=param, ctx=ctx)  # type: ignore[arg-type]

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        from typer._typing import get_args, get_origin

        annotation = self.descriptor.annotation
        fast: Any = _NOT_FAST
        if get_origin(annotation) is list and isinstance(value, (list, tuple)):
            (item_type,) = get_args(annotation)
            items = [self._leaf(item_type, item, ctx) for item in value]
            if not any(item is _NOT_FAST for item in items):
                fast = items
        elif get_origin(annotation) is None:
            fast = self._leaf(annotation, value, ctx)
        if fast is not _NOT_FAST:
            return fast
        if self.built is None:
            from typer._coercion import build_runtime_param

            self.built = build_runtime_param(self.descriptor)
        return self.built._coerce_value(value, param=param, ctx=ctx)

    def _leaf(self, annotation: Any, value: Any, ctx: Any) -> Any:
        """`value` as typer's adapter for `annotation` gives it, or `_NOT_FAST`."""
        from typer._param_types import coerce_cli_choice, coerce_cli_path, routes_to_path

        info = self.descriptor.parameter_info
        if info.parser is not None:
            return _NOT_FAST
        try:
            if isinstance(annotation, type) and issubclass(annotation, Enum):
                if isinstance(value, annotation) or type(value) is str:
                    return coerce_cli_choice(
                        value, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx
                    )
            elif annotation is str:
                if type(value) is str:
                    return value
            elif annotation is int and info.min is None and info.max is None and not info.clamp:
                if type(value) is int:  # a default (`--limit`'s 20): pydantic keeps it as is
                    return value
            elif annotation is Path and info.path_type is None and routes_to_path(annotation, info):
                if type(value) is str:
                    value = Path(value)  # as pydantic makes a path of any text
                if isinstance(value, Path):
                    return coerce_cli_path(value, info, path_type=Path, param=None, ctx=ctx)
        except Exception:  # typer's own adapter says what is wrong, in its words
            return _NOT_FAST
        return _NOT_FAST


_NOT_FAST = object()


@functools.cache
def _typer_internals() -> bool:
    """Whether this typer has the (private) pieces `_Deferred` uses, as 0.29 has them: a
    typer that moved them keeps its own coercion, unchanged, instead of failing."""
    try:
        from typer._coercion import RuntimeParam, build_runtime_param  # noqa: F401
        from typer._param_types import (  # noqa: F401
            coerce_cli_choice,
            coerce_cli_path,
            routes_to_path,
        )
        from typer._typing import get_args, get_origin  # noqa: F401
    except ImportError:
        return False
    return hasattr(RuntimeParam, "coerce")


def defer_coercion(params: list[Any]) -> list[Any]:
    """Let every parameter coerce its value through `_Deferred` (when typer has the
    runtime coercion it replaces; otherwise nothing changes): the parameters."""
    if not _typer_internals():
        return params
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if (
            descriptor is not None
            and getattr(param, "_runtime_param", False) is None
            and descriptor.file_annotation is None
        ):
            param._runtime_param = _Deferred(descriptor)
    return params
