"""Built or not: figures below the build thresholds appear nowhere as builds."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

from energy_model.built import BUILT_HOMES, BUILT_MW, as_built, built_value, whole_households
from energy_model.report import pipe_table, zone_table


def slivers() -> xr.Dataset:
    """A hand-made results dataset: one real build of each kind and one sliver of each."""
    time = pd.date_range("2030-01-01", periods=2, freq="h")
    zones = ["Big", "Tiny", "Cut off"]
    pipes = ["main", "sliver", "round-off", "to-cut-off"]
    techs = ["wind", "geothermal", "battery_energy"]
    scenario = {"name": "slivers", "zones": {"Big": {"households": 1000},
                                            "Tiny": {"households": 1000},
                                            "Cut off": {"households": 1000}}}
    ds = xr.Dataset(coords={"time": time, "zone": zones, "pipe": pipes, "technology": techs,
                            "capital_item": ["wind", "geothermal", "heat_network", "pipes"],
                            "payer": ["public", "households"]})
    ds["step_weight_h"] = ("time", [1.0, 1.0])
    ds["existing_capacity"] = ("technology", [0.0, 0.0, 0.0])
    ds["new_capacity"] = ("technology", [12.0, 0.09, 0.05])
    ds["capacity"] = ("technology", [12.0, 0.09, 0.05])
    ds["capacity_unit"] = ("technology", ["MW", "MW", "MWh"])
    ds["pipe_existing_capacity_mw"] = ("pipe", [0.0, 0.0, 9.0, 0.0])
    ds["pipe_new_capacity_mw"] = ("pipe", [3.9, 0.0907, 3e-6, 0.05])
    ds["pipe_capacity_mw"] = ("pipe", [3.9, 0.0907, 9.0, 0.05])
    ds["pipe_dn_mm"] = ("pipe", [200.0, 40.0, 250.0, 32.0])
    ds["pipe_heat_sent_mwh_per_year"] = ("pipe", [21_000.0, 438.0, 5_000.0, 24.0])
    ds["pipe_losses_mwh_per_year"] = ("pipe", [220.0, 4.0, 50.0, 1.0])
    ds["pipe_utilisation"] = ("pipe", [0.6, 0.55, 0.07, 0.05])
    ds["pipe_start"] = ("pipe", ["centre", "centre", "centre", "Big"])
    ds["pipe_end"] = ("pipe", ["Big", "Tiny", "Big", "Cut off"])
    ds["heat_demand_mw"] = (("zone", "time"), np.full((3, 2), 10.0))
    ds["electricity_demand_mw"] = (("zone", "time"), np.full((3, 2), 5.0))
    ds["heat_pump_share"] = ("zone", [0.2, 0.0052, 0.0])  # Tiny: 5.2 homes
    ds["heat_network_share"] = ("zone", [0.3, 0.0, 0.05])  # Cut off: 50 homes, no built pipe
    ds["gas_boiler_share"] = ("zone", [0.5, 0.9948, 0.95])
    ds["retrofit_share"] = ("zone", [0.1, 0.001, 0.0])
    ds["network_heat_delivered_mwh_per_year"] = ("zone", [20_000.0, 1.0, 369.0])
    ds["fuel_poor_households"] = ("zone", [250.0, 250.0, 250.0])
    ds["households_lifted"] = ("zone", [30.6719, 0.5208, 7.848])
    ds["fuel_poverty_rate_after"] = ("zone", [0.22, 0.25, 0.24])
    ds["capital_gbp"] = ("capital_item", [1.2e7, 8_170.0, 5e5, 2e6])
    ds["capital_annualised_gbp_per_year"] = ("capital_item", [6e5, 495.0, 3e4, 1e5])
    ds["capital_by_payer_gbp"] = (("capital_item", "payer"),
                                  [[1.2e7, 0.0], [8_170.0, 0.0], [5e5, 0.0], [2e6, 0.0]])
    ds.attrs.update(scenario_yaml=yaml.safe_dump(scenario), scenario_name="slivers",
                    households_lifted_out_of_fuel_poverty=39.0405,
                    fuel_poverty_rate_after=0.2367)
    return ds


def test_slivers_are_not_builds_and_real_builds_stay():
    shown = as_built(slivers())
    assert shown["new_capacity"].to_numpy().tolist() == [12.0, 0.0, 0.0]
    assert shown["pipe_new_capacity_mw"].to_numpy().tolist() == [3.9, 0.0, 0.0, 0.0]
    assert shown["pipe_capacity_mw"].to_numpy().tolist() == [3.9, 0.0, 9.0, 0.0]
    dn = shown["pipe_dn_mm"].to_numpy()
    assert dn[0] == 200 and np.isnan(dn[1]) and dn[2] == 250 and np.isnan(dn[3])
    assert shown["pipe_heat_sent_mwh_per_year"].to_numpy().tolist() == [21_000.0, 0.0,
                                                                         5_000.0, 0.0]
    # Tiny: 5.2 homes on heat pumps and 1 home retrofitted are below 10 homes;
    # Cut off: 50 homes on the network, but no pipe to it is built
    assert shown["heat_pump_share"].to_numpy().tolist() == [0.2, 0.0, 0.0]
    assert shown["retrofit_share"].to_numpy().tolist() == [0.1, 0.0, 0.0]
    assert shown["heat_network_share"].to_numpy().tolist() == [0.3, 0.0, 0.0]
    np.testing.assert_allclose(shown["gas_boiler_share"], [0.5, 1.0, 1.0])
    assert shown["network_heat_delivered_mwh_per_year"].to_numpy().tolist() == [20_000.0,
                                                                                 0.0, 0.0]
    # whole households; none where nothing counts as built (Tiny, Cut off)
    assert shown["households_lifted"].to_numpy().tolist() == [30.0, 0.0, 0.0]
    assert shown.attrs["households_lifted_out_of_fuel_poverty"] == 30.0
    assert shown.attrs["fuel_poverty_rate_after"] == pytest.approx((750 - 30) / 3000)
    # capital of what is not built is not shown; the pipes that are built keep theirs
    assert shown["capital_gbp"].to_numpy().tolist() == [1.2e7, 0.0, 5e5, 2e6]
    assert float(shown["capital_by_payer_gbp"].sel(capital_item="geothermal").sum()) == 0.0
    # the thresholds are stated, and applying twice changes nothing
    assert "0.1 MW" in shown.attrs["build_thresholds"]
    again = as_built(shown)
    for name in shown.data_vars:
        assert again[name].equals(shown[name]), name


def test_tables_and_summary_show_no_sliver():
    ds = slivers()
    pipes = pipe_table(as_built(ds))
    assert pipes.set_index("pipe").loc["sliver", "new_capacity_mw"] == 0.0
    zones = zone_table(as_built(ds), yaml.safe_load(ds.attrs["scenario_yaml"]))
    assert zones["households_lifted"].tolist() == [30.0, 0.0, 0.0]
    assert all(float(v).is_integer() for v in zones["households_lifted"])


def test_thresholds_by_unit():
    assert built_value(0.09, "MW") == 0.0 and built_value(BUILT_MW, "MW") == BUILT_MW
    assert built_value(9, "homes") == 0.0 and built_value(BUILT_HOMES, "homes") == BUILT_HOMES
    assert built_value(9.9, "MWh/yr") == 0.0 and built_value(0.1, "MWh") == 0.1
    assert whole_households(2.9999999) == 3.0 and whole_households(2.99) == 2.0



def test_compare_shows_builds_only_and_says_what_coarse_steps_hide():
    from energy_model.analysis import compare

    coarse = slivers()
    coarse.attrs["step_hours"] = 24.0
    fine = slivers().drop_vars(["households_lifted"])
    fine.attrs.pop("households_lifted_out_of_fuel_poverty")
    fine.attrs["step_hours"] = 3.0
    table = compare({"coarse": coarse, "fine": fine})
    assert table.loc["capacity geothermal [MW]"].tolist() == [0.0, 0.0]
    assert table.loc["households lifted out of fuel poverty", "coarse"] == 30.0
    text = table.to_string(na_rep="-")
    assert "NaN" not in text and "nan" not in text
    notes = " ".join(table.attrs["notes"])
    assert "coarse ran at 24-hour steps" in notes and "understated" in notes
    assert "fine ran" not in notes
