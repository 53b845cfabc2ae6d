"""Sweeps: cases match solving alone, failures are recorded, resume redoes nothing finished.

Every sweep here is a two-day Stoke window in 6- or 12-hour steps (a fraction of a second
per solve) on one LocalCluster of two worker processes started for the module.
"""

from __future__ import annotations

import argparse
import json
import shutil

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

from energy_model.build import build_model
from energy_model.inputs import prepare_inputs
from energy_model.results import results_dataset
from energy_model.scenario import load_scenario
from energy_model.solve import solve_model
from energy_model.sweep import (
    SweepError,
    add_sweep_parser,
    load_sweep,
    read_case_record,
    run_sweep,
    unstack_grid,
)
from energy_model.sweep.case import profile_key
from energy_model.sweep.plots import parameter_unit

SHORT = {"time.start_hour": 4344, "time.horizon_hours": 48, "time.resolution_h": 6}
CAPEX = "technologies.battery.energy_capex_gbp_per_kwh"
PRICE = "grid.energy_value_gbp_per_mwh"


@pytest.fixture(scope="module")
def client():
    import logging

    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    with Client(cluster) as c:
        yield c
    cluster.close()


def write_sweep(folder, name, **sections):
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"base": "stoke-2030", "fixed": SHORT, **sections}))
    return path


MIXED_CASES = [
    {"name": "cheap-battery", "updates": {CAPEX: 40}},
    {"name": "dear-battery", "updates": {CAPEX: 240, PRICE: 200}},
    {"name": "fixed-20mwh", "updates": {"fixed_capacity.battery_energy": 20,
                                        "fixed_capacity.battery_power": 5}},
    {"name": "impossible-target",
     "updates": {"targets.renewable_generation.baseline_gwh_per_year": 1e6}},
    {"name": "twelve-hour-steps", "updates": {"time": {"resolution_h": 12}}},
]


