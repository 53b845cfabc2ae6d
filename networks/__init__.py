"""Heat networks as graphs: nodes, existing and candidate pipes, losses and the pipe catalogue.

Plain data for the model (no Pyomo here): :func:`network_from_dict` and :func:`read_geojson`
load and check a network, :func:`pipe_catalogue` and :func:`linearise_catalogue` give pipe
sizes, costs and losses, :func:`plot_network` draws a map, and :func:`stoke_network_dict` is
the default Stoke-on-Trent network.
"""

from networks.catalogue import (
    LinearPipeCost,
    PipeSize,
    linearise_catalogue,
    pipe_catalogue,
    pipe_size_for,
)
from networks.geojson import read_geojson, write_geojson
from networks.graph import (
    NODE_KINDS,
    HeatNetwork,
    NetworkError,
    Node,
    Pipe,
    haversine_km,
    line_length_km,
)
from networks.load import network_from_dict
from networks.plot import plot_network, plot_network_periods
from networks.stoke import stoke_network_dict, write_stoke_geojson

__all__ = [
    "NODE_KINDS",
    "HeatNetwork",
    "LinearPipeCost",
    "NetworkError",
    "Node",
    "Pipe",
    "PipeSize",
    "haversine_km",
    "line_length_km",
    "linearise_catalogue",
    "network_from_dict",
    "pipe_catalogue",
    "pipe_size_for",
    "plot_network",
    "plot_network_periods",
    "read_geojson",
    "stoke_network_dict",
    "write_geojson",
    "write_stoke_geojson",
]
