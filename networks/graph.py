"""Heat network graph: nodes, pipes, loading from a scenario mapping and validation.

A heat network is an undirected graph. Nodes are demand zones, energy centres, heat
sources and junctions, each at a longitude/latitude; pipes join two nodes and carry heat
either way. A pipe either exists (``existing_capacity_mw`` > 0) or is a candidate route
(``candidate: true``) that the model may build or expand, up to ``max_capacity_mw``.

Loading checks every item and raises one :class:`NetworkError` listing all problems.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

__all__ = [
    "BUILT_MW",
    "NODE_KINDS",
    "HeatNetwork",
    "NetworkError",
    "Node",
    "Pipe",
    "haversine_km",
    "line_length_km",
]

#: The kinds of node a network may have.
NODE_KINDS = ("zone", "energy_centre", "source", "junction")

#: Mean Earth radius [km] (IUGG mean radius R1 = 6,371,008.8 m).
EARTH_RADIUS_KM = 6371.0088
# Sanity limits, far beyond any city's heat main: larger figures are typing errors, and
# numbers near the float limit break the solver.
MAX_PIPE_LENGTH_KM = 1000.0
MAX_PIPE_CAPACITY_MW = 100_000.0
#: Below this new capacity [MW] a pipe is not counted as built: solver round-off and
#: slivers of a few kW that no one would lay a pipe for. ``energy_model.built`` holds the
#: matching thresholds for other quantities.
BUILT_MW = 0.1

NODE_KEYS = ("kind", "x", "y", "technologies")
PIPE_KEYS = ("start", "end", "length_km", "existing_capacity_mw", "candidate", "max_capacity_mw")
NETWORK_KEYS = ("nodes", "pipes", "geojson", "flow_temp_c", "return_temp_c")
#: Keys of the scenario's ``network:`` section that belong to the model, not the graph.
IGNORED_KEYS = ("build_decisions", "min_build_capacity_mw", "note")


class NetworkError(ValueError):
    """A heat network that cannot be used; the message lists every problem found."""

    def __init__(self, source: str, problems: Iterable[str]) -> None:
        self.source = source
        self.problems = list(problems)
        count = len(self.problems)
        lines = [f"heat network in {source} has {count} problem{'s' if count != 1 else ''}:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Node:
    """A place on the network.

    Attributes
    ----------
    name : str
        Unique name; a ``zone`` node carries the name of a scenario zone.
    kind : str
        One of ``"zone"``, ``"energy_centre"``, ``"source"``, ``"junction"``.
    x : float
        Longitude [degrees east].
    y : float
        Latitude [degrees north].
    technologies : tuple of str
        Central heat technologies sited here, e.g. ``("geothermal",)``.
    """

    name: str
    kind: str
    x: float
    y: float
    technologies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pipe:
    """A route between two nodes (flow and return pipe in one trench).

    Attributes
    ----------
    name : str
        Unique name.
    start, end : str
        Node names. Heat may flow either way; ``start -> end`` is the positive direction.
    length_km : float
        Route length [km].
    existing_capacity_mw : float
        Capacity already in the ground [MW].
    candidate : bool
        Whether the route may be built or expanded.
    max_capacity_mw : float or None
        Upper bound on the total (existing plus new) capacity of a candidate [MW];
        None for no stated bound.
    """

    name: str
    start: str
    end: str
    length_km: float
    existing_capacity_mw: float = 0.0
    candidate: bool = False
    max_capacity_mw: float | None = None


@dataclass(frozen=True)
class HeatNetwork:
    """Nodes and pipes of a heat network with its design temperatures.

    Attributes
    ----------
    nodes : dict of str to Node
        Nodes by name.
    pipes : dict of str to Pipe
        Pipes by name.
    flow_temp_c : float
        Design flow temperature [degC].
    return_temp_c : float
        Design return temperature [degC].
    """

    nodes: dict[str, Node]
    pipes: dict[str, Pipe]
    flow_temp_c: float = 70.0
    return_temp_c: float = 40.0

    def graph(self) -> nx.Graph:
        """The network as an undirected :class:`networkx.Graph`.

        Duplicate routes between a pair of nodes are rejected on loading, so a simple graph
        suffices.

        Returns
        -------
        networkx.Graph
            Node attributes: ``kind``, ``x``, ``y``, ``technologies``, ``pos`` (``(x, y)``).
            Edge attributes: ``name``, ``start``, ``end``, ``length_km``,
            ``existing_capacity_mw``, ``candidate``, ``max_capacity_mw``.
        """
        g = nx.Graph(flow_temp_c=self.flow_temp_c, return_temp_c=self.return_temp_c)
        for n in self.nodes.values():
            g.add_node(n.name, kind=n.kind, x=n.x, y=n.y, technologies=n.technologies,
                       pos=(n.x, n.y))
        for p in self.pipes.values():
            g.add_edge(p.start, p.end, name=p.name, start=p.start, end=p.end,
                       length_km=p.length_km, existing_capacity_mw=p.existing_capacity_mw,
                       candidate=p.candidate, max_capacity_mw=p.max_capacity_mw)
        return g

    @property
    def zones(self) -> tuple[str, ...]:
        """Names of the zone nodes."""
        return tuple(n.name for n in self.nodes.values() if n.kind == "zone")

    @property
    def technology_nodes(self) -> dict[str, str]:
        """Node at which each central technology is sited."""
        return {t: n.name for n in self.nodes.values() for t in n.technologies}

    @property
    def total_length_km(self) -> float:
        """Sum of all route lengths [km]."""
        return sum(p.length_km for p in self.pipes.values())

    def to_dict(self) -> dict[str, Any]:
        """The network as the mapping :func:`network_from_dict` reads.

        Returns
        -------
        dict
            Keys ``flow_temp_c``, ``return_temp_c``, ``nodes`` and ``pipes``; defaults are
            written out in full.
        """
        return {
            "flow_temp_c": self.flow_temp_c,
            "return_temp_c": self.return_temp_c,
            "nodes": {n.name: {"kind": n.kind, "x": n.x, "y": n.y,
                               "technologies": list(n.technologies)}
                      for n in self.nodes.values()},
            "pipes": {p.name: {"start": p.start, "end": p.end, "length_km": p.length_km,
                               "existing_capacity_mw": p.existing_capacity_mw,
                               "candidate": p.candidate, "max_capacity_mw": p.max_capacity_mw}
                      for p in self.pipes.values()},
        }


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance between two points on a sphere of the mean Earth radius.

    Parameters
    ----------
    lon1, lat1 : float
        First point: longitude and latitude [degrees].
    lon2, lat2 : float
        Second point [degrees].

    Returns
    -------
    float
        Distance [km], ``2 R asin(sqrt(hav(dlat) + cos(lat1) cos(lat2) hav(dlon)))`` with
        R = 6,371.0088 km.
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def line_length_km(coordinates: Iterable[Iterable[float]]) -> float:
    """Length of a polyline of ``(longitude, latitude)`` points, summed by haversine [km].

    Parameters
    ----------
    coordinates : iterable of (float, float)
        Points in order, GeoJSON style (longitude first) [degrees].

    Returns
    -------
    float
        Sum of the great-circle lengths of the segments [km].
    """
    points = [tuple(c)[:2] for c in coordinates]
    pairs = zip(points[:-1], points[1:], strict=True)
    return sum(haversine_km(a[0], a[1], b[0], b[1]) for a, b in pairs)


# ----------------------------------------------------------------------------- parsing


def _hint(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _check_keys(what: str, item: Mapping[str, Any], allowed: Iterable[str],
                problems: list[str]) -> None:
    allowed = tuple(allowed)
    for key in item:
        if key not in allowed:
            problems.append(f"{what}: unknown key '{key}'{_hint(str(key), allowed)}; "
                            f"allowed keys are {', '.join(allowed)}")


def _parse_node(name: str, item: Any, problems: list[str]) -> Node | None:
    what = f"node '{name}'"
    if not isinstance(item, Mapping):
        problems.append(f"{what}: expected a mapping with kind, x and y, got {item!r}")
        return None
    _check_keys(what, item, NODE_KEYS, problems)
    ok = True
    kind = item.get("kind")
    if kind not in NODE_KINDS:
        problems.append(f"{what}: unknown kind {kind!r}{_hint(str(kind), NODE_KINDS)}; "
                        f"use one of {', '.join(NODE_KINDS)}")
        ok = False
    coords = {}
    for key, label, limit in (("x", "longitude [deg E]", 180.0), ("y", "latitude [deg N]", 90.0)):
        value = _number(item.get(key))
        if value is None:
            problems.append(f"{what}: '{key}' must be a number, the {label}; "
                            f"got {item.get(key)!r}")
            ok = False
        elif abs(value) > limit:
            problems.append(f"{what}: '{key}' = {value} is not a {label} "
                            f"(within +/-{limit:g})")
            ok = False
        coords[key] = value
    techs = item.get("technologies", ())
    if isinstance(techs, str) or not isinstance(techs, Iterable) or not all(
            isinstance(t, str) for t in techs):
        problems.append(f"{what}: 'technologies' must be a list of technology names, "
                        f"got {techs!r}")
        ok = False
    if not ok:
        return None
    return Node(name=name, kind=kind, x=coords["x"], y=coords["y"], technologies=tuple(techs))


def _parse_pipe(name: str, item: Any, problems: list[str]) -> Pipe | None:
    what = f"pipe '{name}'"
    if not isinstance(item, Mapping):
        problems.append(f"{what}: expected a mapping with start, end and length_km, "
                        f"got {item!r}")
        return None
    _check_keys(what, item, PIPE_KEYS, problems)
    ok = True
    ends = {}
    for key in ("start", "end"):
        value = item.get(key)
        if not isinstance(value, str) or not value:
            problems.append(f"{what}: '{key}' must name a node, got {value!r}")
            ok = False
        ends[key] = value
    length = _number(item.get("length_km"))
    if length is None:
        problems.append(f"{what}: 'length_km' must be a number [km], got "
                        f"{item.get('length_km')!r}")
        ok = False
    elif not 0 < length <= MAX_PIPE_LENGTH_KM:
        problems.append(f"{what}: length_km = {length:g} must be positive and at most "
                        f"{MAX_PIPE_LENGTH_KM:g}; give the route length in km")
        ok = False
    existing = _number(item.get("existing_capacity_mw", 0.0))
    if existing is None:
        problems.append(f"{what}: 'existing_capacity_mw' must be a number [MW], got "
                        f"{item.get('existing_capacity_mw')!r}")
        ok = False
    elif existing < 0:
        problems.append(f"{what}: existing_capacity_mw = {existing:g} is negative; use 0 "
                        "for a route not yet built")
        ok = False
    elif existing > MAX_PIPE_CAPACITY_MW:
        problems.append(f"{what}: existing_capacity_mw = {existing:g} is above "
                        f"{MAX_PIPE_CAPACITY_MW:g}, beyond any heat main; check the figure")
        ok = False
    candidate = item.get("candidate", False)
    if not isinstance(candidate, bool):
        problems.append(f"{what}: 'candidate' must be true or false, got {candidate!r}")
        ok = False
    max_cap = item.get("max_capacity_mw")
    if max_cap is not None:
        max_cap = _number(max_cap)
        if max_cap is None:
            problems.append(f"{what}: 'max_capacity_mw' must be a number [MW] or null, got "
                            f"{item.get('max_capacity_mw')!r}")
            ok = False
        elif max_cap < 0:
            problems.append(f"{what}: max_capacity_mw = {max_cap:g} is negative")
            ok = False
        elif max_cap > MAX_PIPE_CAPACITY_MW:
            problems.append(f"{what}: max_capacity_mw = {max_cap:g} is above "
                            f"{MAX_PIPE_CAPACITY_MW:g}, beyond any heat main; give null for "
                            "no limit")
            ok = False
        elif existing is not None and max_cap < existing:
            problems.append(f"{what}: max_capacity_mw = {max_cap:g} is below "
                            f"existing_capacity_mw = {existing:g}; raise it to at least the "
                            "existing capacity")
            ok = False
    if ok and existing == 0 and not candidate:
        problems.append(f"{what}: has no existing capacity and is not a candidate, so it can "
                        "never carry heat; set existing_capacity_mw or candidate: true")
        ok = False
    if not ok:
        return None
    return Pipe(name=name, start=ends["start"], end=ends["end"], length_km=length,
                existing_capacity_mw=existing, candidate=candidate, max_capacity_mw=max_cap)


def _check_network(nodes: dict[str, Node], pipes: dict[str, Pipe],
                   zones: Iterable[str] | None, technologies: Iterable[str] | None,
                   problems: list[str], node_names: Iterable[str] = (),
                   edges: Iterable[tuple[str, str]] = ()) -> None:
    """Problems that involve more than one item: names, duplicates, connectivity, siting.

    ``node_names`` are all names given, including nodes that failed to parse (already
    reported), so that their pipes are not reported again as naming unknown nodes.
    ``edges`` are the end pairs of all pipes given, including those that failed to parse, so
    that a broken pipe does not make its far node look cut off as well.
    """
    given = set(nodes) | set(node_names)
    if not given:
        problems.append("the network has no nodes; list them under 'nodes'")
    seen: dict[frozenset[str], str] = {}
    for p in pipes.values():
        for end in (p.start, p.end):
            if end not in given:
                hint = _hint(end, sorted(given))
                problems.append(f"pipe '{p.name}': unknown node '{end}'{hint}; "
                                "add the node or correct the name")
        if p.start == p.end:
            problems.append(f"pipe '{p.name}': starts and ends at the same node '{p.start}'")
            continue
        pair = frozenset((p.start, p.end))
        if pair in seen:
            problems.append(f"pipes '{seen[pair]}' and '{p.name}' both join '{p.start}' and "
                            f"'{p.end}'; merge them into one pipe (add their capacities)")
        else:
            seen[pair] = p.name
    if zones is not None:
        zones = list(zones)
        for n in nodes.values():
            if n.kind == "zone" and n.name not in zones:
                problems.append(f"node '{n.name}': kind zone but no scenario zone has that name"
                                f"{_hint(n.name, zones)}; zones are {', '.join(zones)}")
    known = list(technologies) if technologies is not None else None
    sites: dict[str, list[str]] = {}
    for n in nodes.values():
        for t in n.technologies:
            sites.setdefault(t, []).append(n.name)
            if known is not None and t not in known:
                problems.append(f"node '{n.name}': unknown technology '{t}'{_hint(t, known)}; "
                                f"network technologies are {', '.join(known)}")
    for t, where in sites.items():
        if len(where) > 1:
            problems.append(f"technology '{t}' is sited at {len(where)} nodes "
                            f"({', '.join(repr(w) for w in where)}); site it at one node")
    g = nx.Graph()
    g.add_nodes_from(nodes)
    pairs = [(p.start, p.end) for p in pipes.values()] + list(edges)
    g.add_edges_from((a, b) for a, b in pairs if a in nodes and b in nodes)
    parts = sorted(nx.connected_components(g), key=lambda c: (-len(c), sorted(c)))
    for part in parts[1:]:
        names = ", ".join(repr(n) for n in sorted(part))
        which = "nodes" if len(part) > 1 else "node"
        verb, them = ("are", "them") if len(part) > 1 else ("is", "it")
        problems.append(f"{which} {names} {verb} not connected to the rest of the network; "
                        f"join {them} to the rest with a pipe, or remove {them}")


def build_network(nodes_in: Any, pipes_in: Any, *, source: str,
                  flow_temp_c: Any = 70.0, return_temp_c: Any = 40.0,
                  zones: Iterable[str] | None = None,
                  technologies: Iterable[str] | None = None,
                  problems: list[str] | None = None) -> HeatNetwork:
    """Check node and pipe mappings and assemble a :class:`HeatNetwork`.

    Parameters
    ----------
    nodes_in, pipes_in : mapping of str to mapping
        Nodes and pipes by name, in the form of :func:`network_from_dict`.
    source : str
        Where the data came from, for messages.
    flow_temp_c, return_temp_c : float
        Design temperatures [degC].
    zones, technologies : iterable of str, optional
        Allowed zone node names and sited technology names (unchecked when None).
    problems : list of str, optional
        Problems already found by the caller, reported with the rest.

    Returns
    -------
    HeatNetwork

    Raises
    ------
    NetworkError
        Listing every problem found.
    """
    problems = list(problems or [])
    temps = {}
    for key, value in (("flow_temp_c", flow_temp_c), ("return_temp_c", return_temp_c)):
        temps[key] = _number(value)
        if temps[key] is None or not 0 < temps[key] <= 200:
            problems.append(f"'{key}' must be a number of degC from 0 to 200, got {value!r}")
            temps[key] = None
    if None not in temps.values() and not temps["return_temp_c"] < temps["flow_temp_c"]:
        problems.append(f"return_temp_c = {temps['return_temp_c']:g} must be below "
                        f"flow_temp_c = {temps['flow_temp_c']:g}")
    nodes: dict[str, Node] = {}
    pipes: dict[str, Pipe] = {}
    for label, raw, parse, out in (("nodes", nodes_in, _parse_node, nodes),
                                   ("pipes", pipes_in, _parse_pipe, pipes)):
        if not isinstance(raw, Mapping):
            problems.append(f"'{label}' must be a mapping of names to {label}, got {raw!r}")
            continue
        for name, item in raw.items():
            parsed = parse(str(name), item, problems)
            if parsed is not None:
                out[str(name)] = parsed
    # Cross-checks only over items that parsed; a pipe that failed to parse is reported
    # already, and its ends are still checked so a typo in a node name is not lost.
    if isinstance(pipes_in, Mapping) and isinstance(nodes_in, Mapping):
        for name, item in pipes_in.items():
            if name in pipes or not isinstance(item, Mapping):
                continue
            for key in ("start", "end"):
                end = item.get(key)
                if isinstance(end, str) and end and end not in nodes_in:
                    problems.append(f"pipe '{name}': unknown node '{end}'{_hint(end, nodes_in)}; "
                                    "add the node or correct the name")
    raw_edges = [(item.get("start"), item.get("end")) for item in pipes_in.values()
                 if isinstance(item, Mapping) and isinstance(item.get("start"), str)
                 and isinstance(item.get("end"), str)] if isinstance(pipes_in, Mapping) else []
    _check_network(nodes, pipes, zones, technologies, problems,
                   node_names=[str(n) for n in nodes_in] if isinstance(nodes_in, Mapping) else (),
                   edges=raw_edges)
    if problems:
        raise NetworkError(source, problems)
    return HeatNetwork(nodes=nodes, pipes=pipes, flow_temp_c=temps["flow_temp_c"],
                       return_temp_c=temps["return_temp_c"])
