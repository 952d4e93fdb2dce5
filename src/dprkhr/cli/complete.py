"""Shell completion of option values (`dprkhr events --actor Sal<TAB>`).

Typer calls these while completing (`_DPRKHR_COMPLETE=complete_bash|complete_zsh|
complete_fish`, set up by `dprkhr --install-completion`). They never print and never
fail: whatever goes wrong (no dataset, a damaged file), there is simply nothing to offer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer


def _source(ctx: typer.Context) -> Any:
    """The store (or the knowledge base) of the data folder the command line names."""
    from dprkhr.cli.common import AppState

    root = ctx.find_root()
    params = root.params or {}
    # nothing on stderr in the middle of a command line being typed
    app = AppState(data=params.get("data"), cache=not params.get("no_cache", False), quiet=True)
    app._warned = True
    return app.source()


def offer(ctx: typer.Context, kind: str, incomplete: str) -> list[tuple[str, str]]:
    """The candidates of one kind for what was typed; nothing when that cannot be known."""
    from dprkhr.completion import candidates

    try:
        return candidates(_source(ctx), kind, incomplete)
    except Exception:  # completion must never break the shell's prompt
        return []


def completion_item() -> Any:
    """Click's `CompletionItem`, from the Click that Typer runs on: its own copy since
    Typer 0.29 (which does not install `click`), the `click` package before."""
    import typer.core

    item: Any = getattr(typer.core, "CompletionItem", None)
    if item is None:  # pragma: no cover - Typer before 0.29
        from click.shell_completion import CompletionItem

        item = CompletionItem
    return item


def completer(kind: str) -> Callable[[Any, Any, str], list[Any]]:
    """A Click `shell_complete` callback offering values of one kind, with descriptions.

    Click's own hook, not Typer's `autocompletion`, which drops every value that does not
    start with what was typed: `Sal` must offer `elizabeth-salmon`."""

    def complete(ctx: Any, param: Any, incomplete: str) -> list[Any]:
        item = completion_item()
        return [item(v, help=h or None) for v, h in offer(ctx, kind, incomplete)]

    return complete


def complete_participant(ctx: Any, param: Any, incomplete: str) -> list[Any]:
    """`ACTOR` or, after a colon, `ACTOR:ROLE`."""
    actor, colon, role = incomplete.partition(":")
    if not colon:
        found = offer(ctx, "actor", incomplete)
    else:
        found = [(f"{actor}:{v}", h) for v, h in offer(ctx, "participant-role", role)]
    item = completion_item()
    return [item(v, help=h or None) for v, h in found]


BY_PARAMETER: dict[str, str] = {
    "actor": "actor",
    "sponsor": "actor",
    "query": "actor",  # actors QUERY
    "forum": "forum",
    "tag": "tag",
    "type_": "event-type",
    "event_type": "event-type",
    "role": "role",
    "as_": "participant-role",  # --as, --not-as
    "not_as": "participant-role",
    "resolution": "resolution",
    "id_or_name": "record",
    "source": "source",
}
"""What the option or argument of that (Python) name takes, in every command."""


def wire(params: list[Any]) -> None:
    """Give the options and arguments that name records or vocabulary entries their
    completion (options with fixed choices keep Click's)."""
    for param in params:
        described = getattr(param, "type_descriptor", None)  # Typer's parameters since 0.29
        if described is not None and described.is_choice:
            continue
        if described is None and hasattr(getattr(param, "type", None), "choices"):
            continue  # a Click Choice
        if param.name == "participant":
            param._custom_shell_complete = complete_participant
        elif param.name in BY_PARAMETER:
            param._custom_shell_complete = completer(BY_PARAMETER[param.name])
