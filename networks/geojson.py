"""Read and write a heat network as a GeoJSON FeatureCollection (RFC 7946).

Point features are nodes, with properties ``name``, ``kind`` and ``technologies`` (a list);
their coordinates are ``[longitude, latitude]``. LineString features are pipes, with
properties ``name``, ``start``, ``end``, ``length_km`` (optional: when absent it is the
haversine length along the line), ``existing_capacity_mw``, ``candidate`` and
``max_capacity_mw``. The design temperatures are not stored in the file: they come from the
scenario (or the arguments of :func:`read_geojson`).
"""

from __future__ import annotations

import json
import math
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from networks.graph import (
    NODE_KEYS,
    PIPE_KEYS,
    HeatNetwork,
    NetworkError,
    _check_keys,
    build_network,
    line_length_km,
)

__all__ = ["read_geojson", "write_geojson"]

# Largest GeoJSON read: a city's network of thousands of pipes is a few MB.
MAX_GEOJSON_BYTES = 100_000_000
_POINT_PROPERTIES = ("name",) + tuple(k for k in NODE_KEYS if k not in ("x", "y"))
_LINE_PROPERTIES = ("name",) + PIPE_KEYS


def _coordinates_ok(coords: Any, depth: int) -> bool:
    """Whether coords is a position (depth 0) or a list of at least two positions (depth 1):
    a finite longitude within +/-180 and latitude within +/-90 degrees."""
    if depth == 0:
        return (isinstance(coords, list | tuple) and len(coords) >= 2
                and all(isinstance(c, int | float) and not isinstance(c, bool)
                        and math.isfinite(c) and abs(c) <= limit
                        for c, limit in zip(coords[:2], (180, 90), strict=True)))
    return (isinstance(coords, list | tuple) and len(coords) >= 2
            and all(_coordinates_ok(c, 0) for c in coords))


def _features(data: Any, problems: list[str]) -> list[Mapping[str, Any]]:
    if not isinstance(data, Mapping) or data.get("type") != "FeatureCollection":
        problems.append("expected a GeoJSON FeatureCollection at the top level")
        return []
    features = data.get("features")
    if not isinstance(features, list):
        problems.append("'features' must be a list of Point and LineString features")
        return []
    return features


