"""The report's cost section: the system view, who pays, and the household view.

Tables in millions of GBP (or GBP a year for bills) with plain-word headers; the report
(:mod:`energy_model.report`) renders them. Nothing here mixes the views: the system
view is what the plan minimises, the household view is what a home pays.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from energy_model import report_charts as charts

# The objective's parts, in words
COMPONENT_LABELS = {
    "capital": "capital of city-scale plant (annualised)",
    "fixed_om": "fixed O&M of city-scale plant",
    "renewable_variable_om": "variable O&M of wind and PV",
    "efw_variable_om": "variable O&M of energy from waste",
    "grid_import": "grid electricity bought (energy value + distribution)",
    "grid_export": "grid electricity sold (energy value less spill margin)",
    "individual_heat_pump": "heat pumps in homes and buildings (annualised + O&M)",
    "individual_gas_boiler": "gas boilers in homes and buildings (replacement + O&M)",
    "heat_network": "heat-network connections (annualised + O&M)",
    "retrofit": "fabric retrofit (annualised)",
    "central_heat_variable_om": "variable O&M of network heat plant",
    "pipes": "heat-network pipes (annualised)",
    "gas": "gas at its system price",
    "carbon_value": "carbon emitted, at its appraisal value",
}
OPTION_LABELS = {
    "gas_boiler": "gas boiler", "gas_boiler_retrofit": "gas boiler + retrofit",
    "heat_pump": "heat pump", "heat_pump_retrofit": "heat pump + retrofit",
    "heat_network": "heat network", "heat_network_retrofit": "heat network + retrofit",
}


def _label(name: str) -> str:
    return COMPONENT_LABELS.get(name) or charts.label(name)


def annual_cost_table(ds: xr.Dataset) -> pd.DataFrame:
    """The objective by component [GBP m a year], largest first, with the total."""
    cost = ds["annual_cost_gbp_per_year"].to_series()
    cost = cost[cost.abs() >= 500.0]  # below 0.001 GBP m a year: nothing
    cost = cost.reindex(cost.abs().sort_values(ascending=False).index)
    table = pd.DataFrame({"part of the annual cost": [_label(k) for k in cost.index],
                          "GBP m a year": cost.to_numpy() / 1e6})
    total = pd.DataFrame({"part of the annual cost": ["total (the plan's objective)"],
                          "GBP m a year": [float(ds.attrs["total_cost_gbp_per_year"]) / 1e6]})
    return pd.concat([table, total], ignore_index=True)


def capital_table(ds: xr.Dataset) -> pd.DataFrame:
    """Overnight capital by technology and who pays it [GBP m]."""
    capital = ds["capital_gbp"].to_series()
    keep = capital.index[capital.abs() >= 500.0]
    paid = ds["capital_by_payer_gbp"].sel(capital_item=list(keep)).to_pandas()
    table = pd.DataFrame({"technology": [charts.label(k) for k in keep],
                          "capital GBP m": capital[keep].to_numpy() / 1e6,
                          "annualised GBP m a year":
                              ds["capital_annualised_gbp_per_year"].sel(
                                  capital_item=list(keep)).to_numpy() / 1e6})
    for payer in paid.columns:
        if payer == "unassigned" and not paid[payer].abs().sum():
            continue
        table[f"paid by {payer} GBP m"] = paid[payer].to_numpy() / 1e6
    table = table.sort_values("capital GBP m", ascending=False, ignore_index=True)
    total = {c: (table[c].sum() if c != "technology" else "total") for c in table.columns}
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def against_do_nothing_table(ds: xr.Dataset) -> pd.DataFrame | None:
    """The plan against today's system in the plan year, in words and units."""
    a = ds.attrs
    if "extra_cost_gbp_per_year" not in a:
        return None

    def m(key: str) -> float:
        return float(a[key]) / 1e6

    rows = [
        ("doing nothing: today's system in the plan year", m("do_nothing_cost_gbp_per_year"),
         "GBP m a year", "system view"),
        ("the plan", float(a["total_cost_gbp_per_year"]) / 1e6, "GBP m a year", "system view"),
        ("extra cost of the plan (negative: it saves)", m("extra_cost_gbp_per_year"),
         "GBP m a year", "system view, carbon valued"),
        ("extra cost without the value of carbon", m("extra_cost_excluding_carbon_gbp_per_year"),
         "GBP m a year", "system view, resource cost"),
        ("capital up front", float(a["capex_gbp"]) / 1e6, "GBP m", "system view"),
        ("CO2 saved, city footprint", float(a["co2_saved_t_per_year"]) / 1e3, "kt a year",
         "grid at its average factor"),
        ("CO2 saved, as valued", float(a["co2_valued_saved_t_per_year"]) / 1e3, "kt a year",
         "grid at its long-run marginal factor"),
        ("resource cost per tonne of CO2 saved", float(a["cost_per_t_co2_saved_gbp_per_t"]),
         "GBP/t", f"compare the carbon value, {float(a['co2_value_gbp_per_t']):,.0f} GBP/t; "
         "negative: the cut saves money"),
        ("extra local renewable generation counted",
         float(a["extra_renewable_generation_mwh_per_year"]) / 1e3, "GWh a year", ""),
        ("extra cost per extra MWh of local renewables",
         float(a["cost_per_extra_renewable_mwh_gbp_per_mwh"]), "GBP/MWh",
         "system view; negative: the plan saves money overall"),
    ]
    if "households_lifted_out_of_fuel_poverty" in a:
        rows += [("households lifted out of fuel poverty",
                  float(a["households_lifted_out_of_fuel_poverty"]), "households",
                  "household view decides who is lifted"),
                 ("the plan's extra cost per household lifted",
                  float(a["cost_per_household_lifted_gbp_per_year"]), "GBP a year",
                  "all the plan's extra cost (negative: it saves): an average, not the "
                  "marginal cost")]
    return pd.DataFrame(rows, columns=["figure", "value", "unit", "view"])