@pytest.fixture(scope="module")
def mixed(client, tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    path = write_sweep(folder, "mixed", cases=MIXED_CASES)
    out = folder / "out"
    ds = run_sweep(path, out, scheduler=client, progress=False)
    return path, out, ds


def solve_alone(updates):
    s = load_scenario("stoke-2030").with_updates({**SHORT, **updates})
    inputs = prepare_inputs(s)
    m = build_model(s, inputs)
    return results_dataset(m, s, inputs, solve_model(m))


def test_every_solved_case_matches_the_scenario_solved_alone(mixed):
    _, _, ds = mixed
    for case in MIXED_CASES:
        if case["name"] == "impossible-target":
            continue
        row = ds.sel(case=case["name"])
        assert str(row["status"].item()) == "ok"
        flat = load_sweep_updates(case["updates"])
        alone = solve_alone(flat)
        assert float(row["total_cost_gbp_per_year"]) == pytest.approx(
            alone.attrs["total_cost_gbp_per_year"], rel=1e-6)
        np.testing.assert_allclose(row["capacity"].sel(technology=alone["technology"]),
                                   alone["capacity"], rtol=1e-6, atol=1e-6)
    # the fixed design is what was built
    fixed = ds.sel(case="fixed-20mwh")["capacity"]
    assert float(fixed.sel(technology="battery_energy")) == pytest.approx(20)


def load_sweep_updates(updates):
    from energy_model.sweep.spec import flatten_updates

    return flatten_updates(updates)


def test_infeasible_case_is_recorded_with_its_reason_and_the_others_finish(mixed):
    _, out, ds = mixed
    statuses = dict(zip(ds["case"].values, ds["status"].values, strict=True))
    assert statuses.pop("impossible-target") == "infeasible"
    assert set(statuses.values()) == {"ok"}
    reason = str(ds["reason"].sel(case="impossible-target").item())
    assert "renewable generation target" in reason
    record = read_case_record(out, "impossible-target")
    assert record["status"] == "infeasible" and record["reason"] == reason
    assert record["parameters"]["targets.renewable_generation.baseline_gwh_per_year"] == 1e6
    assert not (out / "cases" / "impossible-target" / "results.nc").exists()
    assert np.isnan(float(ds["total_cost_gbp_per_year"].sel(case="impossible-target")))
    assert not bool(ds["meets_targets"].sel(case="impossible-target"))


def test_combined_outputs_are_written_and_read_back(mixed):
    _, out, ds = mixed
    back = xr.load_dataset(out / "sweep.nc")
    assert list(back["case"].values) == [c["name"] for c in MIXED_CASES]
    assert back["total_cost_gbp_per_year"].attrs["units"] == "GBP/yr"
    # a parameter a case does not set keeps the base value as its coordinate
    np.testing.assert_allclose(back[PRICE].sel(case="cheap-battery"), 103.008)
    assert (out / "cases" / "cheap-battery" / "results.nc").exists()
    table = pd.read_csv(out / "sweep.csv")
    assert list(table["case"]) == [c["name"] for c in MIXED_CASES]
    assert "renewable generation target" in table.set_index("case").loc[
        "impossible-target", "reason"]
    cheapest = (out / "cheapest.csv").read_text().splitlines()
    assert "impossible-target" not in "".join(cheapest)
    text = (out / "cheapest.txt").read_text()
    assert "Cheapest cases that meet every target their run can judge" in text
    # 48 h at 6 h steps: the annual targets are not judged, and storage is understated
    assert "cannot be judged on them" in text and "storage sizes are understated" in text
    pngs = {p.name for p in out.glob("*.png")}
    assert f"by_{CAPEX}.png" in pngs and "by_fixed_capacity.battery_energy.png" in pngs
    # the charts show the battery, whose size changes between the cases
    from energy_model.sweep.plots import changing_capacities

    assert ("battery_energy", "MWh") in changing_capacities(back)


def test_annual_targets_are_judged_on_full_years_only():
    from types import SimpleNamespace

    from energy_model.sweep.combine import meets_targets

    target = SimpleNamespace(target_mwh_per_year=84_000.0)
    sweep = SimpleNamespace(base=SimpleNamespace(targets=SimpleNamespace(
        renewable_generation=target, co2_cap_t_per_year=None, capex_budget_gbp=1e6)))
    short = {"status": "ok", "horizon": {"year_weight": 52.1},
             "figures": {"renewable_generation_counted_mwh_per_year": 50_000.0,
                         "capex_gbp": 5e5}}
    assert meets_targets(short, sweep)  # a week says nothing of the annual target
    assert not meets_targets({**short, "horizon": {"year_weight": 1.0}}, sweep)
    assert not meets_targets({**short, "figures": {**short["figures"], "capex_gbp": 2e6}},
                             sweep)


def test_colour_scale_does_not_stretch_a_small_spread():
    from energy_model.sweep.plots import colour_range

    low, high = colour_range(np.array([297.0, 299.0, 301.0]))
    assert high - low == pytest.approx(0.05 * 299.0)  # 1.3 % drawn as 1.3 % of 5 %
    assert colour_range(np.array([100.0, 400.0])) == (100.0, 400.0)


def test_cheapest_table_is_sorted_and_only_meets_targets(mixed):
    from energy_model.sweep import cheapest_cases

    _, _, ds = mixed
    table = cheapest_cases(ds)
    assert list(table["total_cost_gbp_per_year"]) == sorted(table["total_cost_gbp_per_year"])
    assert set(table["case"]) == set(ds["case"].values[ds["meets_targets"].values])


def test_resume_after_an_interruption_redoes_nothing_finished(client, tmp_path):
    path = write_sweep(tmp_path, "grid", grid={CAPEX: [40, 120, 240], PRICE: [200, 103.008]})
    out = tmp_path / "out"
    finished = []

    def interrupt_after_two(record):
        finished.append(record["case"])
        if len(finished) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(path, out, scheduler=client, progress=False, on_case=interrupt_after_two)
    records = {p.parent.name: json.loads(p.read_text()) for p in out.glob("cases/*/case.json")}
    assert set(records) == set(finished)
    assert not (out / "sweep.nc").exists()

    # without --resume or --force an existing folder is refused
    with pytest.raises(SweepError, match="--resume"):
        run_sweep(path, out, scheduler=client, progress=False)

    ds = run_sweep(path, out, scheduler=client, progress=False, resume=True)
    assert ds.attrs["cases_solved_this_run"] == 6 - len(finished)
    assert set(ds["status"].values) == {"ok"}
    for case, before in records.items():
        assert read_case_record(out, case)["finished_at"] == before["finished_at"]

    # a lost case folder is solved again, and nothing else
    kept = read_case_record(out, "case-000")
    shutil.rmtree(out / "cases" / "case-005")
    ds = run_sweep(path, out, scheduler=client, progress=False, resume=True)
    assert ds.attrs["cases_solved_this_run"] == 1
    assert read_case_record(out, "case-000")["finished_at"] == kept["finished_at"]

    # a full grid unstacks to one dimension per parameter, and has a heat map
    grid = unstack_grid(ds)
    assert grid["total_cost_gbp_per_year"].sizes == {CAPEX: 3, PRICE: 2}
    assert (out / "heatmap.png").exists()
    # dearer batteries never make the plan cheaper
    cost = grid["total_cost_gbp_per_year"].sel({PRICE: 103.008}).values
    assert np.all(np.diff(cost) >= -1e-6 * cost[0])


def test_resume_refuses_cases_of_a_changed_sweep(client, tmp_path):
    path = write_sweep(tmp_path, "one", cases=[{"name": "a", "updates": {CAPEX: 40}}])
    out = tmp_path / "out"
    run_sweep(path, out, scheduler=client, progress=False, plots=False)
    write_sweep(tmp_path, "one", cases=[{"name": "a", "updates": {CAPEX: 50}}])
    with pytest.raises(SweepError, match="different scenario"):
        run_sweep(path, out, scheduler=client, progress=False, resume=True)
    ds = run_sweep(path, out, scheduler=client, progress=False, force=True, plots=False)
    assert float(ds[CAPEX].sel(case="a")) == 50


def test_bad_key_paths_are_refused_before_anything_runs(tmp_path):
    path = write_sweep(tmp_path, "typo", grid={"technologies.battery.energy_capex_gbp_per_kw":
                                               [1, 2], "network.flow_temp": [80]})
    out = tmp_path / "out"
    # an unreachable scheduler: reaching it would fail differently (and slowly)
    with pytest.raises(SweepError) as info:
        run_sweep(path, out, scheduler="tcp://127.0.0.1:9", progress=False)
    msg = str(info.value)
    assert str(path) in msg
    assert "grid.technologies.battery.energy_capex_gbp_per_kw" in msg
    assert "no key 'flow_temp' under network" in msg
    assert not out.exists()


def test_values_the_scenario_refuses_name_the_case_and_key(tmp_path):
    path = write_sweep(tmp_path, "neg", cases=[
        {"name": "ok", "updates": {CAPEX: 40}},
        {"name": "negative", "updates": {CAPEX: -1}},
        {"name": "sized", "updates": {"fixed_capacity.batteryy": 3}},
    ])
    with pytest.raises(SweepError) as info:
        load_sweep(path)
    msg = str(info.value)
    assert "case negative" in msg and CAPEX in msg
    assert "case sized" in msg and "fixed_capacity.batteryy" in msg
    assert "case ok" not in msg


@pytest.mark.parametrize("text, expected", [
    ("base: stoke-2030\ngrid: {x: [1]}\ncases: [{updates: {}}]\n", "exactly one of grid"),
    ("base: stoke-2030\ngird: {x: [1]}\n", "gird: unknown key"),
    ("base: stoke-2030\ngrid: {time.horizon_hours: []}\n", "no values for time.horizon_hours"),
    ("base: stoke-2030\ngrid: [1, 2\n", "malformed YAML"),
    ("base: no-such-city\ngrid: {time.horizon_hours: [24]}\n", "base: "),
    ("base: stoke-2030\nsample: {n: 4, ranges: {time.horizon_hours: [48, 24]}}\n",
     "low is above high"),
    ("base: stoke-2030\ncases: [{name: a}, {name: a}]\n", "used more than once: a"),
    ("base: stoke-2030\ncases: [{name: 'a b'}]\n", "not usable as a folder name"),
])
def test_sweep_file_errors_name_the_file_and_key(tmp_path, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(SweepError) as info:
        load_sweep(path)
    assert str(path) in str(info.value) and expected in str(info.value)


def test_latin_hypercube_sample_is_seeded_and_stratified(tmp_path):
    lifetime = "technologies.battery.energy_lifetime_years"
    path = write_sweep(tmp_path, "lhs", sample={"n": 8, "seed": 3, "ranges": {
        CAPEX: [40, 240], lifetime: [10, 30]}})
    a, b = load_sweep(path), load_sweep(path)
    assert [c.parameters for c in a.cases] == [c.parameters for c in b.cases]
    capex = np.array([c.parameters[CAPEX] for c in a.cases])
    # one sample in each eighth of the range
    assert sorted(np.floor((capex - 40) / 25).astype(int)) == list(range(8))
    # a whole-number key gets whole numbers
    assert all(isinstance(c.parameters[lifetime], int) for c in a.cases)
    assert a.cases[0].scenario_data["technologies"]["battery"]["energy_capex_gbp_per_kwh"] \
        == a.cases[0].parameters[CAPEX]


def test_profiles_are_shared_only_by_cases_that_differ_in_costs():
    base = load_scenario("stoke-2030")
    data = base.model_dump(mode="json", exclude_none=True)
    cost = base.with_updates({CAPEX: 1, PRICE: 103.008, "time.horizon_hours": 24})
    tilt = base.with_updates({"technologies.rooftop_pv.tilt_deg": 10})
    price = base.with_updates({PRICE: 100})
    key = profile_key(data, "x")
    assert profile_key(cost.model_dump(mode="json", exclude_none=True), "x") == key
    assert profile_key(tilt.model_dump(mode="json", exclude_none=True), "x") != key
    assert profile_key(price.model_dump(mode="json", exclude_none=True), "x") != key


def test_command_line_runs_a_sweep_on_a_given_scheduler(client, tmp_path, capsys):
    path = write_sweep(tmp_path, "cli", grid={CAPEX: [40, 240]})
    parser = argparse.ArgumentParser()
    add_sweep_parser(parser.add_subparsers(dest="command"))
    out = tmp_path / "out"
    args = parser.parse_args(["sweep", str(path), "--out", str(out),
                              "--scheduler", client.scheduler.address])
    assert args.func(args) == 0
    printed = capsys.readouterr()
    assert "Cheapest cases" in printed.out and "2/2 done" in printed.err
    assert (out / "sweep.nc").exists()
    with pytest.raises(SweepError, match="already exists"):
        args.func(args)


@pytest.mark.parametrize("path, unit", [
    (CAPEX, "GBP/kWh"), (PRICE, "GBP/MWh"), ("fixed_capacity.battery_energy", "MWh"),
    ("fixed_capacity.wind", "MW"), ("time.horizon_hours", "h"),
    ("technologies.battery.charge_efficiency", "-"),
    ("targets.co2_cap_t_per_year", "t/yr"),
])
def test_parameter_units_come_from_key_names(path, unit):
    assert parameter_unit(path) == unit


def test_example_sweeps_load_and_are_checked():
    from energy_model.scenario import builtin_scenario_dir

    examples = sorted((builtin_scenario_dir() / "sweeps").glob("*.yaml"))
    assert {p.stem for p in examples} >= {"battery-cost", "battery-designs", "storage-sample"}
    for path in examples:
        sweep = load_sweep(path)
        assert sweep.name == path.stem and sweep.cases
        assert sweep.base.time.horizon_hours == 168
