"""The default Stoke-on-Trent heat network: today's mains and candidate routes.

Figures come from ``DOMAIN.md`` (confidence: H primary source, M secondary, L assumption).

* **Nodes.** The six towns' zone nodes (names equal to the scenario zones), the Seven Arches
  Way energy centre (M: gas boilers today), and three heat sources: Hanford
  energy-from-waste (H/M), the Etruria geothermal site (M) and Chatterley Whitfield (M).
  Coordinates are approximate town centres and sites read off a map to about 0.001 degree
  (L): good enough for route lengths of a planning model, not for engineering.
* **Lengths.** Straight-line (haversine) distance between the nodes times a routing factor of
  1.3 for streets and obstacles, rounded to 0.1 km (L). The two existing mains come to
  3.5 km against "about 4 km laid by Jan 2024" (M); the rest is taken as branches within
  the zones.
* **Existing capacity.** The mains are taken as sized for the planned 49 GWh/yr (M): a mean
  of 49,000 MWh / 8,760 h = 5.6 MW times a peak-to-mean ratio of 2.5 (L) = 14 MW, split
  9 MW to Hanley (the city centre, the larger load) and 5 MW to Stoke (L).
* **Candidates.** Every route may be built or expanded (the existing mains by a parallel
  pipe) up to 40 MW in total (L): about the peak network load of the largest town, Hanley
  (351,900 MWh/yr x 0.4 network share / 8,760 h x 2.5 peak/mean = 40 MW), so the bound
  stays clear of any single town's need while keeping the LP bounded.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from networks.geojson import write_geojson
from networks.graph import haversine_km
from networks.load import network_from_dict

__all__ = ["ROUTING_FACTOR", "stoke_network_dict", "write_stoke_geojson"]

#: Route length over straight-line distance (assumption, L).
ROUTING_FACTOR = 1.3

#: Peak over mean heat load of the existing scheme (assumption, L).
PEAK_TO_MEAN = 2.5

#: Upper bound on the total capacity of every candidate route [MW] (see module docstring).
CANDIDATE_MAX_CAPACITY_MW = 40.0

# name: (kind, longitude [deg E], latitude [deg N], technologies). Approximate (L).
_NODES: dict[str, tuple[str, float, float, tuple[str, ...]]] = {
    "Tunstall": ("zone", -2.2115, 53.0590, ()),
    "Burslem": ("zone", -2.1990, 53.0447, ()),
    "Hanley": ("zone", -2.1745, 53.0245, ()),
    "Stoke": ("zone", -2.1840, 53.0045, ()),
    "Fenton": ("zone", -2.1580, 52.9995, ()),
    "Longton": ("zone", -2.1340, 52.9890, ()),
    # Gas-boiler energy centre on Seven Arches Way, Etruria/Stoke (M); heat pump and store
    # sited here as options.
    "Seven Arches Way": ("energy_centre", -2.1900, 53.0100,
                         ("central_gas_boiler", "central_heat_pump", "thermal_store")),
    # Hanford energy-from-waste, 15.4 MWe (H); no heat main yet.
    "Hanford EfW": ("source", -2.1950, 52.9840, ("energy_from_waste",)),
    # Etruria Valley deep geothermal: 12 to over 20 MWth, no well drilled (M).
    "Etruria geothermal": ("source", -2.2020, 53.0280, ("geothermal",)),
    # Chatterley Whitfield eco-park: data-centre waste heat and mine-water heat planned
    # (M), each lifted to network temperature by its own heat pump.
    "Chatterley Whitfield": ("source", -2.1690, 53.0715,
                             ("waste_heat_pump", "mine_water_heat_pump")),
}

# Existing mains from the energy centre (M), with capacity in MW (assumption, see docstring).
_MEAN_PLANNED_MW = 49_000.0 / 8760.0                     # 49 GWh/yr planned (M): 5.6 MW
_PEAK_PLANNED_MW = round(_MEAN_PLANNED_MW * PEAK_TO_MEAN)  # 14 MW
_EXISTING: dict[str, tuple[str, str, float]] = {
    "seven-arches-hanley": ("Seven Arches Way", "Hanley", 9.0),
    "seven-arches-stoke": ("Seven Arches Way", "Stoke", _PEAK_PLANNED_MW - 9.0),  # 5 MW
}

# Candidate routes: on to the towns (north through Burslem to Tunstall, south through Fenton
# to Longton, with two alternatives that close loops), and out to the heat sources.
_CANDIDATES: dict[str, tuple[str, str]] = {
    "hanley-burslem": ("Hanley", "Burslem"),
    "burslem-tunstall": ("Burslem", "Tunstall"),
    "stoke-fenton": ("Stoke", "Fenton"),
    "fenton-longton": ("Fenton", "Longton"),
    "hanley-fenton": ("Hanley", "Fenton"),
    "etruria-burslem": ("Etruria geothermal", "Burslem"),
    "seven-arches-etruria": ("Seven Arches Way", "Etruria geothermal"),
    "stoke-hanford": ("Stoke", "Hanford EfW"),
    "tunstall-chatterley-whitfield": ("Tunstall", "Chatterley Whitfield"),
}


def route_length_km(start: str, end: str) -> float:
    """Estimated route length between two default nodes [km].

    Parameters
    ----------
    start, end : str
        Node names of the default network.

    Returns
    -------
    float
        Haversine distance times :data:`ROUTING_FACTOR`, rounded to 0.1 km.
    """
    a, b = _NODES[start], _NODES[end]
    distance = haversine_km(a[1], a[2], b[1], b[2])
    return max(0.1, math.floor(distance * ROUTING_FACTOR * 10 + 0.5) / 10)


def stoke_network_dict() -> dict[str, Any]:
    """The default Stoke network as the mapping :func:`networks.network_from_dict` reads.

    Returns
    -------
    dict
        ``flow_temp_c`` 70 and ``return_temp_c`` 40 [degC] (typical of a new UK low-temperature
        scheme; assumption, L), ``nodes`` and ``pipes``. Sources and assumptions are in the
        module docstring of :mod:`networks.stoke`.
    """
    nodes = {name: {"kind": kind, "x": x, "y": y, "technologies": list(techs)}
             for name, (kind, x, y, techs) in _NODES.items()}
    pipes: dict[str, dict[str, Any]] = {}
    for name, (start, end, capacity_mw) in _EXISTING.items():
        pipes[name] = {"start": start, "end": end, "length_km": route_length_km(start, end),
                       "existing_capacity_mw": capacity_mw, "candidate": True,
                       "max_capacity_mw": CANDIDATE_MAX_CAPACITY_MW}
    for name, (start, end) in _CANDIDATES.items():
        pipes[name] = {"start": start, "end": end, "length_km": route_length_km(start, end),
                       "existing_capacity_mw": 0.0, "candidate": True,
                       "max_capacity_mw": CANDIDATE_MAX_CAPACITY_MW}
    return {"flow_temp_c": 70.0, "return_temp_c": 40.0, "nodes": nodes, "pipes": pipes}


def write_stoke_geojson(path: str | Path | None = None) -> Path:
    """Write the default network as GeoJSON (regenerates ``scenarios/stoke-network.geojson``).

    Parameters
    ----------
    path : str or Path, optional
        File to write; by default ``scenarios/stoke-network.geojson`` in the source tree.

    Returns
    -------
    Path
        The file written.
    """
    if path is None:
        path = Path(__file__).resolve().parents[1] / "scenarios" / "stoke-network.geojson"
    return write_geojson(network_from_dict(stoke_network_dict(), source="stoke"), path)