def household_bill_table(ds: xr.Dataset) -> pd.DataFrame | None:
    """A typical home's annual bill by heating option and zone [GBP a year]."""
    if "household_bill_gbp_per_year" not in ds:
        return None
    bills = ds["household_bill_gbp_per_year"].to_pandas()
    bills = bills.rename(columns=lambda c: OPTION_LABELS.get(str(c), str(c)))
    bills = bills.round(0)
    bills.insert(0, "zone", bills.index.astype(str))
    return bills.reset_index(drop=True)


def cost_tables(ds: xr.Dataset) -> dict[str, tuple[pd.DataFrame, str]]:
    """The section's tables: CSV name to (table, caption); empty for older results."""
    if "annual_cost_gbp_per_year" not in ds:
        return {}
    year = _price_year(ds)
    out = {"annual_cost": (annual_cost_table(ds),
                           f"System view: the plan's annual cost by part (GBP m of {year})"),
           "capital": (capital_table(ds), f"Capital of what the plan builds, and who pays it "
                                          f"(GBP m of {year}; heat-pump grants count as "
                                          "public money)")}
    against = against_do_nothing_table(ds)
    if against is not None:
        out["against_doing_nothing"] = (against, "The plan against doing nothing: today's "
                                                 "assets and heating mix in the plan year")
    bills = household_bill_table(ds)
    if bills is not None:
        out["household_bills"] = (bills, f"Household view: a typical home's energy bill by "
                                         f"heating option (GBP a year of {year}, retail "
                                         "tariffs with standing charges)")
    return out


def costs_intro(ds: xr.Dataset) -> str:
    """The section's opening sentences, with the prices the plan used."""
    a = ds.attrs
    year = _price_year(ds)
    text = (f"Two views of cost, never mixed, all in GBP of {year}. The system view is what "
            "the plan minimises: capital, O&M, gas and grid electricity at what they cost the "
            "energy system (not bills: no levy, VAT or standing charge), and carbon at "
            f"{float(a.get('co2_value_gbp_per_t', 0.0)):,.0f} GBP per tonne. ")
    if "import_price_gbp_per_mwh" in ds:
        imp = ds["import_price_gbp_per_mwh"]
        exp = ds["export_price_gbp_per_mwh"]
        w = charts.weight_h(ds)
        mean_imp = float(np.average(imp, weights=w))
        mean_exp = float(np.average(exp, weights=w))
        text += (f"Grid electricity cost {mean_imp:,.0f} GBP/MWh on average when bought "
                 f"({float(imp.min()):,.0f} to {float(imp.max()):,.0f}) and earned "
                 f"{mean_exp:,.0f} GBP/MWh when sold. ")
    text += ("The household view is what a home pays at retail tariffs; it decides which "
             "interventions lift a household out of fuel poverty, and it is shown below, "
             "not added to the system's cost. Grants move cost from households to the "
             "public purse and so appear only in who pays.")
    return text


def _price_year(ds: xr.Dataset) -> str:
    from energy_model.scenario import stored_scenario

    scenario = stored_scenario(ds)
    year = scenario.finance.price_year if scenario else None
    return str(year) if year else "the scenario's price year"
