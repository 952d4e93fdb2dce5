"""Network formats: GraphML (Gephi, networkx, yEd) and Graphviz DOT.

The actor network links two actors when they take part in the same event; the edge's
`weight` is the number of such events and `events` lists their ids, separated by spaces.
The bipartite graph links each actor to the events it takes part in instead.
"""

from __future__ import annotations

import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import IO
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from dprkhr import __version__
from dprkhr.export.selection import Selection
from dprkhr.safetext import clean_text

Attr = str | int | None


@dataclass
class Graph:
    """Nodes and undirected edges with attributes, in a stable order."""

    bipartite: bool
    nodes: dict[str, dict[str, Attr]] = field(default_factory=dict)
    edges: list[tuple[str, str, dict[str, Attr]]] = field(default_factory=list)


NODE_ATTRS: tuple[tuple[str, str], ...] = (
    ("label", "string"),
    ("name", "string"),
    ("node_type", "string"),
    ("kind", "string"),
    ("country", "string"),
    ("event_count", "int"),
    ("date", "string"),
    ("event_type", "string"),
    ("forum", "string"),
    ("bipartite", "int"),
)
EDGE_ATTRS: tuple[tuple[str, str], ...] = (
    ("weight", "int"),
    ("events", "string"),
    ("role", "string"),
)


def build_graph(sel: Selection, bipartite: bool = False) -> Graph:
    """The actor network of the selected events (or the actor-event graph)."""
    graph = Graph(bipartite)
    event_count: Counter[str] = Counter()
    shared: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for e in sel.events:
        actors = sorted(dict.fromkeys(p.actor for p in e.participants))
        event_count.update(actors)
        for a, b in combinations(actors, 2):
            shared[(a, b)].append(e.id)
    for actor_id in sorted(event_count):
        actor = sel.kb.actor(actor_id)
        graph.nodes[actor_id] = {
            "label": actor.name if actor else actor_id,
            "name": actor.name if actor else actor_id,
            "node_type": "actor",
            "kind": actor.kind.value if actor else None,
            "country": actor.country if actor else None,
            "event_count": event_count[actor_id],
            **({"bipartite": 0} if bipartite else {}),
        }
    if not bipartite:
        for (a, b), ids in sorted(shared.items()):
            graph.edges.append((a, b, {"weight": len(ids), "events": " ".join(ids)}))
        return graph
    for e in sorted(sel.events, key=lambda e: e.id):
        if not e.participants:
            continue
        graph.nodes[e.id] = {
            "label": e.title,
            "name": e.title,
            "node_type": "event",
            "date": e.date.text,
            "event_type": e.type,
            "forum": e.forum,
            "bipartite": 1,
        }
        roles: defaultdict[str, list[str]] = defaultdict(list)
        for p in e.participants:
            roles[p.actor].extend([p.role] if p.role else [])
        for actor_id in sorted(roles):
            role = "; ".join(dict.fromkeys(roles[actor_id])) or None
            graph.edges.append((actor_id, e.id, {"weight": 1, "role": role}))
    graph.nodes = dict(sorted(graph.nodes.items()))
    return graph


def write_graphml(sel: Selection, stream: IO[str], bipartite: bool = False) -> None:
    graph = build_graph(sel, bipartite)
    w = stream.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    w(f"  <!-- dprkhr {xml_escape(__version__)} -->\n")
    for name, kind in NODE_ATTRS:
        w(f'  <key id="{name}" for="node" attr.name="{name}" attr.type="{kind}"/>\n')
    for name, kind in EDGE_ATTRS:
        w(f'  <key id="e_{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>\n')
    graph_id = "actor-events" if bipartite else "actors"
    w(f'  <graph id="{graph_id}" edgedefault="undirected">\n')
    for node_id, attrs in graph.nodes.items():
        w(f"    <node id={quoteattr(clean_text(node_id))}>\n")
        for key, value in attrs.items():
            if value is not None:
                w(f'      <data key="{key}">{xml_escape(clean_text(str(value)))}</data>\n')
        w("    </node>\n")
    for i, (a, b, attrs) in enumerate(graph.edges):
        w(
            f'    <edge id="e{i}" source={quoteattr(clean_text(a))} '
            f"target={quoteattr(clean_text(b))}>\n"
        )
        for key, value in attrs.items():
            if value is not None:
                w(f'      <data key="e_{key}">{xml_escape(clean_text(str(value)))}</data>\n')
        w("    </edge>\n")
    w("  </graph>\n</graphml>\n")


def dot_quote(text: str) -> str:
    """A DOT double-quoted string: quotes and backslashes escaped, newlines as `\\n`."""
    text = clean_text(text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


_SHAPES = {"person": "ellipse", "state": "box", "organization": "hexagon", "un-body": "octagon"}

DOT_LAYOUT = (
    'layout=neato, overlap=prism, splines=false, sep="+6", outputorder=edgesfirst, pack=true'
)
"""Graph attributes: a force-directed layout (neato) with overlaps removed, chosen even by
`dot -Tsvg`. The layered `dot` layout put every event in one rank: the bipartite graph of
the bundled dataset was a strip 50,169 points wide and 116 high; it is now about
2,100 x 1,800."""

LABEL_WIDTH = 22
"""DOT labels are wrapped at this many characters (GraphML keeps them on one line)."""


def _wrapped(text: str) -> str:
    return "\n".join(textwrap.wrap(text, LABEL_WIDTH)) or text


def write_dot(sel: Selection, stream: IO[str], bipartite: bool = False) -> None:
    graph = build_graph(sel, bipartite)
    w = stream.write
    name = "actor_events" if bipartite else "actors"
    w(f"// dprkhr {__version__}: {'actor-event graph' if bipartite else 'actor network'}\n")
    w(f"graph {name} {{\n")
    w(f"  graph [{DOT_LAYOUT}];\n")
    w("  node [fontsize=10];\n")
    for node_id, attrs in graph.nodes.items():
        shown: dict[str, Attr] = {k: v for k, v in attrs.items() if v is not None and k != "name"}
        if isinstance(shown.get("label"), str):
            shown["label"] = _wrapped(str(shown["label"]))
        kind = attrs.get("kind")
        if attrs.get("node_type") == "event":
            shown["shape"] = "note"
            shown["style"] = "filled"
            shown["fillcolor"] = "#eeeeee"
        elif isinstance(kind, str) and kind in _SHAPES:
            shown["shape"] = _SHAPES[kind]
        body = ", ".join(f"{k}={_dot_value(v)}" for k, v in shown.items())
        w(f"  {dot_quote(node_id)} [{body}];\n")
    for a, b, attrs in graph.edges:
        shown = {k: v for k, v in attrs.items() if v is not None}
        if not bipartite:
            shown["penwidth"] = attrs["weight"]
        body = ", ".join(f"{k}={_dot_value(v)}" for k, v in shown.items())
        w(f"  {dot_quote(a)} -- {dot_quote(b)} [{body}];\n")
    w("}\n")


def _dot_value(value: Attr) -> str:
    return str(value) if isinstance(value, int) else dot_quote(str(value))