def read_geojson(path: str | Path, *, zones: Iterable[str] | None = None,
                 technologies: Iterable[str] | None = None, flow_temp_c: float = 70.0,
                 return_temp_c: float = 40.0) -> HeatNetwork:
    """Load a heat network from a GeoJSON file.

    Parameters
    ----------
    path : str or Path
        GeoJSON FeatureCollection of Point (node) and LineString (pipe) features.
    zones : iterable of str, optional
        Scenario zone names that ``zone`` nodes must carry (unchecked when None).
    technologies : iterable of str, optional
        Technology names that may be sited at nodes (unchecked when None).
    flow_temp_c, return_temp_c : float, default 70 and 40
        Design flow and return temperatures [degC].

    Returns
    -------
    HeatNetwork

    Raises
    ------
    NetworkError
        Naming the file and listing every problem (features as well as the checks of
        :func:`networks.network_from_dict`).
    """
    path = Path(path)
    source = str(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_GEOJSON_BYTES:
            raise NetworkError(source, [f"not a regular file of at most "
                                        f"{MAX_GEOJSON_BYTES / 1e6:g} MB (a folder, pipe, device "
                                        "or a very large file); give the path of a GeoJSON "
                                        "file"])
        data = json.loads(path.read_text(encoding="utf-8"))
    except RecursionError:
        raise NetworkError(source, ["nested too deeply to be a heat network's GeoJSON"]) \
            from None
    except FileNotFoundError:
        raise NetworkError(source, ["file not found; check the 'geojson' path, which is "
                                    "relative to the scenario file's folder"]) from None
    except json.JSONDecodeError as err:
        raise NetworkError(source, [f"not valid JSON: {err}"]) from None
    except UnicodeDecodeError as err:
        raise NetworkError(source, [f"not UTF-8 text ({err.reason}); save it as UTF-8"]) \
            from None
    except OSError as err:
        raise NetworkError(source, [f"cannot be read ({err.strerror}); give the path of a "
                                    "GeoJSON file"]) from None
    problems: list[str] = []
    nodes: dict[str, dict[str, Any]] = {}
    pipes: dict[str, dict[str, Any]] = {}
    for i, feature in enumerate(_features(data, problems)):
        geometry = feature.get("geometry") if isinstance(feature, Mapping) else None
        props = feature.get("properties") if isinstance(feature, Mapping) else None
        kind = geometry.get("type") if isinstance(geometry, Mapping) else None
        if not isinstance(props, Mapping):
            props = {}
        name = props.get("name")
        what = f"feature {i}" + (f" ('{name}')" if name else "")
        if kind not in ("Point", "LineString"):
            problems.append(f"{what}: geometry type {kind!r} is not Point (node) or "
                            "LineString (pipe)")
            continue
        if not isinstance(name, str) or not name:
            problems.append(f"{what}: properties need a 'name'")
            continue
        coords = geometry.get("coordinates")
        if kind == "Point":
            _check_keys(f"node '{name}'", props, _POINT_PROPERTIES, problems)
            if not _coordinates_ok(coords, 0):
                problems.append(f"node '{name}': coordinates must be [longitude, latitude]")
                continue
            if name in nodes:
                problems.append(f"node '{name}' appears twice; node names must be unique")
                continue
            item = {k: props[k] for k in ("kind", "technologies") if k in props}
            if item.get("technologies") is None:
                item["technologies"] = []
            nodes[name] = {**item, "x": coords[0], "y": coords[1]}
        else:
            _check_keys(f"pipe '{name}'", props, _LINE_PROPERTIES, problems)
            if not _coordinates_ok(coords, 1):
                problems.append(f"pipe '{name}': coordinates must be a list of at least two "
                                "[longitude, latitude] points")
                continue
            if name in pipes:
                problems.append(f"pipe '{name}' appears twice; pipe names must be unique")
                continue
            item = {k: props[k] for k in PIPE_KEYS if k in props}
            if item.get("length_km") is None:
                item["length_km"] = line_length_km(coords)
            if "max_capacity_mw" in item and item["max_capacity_mw"] is None:
                del item["max_capacity_mw"]
            pipes[name] = item
    return build_network(nodes, pipes, source=source, flow_temp_c=flow_temp_c,
                         return_temp_c=return_temp_c, zones=zones, technologies=technologies,
                         problems=problems)


def write_geojson(network: HeatNetwork, path: str | Path) -> Path:
    """Write a heat network as a GeoJSON FeatureCollection.

    Parameters
    ----------
    network : HeatNetwork
        The network to write.
    path : str or Path
        File to write; its folder must exist.

    Returns
    -------
    Path
        The file written. Pipes are straight lines between their end nodes and carry their
        ``length_km`` explicitly, so reading the file back gives an equal network (the
        design temperatures aside, which the scenario holds).
    """
    features: list[dict[str, Any]] = []
    for n in network.nodes.values():
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [n.x, n.y]},
            "properties": {"name": n.name, "kind": n.kind,
                           "technologies": list(n.technologies)},
        })
    for p in network.pipes.values():
        a, b = network.nodes[p.start], network.nodes[p.end]
        features.append({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[a.x, a.y], [b.x, b.y]]},
            "properties": {"name": p.name, "start": p.start, "end": p.end,
                           "length_km": p.length_km,
                           "existing_capacity_mw": p.existing_capacity_mw,
                           "candidate": p.candidate, "max_capacity_mw": p.max_capacity_mw},
        })
    path = Path(path)
    text = json.dumps({"type": "FeatureCollection", "features": features}, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    return path
