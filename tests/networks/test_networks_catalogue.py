"""Pipe catalogue, its linear fit and pipe sizing."""

from __future__ import annotations

import math

import pytest

import networks as nw
from networks.catalogue import design_velocity_m_per_s


@pytest.fixture(scope="module")
def catalogue() -> list[nw.PipeSize]:
    return nw.pipe_catalogue(70.0, 40.0)


def test_catalogue_spans_dn25_to_dn500_and_rises_with_dn(catalogue):
    dns = [s.dn for s in catalogue]
    assert dns[0] == 25 and dns[-1] == 500 and dns == sorted(dns)
    for small, large in zip(catalogue[:-1], catalogue[1:], strict=True):
        assert large.capacity_mw > small.capacity_mw
        assert large.cost_gbp_per_m > small.cost_gbp_per_m
        assert large.heat_loss_w_per_m >= small.heat_loss_w_per_m


def test_catalogue_cost_range_from_domain(catalogue):
    # DOMAIN.md: GBP 500-1,100 per trench metre across the range.
    assert catalogue[0].cost_gbp_per_m == 500.0
    assert catalogue[-1].cost_gbp_per_m == 1100.0


def test_capacity_is_flow_times_heat_capacity_times_delta_t(catalogue):
    dn100 = next(s for s in catalogue if s.dn == 100)
    velocity = design_velocity_m_per_s(0.1071)
    assert 0.9 < velocity < 1.3                       # about 1 m/s at 100 Pa/m for DN 100
    expected = math.pi / 4 * 0.1071**2 * velocity * 985.0 * 4180.0 * 30.0 / 1e6
    assert dn100.capacity_mw == pytest.approx(expected, rel=1e-9)
    # Capacity scales with the flow-return difference.
    wide = nw.pipe_catalogue(80.0, 40.0)
    assert wide[6].capacity_mw == pytest.approx(dn100.capacity_mw * 40 / 30, rel=1e-9)


def test_heat_loss_in_published_range(catalogue):
    # Buried pre-insulated pairs at 70/40 degC lose roughly 5-60 W/m.
    assert all(5 < s.heat_loss_w_per_m < 60 for s in catalogue)
    # Lower temperatures lose less.
    cooler = nw.pipe_catalogue(55.0, 25.0)
    assert all(c.heat_loss_w_per_m < s.heat_loss_w_per_m
               for c, s in zip(cooler, catalogue, strict=True))


def test_return_not_below_flow_is_rejected():
    with pytest.raises(ValueError, match="return_temp_c"):
        nw.pipe_catalogue(40.0, 40.0)


@pytest.mark.parametrize("max_capacity_mw", [None, 40.0, 10.0])
def test_linear_fit_reproduces_catalogue_costs_within_20_percent(catalogue, max_capacity_mw):
    fit = nw.linearise_catalogue(catalogue, max_capacity_mw)
    assert fit.fixed_cost_gbp_per_km > 0 and fit.cost_gbp_per_mw_per_km > 0
    used = [s for s in catalogue if max_capacity_mw is None or s.capacity_mw <= max_capacity_mw]
    for s in used:
        fitted = fit.fixed_cost_gbp_per_km + fit.cost_gbp_per_mw_per_km * s.capacity_mw
        assert fitted == pytest.approx(s.cost_gbp_per_m * 1000.0, rel=0.20)


def test_loss_fraction_is_mean_of_loss_over_capacity(catalogue):
    fit = nw.linearise_catalogue(catalogue, min_capacity_mw=1.0)
    used = [s for s in catalogue if s.capacity_mw >= 1.0]
    expected = sum(s.heat_loss_w_per_m / (s.capacity_mw * 1000.0) for s in used) / len(used)
    assert fit.loss_fraction_per_km == pytest.approx(expected)
    assert 0 < fit.loss_fraction_per_km < nw.linearise_catalogue(catalogue).loss_fraction_per_km


def test_linearise_needs_two_sizes(catalogue):
    with pytest.raises(ValueError, match="at least two sizes"):
        nw.linearise_catalogue(catalogue, max_capacity_mw=0.05)


def test_pipe_size_for_picks_smallest_fitting_dn(catalogue):
    dn80, dn100 = (next(s for s in catalogue if s.dn == d) for d in (80, 100))
    assert nw.pipe_size_for(dn80.capacity_mw, catalogue) == dn80
    assert nw.pipe_size_for(dn80.capacity_mw * 1.001, catalogue) == dn100
    assert nw.pipe_size_for(1e-6, catalogue).dn == 25
    assert nw.pipe_size_for(list(reversed(catalogue))[0].capacity_mw, catalogue).dn == 500
    assert nw.pipe_size_for(0.0, catalogue) is None
    assert nw.pipe_size_for(catalogue[-1].capacity_mw + 1, catalogue) is None
