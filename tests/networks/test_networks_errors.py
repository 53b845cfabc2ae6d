"""Every problem in a network is reported, all at once, naming the item and the fix."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

import networks as nw

DATA = Path(__file__).parent / "data"


def small() -> dict:
    """A valid three-node network to break in each test."""
    return {
        "nodes": {
            "Plant": {"kind": "energy_centre", "x": 0.0, "y": 0.0,
                      "technologies": ["central_gas_boiler"]},
            "North": {"kind": "zone", "x": 0.0, "y": 0.02},
            "South": {"kind": "zone", "x": 0.0, "y": -0.02},
        },
        "pipes": {
            "n": {"start": "Plant", "end": "North", "length_km": 2.0,
                  "existing_capacity_mw": 5.0},
            "s": {"start": "Plant", "end": "South", "length_km": 2.0, "candidate": True,
                  "max_capacity_mw": 10.0},
        },
    }


def problems_of(data: dict, **kwargs) -> str:
    with pytest.raises(nw.NetworkError) as info:
        nw.network_from_dict(data, source="test.yaml", **kwargs)
    message = str(info.value)
    assert message.startswith("heat network in test.yaml has")
    return message


def test_small_network_is_valid():
    net = nw.network_from_dict(small(), zones=["North", "South"],
                               technologies=["central_gas_boiler"])
    assert set(net.pipes) == {"n", "s"}


def test_unknown_keys_with_hints():
    data = small()
    data["nodes"]["North"]["technology"] = []
    data["pipes"]["n"]["length_m"] = 2000
    data["pipes_extra"] = {}
    msg = problems_of(data)
    assert "node 'North': unknown key 'technology' (did you mean 'technologies'?)" in msg
    assert "pipe 'n': unknown key 'length_m' (did you mean 'length_km'?)" in msg
    assert "network: unknown key 'pipes_extra'" in msg
    assert "has 3 problems" in msg


def test_unknown_kind():
    data = small()
    data["nodes"]["Plant"]["kind"] = "energy_center"
    msg = problems_of(data)
    assert "node 'Plant': unknown kind 'energy_center' (did you mean 'energy_centre'?)" in msg
    # The pipes joining the broken node are not reported again as naming unknown nodes.
    assert "unknown node" not in msg


def test_pipe_naming_unknown_node():
    data = small()
    data["pipes"]["n"]["end"] = "Nort"
    msg = problems_of(data)
    assert "pipe 'n': unknown node 'Nort' (did you mean 'North'?)" in msg


@pytest.mark.parametrize("length", [0.0, -1.0])
def test_non_positive_length(length):
    data = small()
    data["pipes"]["s"]["length_km"] = length
    assert f"pipe 's': length_km = {length:g} must be positive" in problems_of(data)


def test_negative_capacities_and_max_below_existing():
    data = small()
    data["pipes"]["n"]["existing_capacity_mw"] = -1.0
    data["pipes"]["s"]["max_capacity_mw"] = -2.0
    msg = problems_of(data)
    assert "pipe 'n': existing_capacity_mw = -1 is negative" in msg
    assert "pipe 's': max_capacity_mw = -2 is negative" in msg
    data = small()
    data["pipes"]["n"].update(candidate=True, max_capacity_mw=3.0)
    assert ("pipe 'n': max_capacity_mw = 3 is below existing_capacity_mw = 5"
            in problems_of(data))


def test_duplicated_pipe_either_direction():
    data = small()
    data["pipes"]["n2"] = {"start": "North", "end": "Plant", "length_km": 2.1,
                           "existing_capacity_mw": 1.0}
    msg = problems_of(data)
    assert "pipes 'n' and 'n2' both join 'North' and 'Plant'" in msg


def test_disconnected_nodes_are_named():
    data = small()
    data["nodes"]["East"] = {"kind": "zone", "x": 0.02, "y": 0.0}
    data["nodes"]["Far"] = {"kind": "junction", "x": 0.05, "y": 0.0}
    data["pipes"]["e"] = {"start": "East", "end": "Far", "length_km": 3.0, "candidate": True}
    msg = problems_of(data)
    assert "nodes 'East', 'Far' are not connected to the rest of the network" in msg
    assert "'Plant'" not in msg


def test_zone_node_not_in_scenario_zones():
    msg = problems_of(small(), zones=["North", "Sooth"])
    assert "node 'South': kind zone but no scenario zone has that name " \
           "(did you mean 'Sooth'?)" in msg
    # Zones of the scenario missing from the network are fine.
    nw.network_from_dict(small(), zones=["North", "South", "West"])


def test_unknown_and_doubly_sited_technologies():
    data = small()
    data["nodes"]["North"]["technologies"] = ["central_gas_boiler", "geothermel"]
    msg = problems_of(data, technologies=["central_gas_boiler", "geothermal"])
    assert "node 'North': unknown technology 'geothermel' (did you mean 'geothermal'?)" in msg
    assert "technology 'central_gas_boiler' is sited at 2 nodes ('Plant', 'North')" in msg


def test_existing_pipe_with_no_capacity_that_is_not_a_candidate():
    data = small()
    data["pipes"]["n"]["existing_capacity_mw"] = 0.0
    msg = problems_of(data)
    assert "pipe 'n': has no existing capacity and is not a candidate" in msg
    assert "candidate: true" in msg


def test_all_problems_reported_together():
    data = copy.deepcopy(small())
    data["nodes"]["North"]["kind"] = "zoen"
    data["pipes"]["s"]["length_km"] = 0
    data["pipes"]["s"]["end"] = "Suoth"
    data["flow_temp_c"] = 30
    msg = problems_of(data)
    for part in ("unknown kind 'zoen'", "length_km = 0", "unknown node 'Suoth'",
                 "return_temp_c = 40 must be below flow_temp_c = 30",
                 # The misspelt end leaves South without a pipe, which is reported too.
                 "node 'South' is not connected"):
        assert part in msg
    assert "has 5 problems" in msg


def test_bad_geojson_names_the_file_and_every_problem():
    with pytest.raises(nw.NetworkError) as info:
        nw.read_geojson(DATA / "bad.geojson")
    msg = str(info.value)
    assert "bad.geojson" in msg.splitlines()[0]
    assert "node 'Plant': unknown kind 'energy_center'" in msg
    assert "node 'Town': unknown key 'capacity_mw'" in msg
    assert "feature 2 ('Park'): geometry type 'Polygon'" in msg
    assert "pipe 'main': unknown node 'Twon' (did you mean 'Town'?)" in msg
    assert "pipe 'main': length_km = 0 must be positive" in msg


def test_missing_geojson_file_and_both_forms():
    with pytest.raises(nw.NetworkError, match="file not found"):
        nw.network_from_dict({"geojson": "nowhere.geojson"}, base_dir=DATA)
    with pytest.raises(nw.NetworkError, match="not both"):
        nw.network_from_dict(small() | {"geojson": "tiny.geojson"}, base_dir=DATA)
