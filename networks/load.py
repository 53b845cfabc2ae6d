"""A heat network from a scenario's ``network:`` mapping: nodes and pipes, or a GeoJSON file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from networks.geojson import read_geojson
from networks.graph import (
    IGNORED_KEYS,
    NETWORK_KEYS,
    HeatNetwork,
    NetworkError,
    _check_keys,
    build_network,
)


def network_from_dict(data: Mapping[str, Any], *, source: str = "<scenario>",
                      base_dir: str | Path = ".", zones: Iterable[str] | None = None,
                      technologies: Iterable[str] | None = None) -> HeatNetwork:
    """Load a heat network from a scenario's ``network:`` mapping.

    Parameters
    ----------
    data : mapping
        Either ``nodes`` and ``pipes`` mappings, or ``geojson`` (a file path relative to
        ``base_dir``); optional ``flow_temp_c`` and ``return_temp_c`` [degC] (default 70 and
        40). The model's keys ``build_decisions``, ``min_build_capacity_mw`` and ``note`` are
        accepted and ignored. Node keys: ``kind``, ``x`` (longitude), ``y`` (latitude),
        ``technologies``. Pipe keys: ``start``, ``end``, ``length_km``,
        ``existing_capacity_mw`` (default 0), ``candidate`` (default false),
        ``max_capacity_mw`` (default none).
    source : str, default "<scenario>"
        Where the mapping came from, named in error messages.
    base_dir : str or Path, default "."
        Folder that a relative ``geojson`` path is resolved against.
    zones : iterable of str, optional
        Scenario zone names; every ``zone`` node must be one (zones without a node are
        fine: they cannot connect).
    technologies : iterable of str, optional
        Technology names that may be sited at nodes.

    Returns
    -------
    HeatNetwork

    Raises
    ------
    NetworkError
        Listing every problem: unknown keys (with a "did you mean" hint), unknown node kinds,
        pipes naming unknown nodes, non-positive lengths, negative capacities, a maximum below
        the existing capacity, pipes with no capacity that are not candidates, two pipes
        joining the same pair of nodes, nodes cut off from the rest, zone nodes that are not
        scenario zones, unknown technologies and technologies sited at more than one node.
    """
    if not isinstance(data, Mapping):
        raise NetworkError(source, [f"expected a mapping with nodes and pipes, got {data!r}"])
    problems: list[str] = []
    _check_keys("network", data, NETWORK_KEYS + IGNORED_KEYS, problems)
    flow = data.get("flow_temp_c", 70.0)
    ret = data.get("return_temp_c", 40.0)
    if "geojson" in data:
        if "nodes" in data or "pipes" in data:
            problems.append("give either 'geojson' or 'nodes' and 'pipes', not both")
        if not isinstance(data["geojson"], str) or not data["geojson"].strip():
            problems.append(f"'geojson' must be a file path, got {data['geojson']!r}")
        if problems:
            raise NetworkError(source, problems)
        path = Path(data["geojson"])
        if not path.is_absolute():
            path = Path(base_dir) / path
        return read_geojson(path, zones=zones, technologies=technologies,
                            flow_temp_c=flow, return_temp_c=ret)
    for key in ("nodes", "pipes"):
        if key not in data:
            problems.append(f"'{key}' is missing; give 'nodes' and 'pipes', or 'geojson'")
    return build_network(data.get("nodes", {}), data.get("pipes", {}), source=source,
                         flow_temp_c=flow, return_temp_c=ret, zones=zones,
                         technologies=technologies, problems=problems)
