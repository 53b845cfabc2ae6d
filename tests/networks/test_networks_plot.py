"""The network map is written as a PNG."""

from __future__ import annotations

import networks as nw


def test_plot_writes_png(tmp_path):
    net = nw.network_from_dict(nw.stoke_network_dict())
    path = nw.plot_network(net, tmp_path / "map.png",
                           new_capacity_mw={"hanley-burslem": 12.0, "seven-arches-hanley": 4.0},
                           title="Stoke heat network")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 10_000


def test_plot_with_total_capacities(tmp_path):
    net = nw.network_from_dict(nw.stoke_network_dict())
    path = nw.plot_network(net, tmp_path / "map.png", capacity_mw={"stoke-fenton": 8.0})
    assert path.exists()
