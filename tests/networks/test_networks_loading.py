"""Loading heat networks from a scenario mapping and from GeoJSON."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
import yaml

import networks as nw

DATA = Path(__file__).parent / "data"
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
STOKE_ZONES = ("Tunstall", "Burslem", "Hanley", "Stoke", "Fenton", "Longton")
NETWORK_TECHNOLOGIES = ("central_gas_boiler", "central_heat_pump", "thermal_store",
                        "geothermal", "energy_from_waste", "waste_heat_pump",
                        "mine_water_heat_pump")


def test_stoke_default_loads_with_the_scenario_zones_and_technologies():
    net = nw.network_from_dict(nw.stoke_network_dict(), zones=STOKE_ZONES,
                               technologies=NETWORK_TECHNOLOGIES)
    assert set(net.zones) == set(STOKE_ZONES)
    assert net.technology_nodes == {
        "central_gas_boiler": "Seven Arches Way", "central_heat_pump": "Seven Arches Way",
        "thermal_store": "Seven Arches Way", "geothermal": "Etruria geothermal",
        "energy_from_waste": "Hanford EfW", "waste_heat_pump": "Chatterley Whitfield",
        "mine_water_heat_pump": "Chatterley Whitfield"}
    assert net.nodes["Chatterley Whitfield"].kind == "source"
    existing = [p for p in net.pipes.values() if p.existing_capacity_mw > 0]
    # About 4 km laid by January 2024 (DOMAIN.md): the two mains come to 3.5 km.
    assert sum(p.length_km for p in existing) == pytest.approx(3.5)
    assert sum(p.existing_capacity_mw for p in existing) == pytest.approx(14.0)
    assert all(p.candidate and p.max_capacity_mw == 40.0 for p in net.pipes.values())
    assert (net.flow_temp_c, net.return_temp_c) == (70.0, 40.0)


def test_stoke_zone_nodes_are_the_default_scenario_zones():
    scenario = yaml.safe_load((SCENARIOS / "stoke-2030.yaml").read_text(encoding="utf-8"))
    assert set(STOKE_ZONES) == set(scenario["zones"])
    net = nw.network_from_dict(nw.stoke_network_dict(), zones=scenario["zones"])
    assert set(net.zones) == set(scenario["zones"])


def test_stoke_geojson_file_equals_the_default_dict():
    from_dict = nw.network_from_dict(nw.stoke_network_dict())
    from_file = nw.read_geojson(SCENARIOS / "stoke-network.geojson")
    assert from_file == from_dict
    via_key = nw.network_from_dict({"geojson": "stoke-network.geojson", "flow_temp_c": 70,
                                    "return_temp_c": 40, "build_decisions": "binary"},
                                   base_dir=SCENARIOS, zones=STOKE_ZONES)
    assert via_key == from_dict


def test_graph_carries_node_and_edge_attributes():
    net = nw.network_from_dict(nw.stoke_network_dict())
    g = net.graph()
    assert isinstance(g, nx.Graph)
    assert nx.is_connected(g)
    assert g.number_of_nodes() == len(net.nodes) and g.number_of_edges() == len(net.pipes)
    edge = g.edges["Seven Arches Way", "Hanley"]
    assert edge["name"] == "seven-arches-hanley"
    assert edge["existing_capacity_mw"] == 9.0
    assert g.nodes["Hanley"]["kind"] == "zone"
    assert g.nodes["Hanley"]["pos"] == (net.nodes["Hanley"].x, net.nodes["Hanley"].y)


def test_stoke_geojson_regenerates_identically(tmp_path):
    from networks.stoke import write_stoke_geojson

    path = write_stoke_geojson(tmp_path / "stoke.geojson")
    assert path.read_text() == (SCENARIOS / "stoke-network.geojson").read_text()


def test_write_then_read_geojson_round_trips(tmp_path):
    net = nw.network_from_dict(nw.stoke_network_dict())
    path = nw.write_geojson(net, tmp_path / "net.geojson")
    assert nw.read_geojson(path) == net
    assert nw.network_from_dict(net.to_dict()) == net


def test_geojson_length_from_geometry_when_absent():
    net = nw.read_geojson(DATA / "tiny.geojson", flow_temp_c=80, return_temp_c=50)
    # Two segments of 0.01 degree of latitude along the prime meridian.
    assert net.pipes["main"].length_km == pytest.approx(0.02 * 111.19508, rel=1e-6)
    assert net.pipes["spur"].length_km == 2.5          # stated length wins
    assert net.pipes["spur"].max_capacity_mw is None
    assert net.nodes["Bend"].technologies == ()
    assert net.flow_temp_c == 80


def test_model_keys_are_ignored():
    data = nw.stoke_network_dict() | {"build_decisions": "binary",
                                      "min_build_capacity_mw": 2.0, "note": "variant"}
    assert nw.network_from_dict(data) == nw.network_from_dict(nw.stoke_network_dict())


def test_haversine_known_distances():
    # One degree along a meridian: pi/180 x 6371.0088 km.
    assert nw.haversine_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(111.19508, rel=1e-6)
    # Nashville (36.12 N, 86.67 W) to Los Angeles (33.94 N, 118.40 W): 2,887.26 km on a
    # sphere of radius 6,372.8 km (the textbook haversine example), scaled to our radius.
    d = nw.haversine_km(-86.67, 36.12, -118.40, 33.94)
    assert d * 6372.8 / 6371.0088 == pytest.approx(2887.26, abs=0.01)
    assert nw.line_length_km([(0, 0), (0, 1), (0, 2)]) == pytest.approx(2 * 111.19508,
                                                                          rel=1e-6)
