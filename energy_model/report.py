"""One self-contained HTML report of a results folder, for officers and councillors.

:func:`write_report` reads ``results.nc`` (see :mod:`energy_model.results`) and writes
``report.html``: a headline block, warnings, capacities, the annual energy balance,
dispatch in a winter and a summer week, storage levels, the heat network, the
assumptions that matter most with their sources, and (given an actuals CSV) progress
towards the renewable target year by year. Plotly's JavaScript and the network map are
embedded, so the file opens offline by double-click and can be forwarded as it is. The
figures behind every chart and table are written as CSV into ``report_data/`` beside it.

Sections for results the model does not produce yet (fuel poverty, the server centre)
appear when the dataset carries their variables; until then the headline says plainly
that they are not modelled. :data:`OPTIONAL_SECTIONS` is where such sections are listed.
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
import yaml

from energy_model import report_charts as charts
from energy_model import report_costs
from energy_model import technologies as registry
from energy_model.built import as_built
from energy_model.errors import EnergyModelError
from energy_model.page_style import PAGE_CSS as _CSS
from energy_model.progress import (
    ProgressError,
    latest,
    planned_from_results,
    progress_chart,
    progress_sentence,
    progress_table,
    progress_verdict,
    read_actuals,
    readable_table,
)

SMALL_CITY_BASELINE_MWH = 1000.0
"""A baseline below this [MWh/yr] is smaller than a few dozen homes' rooftop PV."""

NOT_MODELLED = "not modelled in this scenario"


def load_results(results_dir: str | Path) -> xr.Dataset:
    """Read ``results.nc`` from a results folder into memory.

    Parameters
    ----------
    results_dir : str or Path
        A folder written by ``energy-model run``.

    Returns
    -------
    xarray.Dataset
    """
    path = Path(results_dir) / "results.nc"
    if not path.is_file():
        raise EnergyModelError(f"{results_dir}: no results.nc here; run `energy-model run "
                               "SCENARIO --out DIR` first and give that folder")
    try:
        with xr.open_dataset(path) as ds:
            ds = ds.load()
    except (OSError, ValueError, RuntimeError, KeyError, TypeError) as err:
        raise EnergyModelError(_damaged(results_dir, f"results.nc cannot be read: {err}")) \
            from err
    for key in ("step_hours", "year_weight"):
        value = ds.attrs.get(key)
        if key in ds.attrs or "period" not in ds.dims:
            if not isinstance(value, int | float | np.number) or not 0 < value < 1e6:
                raise EnergyModelError(_damaged(results_dir, f"its {key} is {value!r}"))
    try:
        scenario_of(ds)
    except (yaml.YAMLError, TypeError, ValueError) as err:
        raise EnergyModelError(_damaged(results_dir, f"its stored scenario is not a YAML "
                                                     f"mapping ({err})")) from err
    return ds


def _damaged(results_dir: str | Path, why: str) -> str:
    return (f"{results_dir} is damaged or was not written by this version of energy-model "
            f"({why}); run the scenario again to write it afresh")


def scenario_of(ds: xr.Dataset) -> dict:
    """The resolved scenario the results came from, as a dict (empty if not recorded);
    numbers given with a range are their value."""
    from energy_model.uncertainty.ranges import split_ranges

    data = yaml.safe_load(ds.attrs.get("scenario_yaml", "")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"a {type(data).__name__}, not a mapping")
    return split_ranges(data, "results")[0]


def target_baseline_mwh(scenario: dict) -> float | None:
    """The renewable target's baseline [MWh/yr], whichever unit the scenario gave it in."""
    target = (scenario.get("targets") or {}).get("renewable_generation")
    if not target:
        return None
    if target.get("baseline_mwh_per_year") is not None:
        return float(target["baseline_mwh_per_year"])
    return float(target["baseline_gwh_per_year"]) * 1000.0


def plan_year(ds: xr.Dataset) -> int:
    """The calendar year the results are laid on (the first time step's year; a
    pathway's target year)."""
    if "period" in ds.dims:
        return int(ds.attrs.get("target_year", ds["period"].to_numpy()[-1]))
    return int(pd.Timestamp(ds["time"].to_numpy()[0]).year)


# ---------------------------------------------------------------- headline


@dataclass(frozen=True)
class Headline:
    """One headline figure.

    Parameters
    ----------
    key : str
        The dataset attribute it comes from (also the element's id: ``headline-<key>``).
    label : str
        What it is, in words.
    value : float or None
        The exact figure, in ``unit``; None when not modelled.
    unit : str
        Unit of ``value`` (the dataset's).
    text : str
        How the figure reads on the page.
    note : str
        A line of context under it.
    """

    key: str
    label: str
    value: float | None
    unit: str
    text: str
    note: str = ""


def _gwh(mwh: float) -> str:
    return f"{mwh / 1e3:,.1f} GWh/yr"


def headline_figures(ds: xr.Dataset) -> list[Headline]:
    """The headline block: renewables against the target, share, CO2, cost, fuel poverty.

    Parameters
    ----------
    ds : xarray.Dataset
        A results dataset.

    Returns
    -------
    list of Headline
        Values are the dataset's attributes unchanged; only ``text`` is rounded.
    """
    a = ds.attrs
    counted = float(a["renewable_generation_counted_mwh_per_year"])
    target = a.get("renewable_target_mwh_per_year")
    existing = existing_assets_generation_mwh(ds, scenario_of(ds))
    fleet = ("" if existing is None or not target else
             f"; the existing fleet alone, about {_gwh(existing)}, "
             + ("would meet it" if existing >= target else "would not meet it"))
    out = [Headline("renewable_generation_counted_mwh_per_year",
                    "Local renewable generation counted towards the target", counted,
                    a["renewable_generation_counted_mwh_per_year__units"], _gwh(counted),
                    (f"{counted / target:.0%} of the target" + fleet) if target
                    else "no target set")]
    if target is not None:
        price = float(a.get("renewable_target_shadow_price_gbp_per_mwh", 0.0))
        out.append(Headline("renewable_target_mwh_per_year", "Renewable generation target",
                            float(target), a["renewable_target_mwh_per_year__units"],
                            _gwh(target), f"cost of the last MWh: £{price:,.2f}/MWh"))
    share = float(a["renewable_share_of_final_energy"])
    out.append(Headline("renewable_share_of_final_energy",
                        "Renewable share of all energy used", share,
                        a["renewable_share_of_final_energy__units"], f"{share:.1%}",
                        f"{float(a['renewable_share_of_electricity']):.1%} of electricity"))
    co2 = float(a["co2_t_per_year"])
    saved = a.get("co2_saved_t_per_year")
    out.append(Headline("co2_t_per_year", "CO2 emissions (the city's footprint)", co2,
                        a["co2_t_per_year__units"], f"{co2 / 1e3:,.1f} kt/yr",
                        "gas, and grid electricity at its average factor"
                        + (f"; {float(saved) / 1e3:,.1f} kt/yr less than doing nothing"
                           if saved is not None else "")))
    cost = float(a["total_cost_gbp_per_year"])
    capex = float(a["capex_gbp"])
    carbon = float(a.get("co2_value_gbp_per_t", 0.0))
    if "extra_cost_gbp_per_year" in a:
        extra = float(a["extra_cost_gbp_per_year"])
        words = "saves" if extra < 0 else "costs"
        out.append(Headline(
            "extra_cost_gbp_per_year", "Extra cost against doing nothing (system view)",
            extra, a["extra_cost_gbp_per_year__units"],
            (f"saves £{-extra / 1e6:,.1f}m a year" if extra < 0
             else f"£{extra / 1e6:,.1f}m a year"),
            f"the plan {words} £{abs(extra) / 1e6:,.1f}m a year against today's system in "
            f"the plan year, carbon valued at £{carbon:,.0f}/t; £{capex / 1e6:,.1f}m up front"))
    out.append(Headline("total_cost_gbp_per_year",
                        "Annual cost of the energy system (system view)", cost,
                        a["total_cost_gbp_per_year__units"], f"£{cost / 1e6:,.1f}m a year",
                        "what the plan minimises: capital, O&M, gas and grid at system "
                        f"prices, carbon at £{carbon:,.0f}/t; not bills"))
    out += _measure_headlines(ds)
    for section in OPTIONAL_SECTIONS:
        out.append(section.headline(ds) if section.present(ds) else Headline(
            section.key, section.label, None, "", NOT_MODELLED, ""))
    return out


def _measure_headlines(ds: xr.Dataset) -> list[Headline]:
    """Renewable electricity and renewable heat, each against its own target if set."""
    a = ds.attrs
    out = []
    for key, label, counts_key in (
            ("renewable_electricity_mwh_per_year", "Renewable electricity generated in the city "
             "(as DESNZ counts it)", "renewable_target_counts"),
            ("renewable_heat_mwh_per_year", "Renewable heat (geothermal, heat pumps' ambient "
             "heat, biogenic waste heat)", "renewable_heat_target_counts")):
        if key not in a:
            continue
        value = float(a[key])
        counts = a.get(counts_key)
        note = ("net of storage losses; " + (f"its target counts {counts}" if counts
                                             else "no target on this measure"))
        out.append(Headline(key, label, value, a.get(f"{key}__units", "MWh/yr"), _gwh(value),
                            note))
    return out


def limits_frame(ds: xr.Dataset) -> pd.DataFrame:
    """The binding limits recorded in the results, in rank order (empty if none)."""
    columns = ["kind", "scenario_key", "level", "unit", "shadow_price", "shadow_price_unit",
               "saving_if_relaxed_1pct_gbp_per_year"]
    if "limit" not in ds.dims:
        return pd.DataFrame(columns=["limit", *columns])
    table = pd.DataFrame({"limit": ds["limit"].to_numpy().astype(str)})
    for c in columns:
        values = ds[f"limit_{c}"].to_numpy()
        table[c] = values.astype(str) if values.dtype.kind in "OUS" else values
    return table


LIMITS_SHOWN = 10
"""Binding limits shown open in the report; the rest are folded."""


def _limits_html(ds: xr.Dataset, table: pd.DataFrame) -> str:
    sentence = str(ds.attrs.get("limits_sentence", ""))
    target = ds.attrs.get("renewable_target_mwh_per_year")
    price = float(ds.attrs.get("renewable_target_shadow_price_gbp_per_mwh", 0.0))
    parts = [f"<p>{_prose(charts.label_limits(sentence))}</p>"] if sentence else []
    binds = not table.empty and (table["scenario_key"] == "targets.renewable_generation").any()
    if target is not None and "renewable_generation_counted_mwh_per_year" in ds.attrs:
        if binds:
            parts.append(f"<p>The renewable target binds: its last MWh costs "
                         f"£{price:,.2f}/MWh a year.</p>")
        else:
            parts.append(f"<p>{_prose(charts.label_limits(zero_target_reason(ds, table)))}</p>")
    if table.empty:
        return "".join(parts) + "<p>No limit binds.</p>"
    caption = ("Limits that bind, most valuable first: the shadow price is what one unit "
               "more of the limit saves a year; the last column ranks them in one currency")
    shown = table.drop(columns=["kind"], errors="ignore").assign(
        limit=[charts.label_limits(t) for t in table["limit"]])
    parts.append(_table_html(shown.head(LIMITS_SHOWN), caption))
    if len(shown) > LIMITS_SHOWN:
        parts.append(f"<details><summary>The other {len(shown) - LIMITS_SHOWN} limits that "
                     "bind</summary>" + _table_html(shown.iloc[LIMITS_SHOWN:], "")
                     + "</details>")
    return "".join(parts)


def zero_target_reason(ds: xr.Dataset, limits: pd.DataFrame) -> str:
    """Why the renewable target's shadow price is zero, precisely."""
    counted = float(ds.attrs["renewable_generation_counted_mwh_per_year"])
    target = float(ds.attrs["renewable_target_mwh_per_year"])
    counts = [c.strip() for c in str(ds.attrs.get("renewable_target_counts", "")).split(",")
              if c.strip()]
    names = [str(n) for n in limits["limit"]] if not limits.empty else []
    # "potential of wind (= its build rate x years)" is wind's potential too
    capped = [c for c in counts if any(n == f"build rate of {c}" or n == f"potential of {c}"
                                       or n.startswith(f"potential of {c} (") for n in names)]
    text = (f"The renewable target's shadow price is zero: the cheapest plan counts "
            f"{_gwh(counted)} against a target of {_gwh(target)}, so one MWh more of target "
            "costs nothing.")
    if capped and len(capped) == len(counts):
        text += (f" Every counted technology ({', '.join(capped)}) is built to its build rate "
                 "or potential because it pays for itself at the scenario's prices: those "
                 "limits, not the target, set the renewables built.")
    elif capped:
        why = ("is built to its limit because it pays for itself" if len(capped) == 1 else
               "are built to their limits because they pay for themselves")
        text += f" {', '.join(capped)} {why}; the rest is set by cost."
    else:
        text += " Renewables are built for their savings alone, past the target."
    return text


def _progress_headline(table: pd.DataFrame) -> Headline:
    """The card "Are we on track?" from a progress table."""
    word, detail = progress_verdict(table)
    row = latest(table)
    return Headline("progress", "Are we on track? (actuals against the plan and the target)",
                    None if row is None else float(row["actual_mwh"]), "MWh/yr", word, detail)


def _headline_html(items: Iterable[Headline]) -> str:
    cards = []
    for h in items:
        value = "" if h.value is None else repr(float(h.value))
        status = "not-modelled" if h.value is None else "modelled"
        cards.append(
            f'<div class="card {status}"><div class="label">{html.escape(h.label)}</div>'
            f'<div class="value" id="headline-{h.key}" data-key="{h.key}" '
            f'data-value="{value}" data-unit="{html.escape(h.unit)}" '
            f'data-status="{status}">{html.escape(h.text)}</div>'
            f'<div class="note">{_prose(charts.label_limits(h.note))}</div></div>')
    return '<div class="headline">' + "".join(cards) + "</div>"


# ---------------------------------------------------------------- optional sections


@dataclass(frozen=True)
class OptionalSection:
    """A section shown only when the results carry its data.

    Parameters
    ----------
    key : str
        Headline key (the element's id is ``headline-<key>``).
    anchor : str
        The section's id in the page.
    title : str
        The section's heading.
    label : str
        The headline's label, also shown when the data is absent.
    present : callable
        ``present(ds) -> bool``.
    headline : callable
        ``headline(ds) -> Headline``.
    body : callable
        ``body(ds) -> (html, charts, tables)``, tables a dict of CSV name to DataFrame.
    """

    key: str
    anchor: str
    title: str
    label: str
    present: Callable[[xr.Dataset], bool]
    headline: Callable[[xr.Dataset], Headline]
    body: Callable[[xr.Dataset], tuple[str, list[charts.Chart], dict[str, pd.DataFrame]]]


FUEL_POVERTY_ZONE_VARIABLES = (
    "fuel_poor_households", *charts.LIFTED_VARIABLES, "fuel_poverty_rate_before",
    "fuel_poverty_rate_after", "fuel_poor_bill_saving_gbp_per_year")


def _fuel_poverty_headline(ds: xr.Dataset) -> Headline:
    a = ds.attrs
    key = "households_lifted_out_of_fuel_poverty"
    lifted = float(a[key]) if key in a else float(ds[charts.lifted_variable(ds)].sum())
    if "fuel_poverty_rate_before" in a and "fuel_poverty_rate_after" in a:
        note = (f"fuel poverty {float(a['fuel_poverty_rate_before']):.1%} -> "
                f"{float(a['fuel_poverty_rate_after']):.1%} of households")
    elif "fuel_poor_households" in ds:
        note = f"of {float(ds['fuel_poor_households'].sum()):,.0f} fuel-poor households"
    else:
        note = ""
    return Headline(key, "Households lifted out of fuel poverty", lifted,
                    str(a.get(f"{key}__units", "households")), f"{lifted:,.0f}", note)


MARGIN_WORDS = {
    "fuel_poverty_target_shadow_price_gbp_per_household":
        "cost a year of the last household the lifting target requires",
    "fuel_poverty_rate_shadow_price_gbp_per_household":
        "cost a year of the last household the fuel-poverty rate cap requires",
    "private_homes_shadow_price_gbp_per_home":
        "cost a year of the last private home the improvement target requires",
}


def _fuel_poverty_body(ds: xr.Dataset):
    name = charts.lifted_variable(ds)
    if name is None or "zone" not in ds[name].dims:
        return ("<p>The results give the city total only, not a figure for each zone.</p>",
                [], {})
    chart = charts.fuel_poverty_chart(ds)
    table = pd.DataFrame({"zone": ds["zone"].to_numpy().astype(str)})
    for v in FUEL_POVERTY_ZONE_VARIABLES:
        if v in ds and ds[v].dims == ("zone",):
            table[v] = ds[v].to_numpy()
    tables = {"fuel_poverty_by_zone": table}
    content = _table_html(table, "Fuel poverty by zone (households; rates as shares of all "
                                 "households; bill saving per fuel-poor household reached)")
    # the household bills by heating option are in the section on costs
    prices = [(k, ds.attrs[k], ds.attrs.get(f"{k}__units", "")) for k in ds.attrs
              if k.startswith(("fuel_poverty_", "private_homes_")) and "shadow_price" in k
              and not k.endswith("__units")]
    if prices:
        prices = [(MARGIN_WORDS.get(k, charts.label(k)), v, u) for k, v, u in prices]
        content += _table_html(pd.DataFrame(prices, columns=["figure", "value", "unit"]),
                               "What the fuel-poverty targets cost at the margin")
    return content, [chart], tables


SERVER_CENTRE_PREFIXES = ("data_centre_", "waste_heat_", "renewable_share_of_electricity_excluding",
                          "gas_boiler_heat_cost")


def _server_centre_names(ds: xr.Dataset) -> tuple[list[str], list[str]]:
    variables = [str(v) for v in ds.data_vars if str(v).startswith(SERVER_CENTRE_PREFIXES)]
    attrs = [k for k in ds.attrs if k.startswith(SERVER_CENTRE_PREFIXES)
             and not k.endswith("__units")]
    return variables, attrs


def _server_centre_table(ds: xr.Dataset) -> pd.DataFrame:
    variables, attrs = _server_centre_names(ds)
    rows = [(k, ds.attrs[k], ds.attrs.get(f"{k}__units", "")) for k in attrs]
    for v in variables:
        da = ds[v]
        unit = str(da.attrs.get("units", ""))
        if "time" in da.dims and unit == "MW":
            rows.append((v.removesuffix("_mw") + "_mwh_per_year", charts.annual_mwh(ds, da),
                         "MWh/yr"))
            rows.append((v.removesuffix("_mw") + "_peak_mw", float(da.max()), "MW"))
        elif da.size == 1:
            rows.append((v, float(da), unit))
    return pd.DataFrame(rows, columns=["figure", "value", "unit"])


def _server_centre_headline(ds: xr.Dataset) -> Headline:
    gwh = ds.attrs.get("data_centre_electricity_mwh_per_year", 0.0) / 1000
    heat = ds.attrs.get("waste_heat_recovered_mwh_per_year", 0.0) / 1000
    return Headline("server_centre", "Server centre", gwh, "GWh/yr", "included",
                    f"electricity used; {heat:,.1f} GWh/yr of its waste heat recovered")


def _server_centre_body(ds: xr.Dataset):
    table = _server_centre_table(ds)
    return _table_html(table, "Server centre figures"), [], {"server_centre": table}


OPTIONAL_SECTIONS: list[OptionalSection] = [
    OptionalSection("households_lifted_out_of_fuel_poverty", "fuel-poverty",
                    "Fuel poverty by zone", "Households lifted out of fuel poverty",
                    lambda ds: charts.lifted_variable(ds) is not None
                    or "households_lifted_out_of_fuel_poverty" in ds.attrs,
                    _fuel_poverty_headline, _fuel_poverty_body),
    OptionalSection("server_centre", "server-centre", "Server centre", "Server centre",
                    lambda ds: any(_server_centre_names(ds)),
                    _server_centre_headline, _server_centre_body),
]
"""Sections that appear once the model produces their data; add new ones here."""


# ---------------------------------------------------------------- warnings


def existing_assets_generation_mwh(ds: xr.Dataset, scenario: dict) -> float | None:
    """Estimate what the counted technologies' existing capacity alone generates [MWh/yr].

    PV and wind: existing capacity x the weather's capacity factor, before any
    curtailment. Geothermal: existing capacity at the load factor the plan achieved.
    Energy from waste (which is all existing): its biogenic output as dispatched.

    Returns
    -------
    float or None
        None when the scenario sets no renewable target.
    """
    target = (scenario.get("targets") or {}).get("renewable_generation")
    if not target:
        return None
    counts = target.get("counts", [])
    existing = ds["existing_capacity"]
    capacity = ds["capacity"]
    total = 0.0
    for k in counts:
        if k == "energy_from_waste" and k in ds["generator"]:
            efw = (scenario.get("technologies") or {}).get("energy_from_waste") or {}
            total += float(efw.get("biogenic_fraction", 0.0)) * charts.annual_mwh(
                ds, ds["generation_mw"].sel(generator=k))
            continue
        if k not in ds["technology"]:
            continue
        cap = float(capacity.sel(technology=k))
        ex = float(existing.sel(technology=k))
        if cap <= 0 or ex <= 0:
            continue
        if k in ds["generator"]:
            output = ds["available_generation_mw"].sel(generator=k)
        elif k in ds["heat_source"]:
            output = ds["network_heat_supply_mw"].sel(heat_source=k)
        else:
            continue
        total += ex / cap * charts.annual_mwh(ds, output)
    return total


def run_warnings(ds: xr.Dataset) -> list[str]:
    """What the run itself recorded: a plan not proven optimal, targets given up, checks.

    Returns
    -------
    list of str
        From the attributes ``proven_optimal``, ``screening_note`` (a plan designed on
        typical days), ``elastic_shortfalls`` and ``warnings`` (the checks before the solve),
        where the results carry them.
    """
    a = ds.attrs
    out: list[str] = []
    if not int(a.get("proven_optimal", 1)):
        out.append("The solver stopped at its time limit: this plan works but is not proven "
                   "the cheapest.")
    note = a.get("screening_note")
    if note:
        out.append(note)
    shortfalls = [line for line in str(a.get("elastic_shortfalls", "")).splitlines() if line]
    if shortfalls:
        out.append(("Run through the year, the typical days' design misses what was asked: "
                    if note else "This plan was solved elastically and misses what was asked: ")
                   + "; ".join(shortfalls) + ".")
    out += [line for line in str(a.get("warnings", "")).splitlines() if line.strip()]
    return out


def report_warnings(ds: xr.Dataset, scenario: dict) -> list[str]:
    """What a reader should check before trusting the headline.

    Parameters
    ----------
    ds : xarray.Dataset
    scenario : dict
        From :func:`scenario_of`.

    Returns
    -------
    list of str
        One sentence or two per warning.
    """
    a = ds.attrs
    out: list[str] = []
    target_spec = (scenario.get("targets") or {}).get("renewable_generation")
    target = a.get("renewable_target_mwh_per_year")
    if not target_spec or target is None:
        out.append("The scenario sets no renewable-generation target, so the plan is "
                   "shaped by cost alone.")
    else:
        baseline = target_baseline_mwh(scenario)
        existing = existing_assets_generation_mwh(ds, scenario)
        if existing is not None and existing >= target:
            out.append(f"The target ({_gwh(target)}) is already met by existing assets "
                       f"(about {_gwh(existing)}): as defined, it asks for nothing new. "
                       "Check the baseline, the multiplier and what counts.")
        if (target_spec.get("baseline_mwh_per_year") is not None
                and baseline < SMALL_CITY_BASELINE_MWH):
            out.append(f"The target's baseline is {baseline:,.0f} MWh/yr, what a few dozen "
                       "homes' rooftop PV makes, not a city. The prospectus's '28 MWh' is "
                       "almost certainly 28 GWh a year: check the unit "
                       "(baseline_gwh_per_year).")
        price = float(a.get("renewable_target_shadow_price_gbp_per_mwh", 0.0))
        counted = float(a["renewable_generation_counted_mwh_per_year"])
        if price <= 1e-6:
            out.append(f"The renewable target is not binding (shadow price £0/MWh): the "
                       f"cheapest plan already generates {_gwh(counted)} against a target of "
                       f"{_gwh(target)}, so the target does not change what is built.")
        counts = target_spec.get("counts", [])
        if target_spec.get("measure") == "electricity_and_heat":
            out.append("This target adds heat to electricity on purpose (measure: "
                       f"electricity_and_heat; counts {', '.join(counts)}): DESNZ's local-"
                       "authority statistics count renewable electricity only, so the figure "
                       "is not comparable with them.")
        if "energy_from_waste" not in counts and "energy_from_waste" in ds["generator"]:
            efw = (scenario.get("technologies") or {}).get("energy_from_waste") or {}
            biogenic = float(efw.get("biogenic_fraction", 0.0)) * charts.annual_mwh(
                ds, ds["generation_mw"].sel(generator="energy_from_waste"))
            if baseline is not None and biogenic > baseline:
                out.append(f"Energy from waste's biogenic output ({_gwh(biogenic)}) is larger "
                           f"than the whole baseline ({_gwh(baseline)}), so the baseline "
                           "cannot include it; it is not counted towards the target here. "
                           "If the city does count it, the target is already met.")
    grid = scenario.get("grid") or {}
    storage = [k for k in registry.technologies(level="city", storage=True, unit="MWh")
               if k in ds["technology"]
               and float(ds["new_capacity"].sel(technology=k)) > 0]
    if grid.get("energy_value_shape") == "residual_load" and storage:
        out.append("Storage (" + ", ".join(
            f"{charts.label(k)} {float(ds['new_capacity'].sel(technology=k)):,.0f} MWh"
            for k in storage) + ") earns from the hourly shape of the grid's energy value, "
            "which is built from assumed national wind and solar shares and a price floor "
            "(grid.residual_load, assumptions). Check it against a flat energy value "
            "(energy_value_shape: flat; the built-in stoke-2030-flat-energy-value) before "
            "quoting storage sizes.")
    step_h = float(a.get("step_hours", 1.0))
    if step_h > 3:
        out.append(f"The model ran at {step_h:g}-hour steps: daily swings of solar and demand "
                   "are averaged out, so batteries and peak import are understated. Rerun "
                   "with --resolution 1h or 3h for figures to quote.")
    if not math.isclose(float(a.get("year_weight", 1.0)), 1.0):
        out.append(f"The model covered part of a year, scaled up by "
                   f"{float(a['year_weight']):.2f} to annual figures.")
    if float(a.get("mip_gap", 0.0)) > 1e-3:
        out.append(f"The heat-network decisions were solved to within {a['mip_gap']:.1%} of "
                   "the best possible cost, not exactly.")
    return out


# ---------------------------------------------------------------- tables


# Fields whose figure a section's ``source`` states: costs and performance of a
# technology or price. Other fields (a city's existing plant, potentials, build rates,
# dates) are the city's own and carry their own source, or are said to have none.
_SECTION_SOURCED = ("gbp", "capex", "lifetime", "efficiency", "om_", "_om", "cop",
                    "performance",
                    "price", "tariff", "standing", "co2", "value", "spill", "distribution",
                    "discount", "deflator", "loss", "saving", "temp", "availability",
                    "biogenic", "power_loss")
NO_SOURCE = "no source given in the scenario: an assumption (see the scenario file's comment)"


def assumptions_table(scenario: dict, raw: dict | None = None) -> pd.DataFrame:
    """Every assumption of the scenario with its own source.

    Parameters
    ----------
    scenario : dict
        From :func:`scenario_of` (numbers given with a range are their value).
    raw : dict, optional
        The same scenario with its ranges, whose ``source`` is the field's own.

    Returns
    -------
    pandas.DataFrame
        Columns ``topic``, ``assumption`` (in words), ``value``, ``source`` and ``key``
        (the dotted key in the scenario). A field's source is its own (a range's
        ``source``, a build rate's ``build_rate_source``); else the section's ``source``
        where that states the figure (costs, performance, prices); else
        :data:`NO_SOURCE`. Never a file outside the package.
    """
    raw = raw if raw is not None else scenario
    rows: list[tuple[str, str, object, str, str]] = []
    target = (scenario.get("targets") or {}).get("renewable_generation")
    if target:
        note = target.get("source") or target.get("note") or "growth prospectus, Mission 2"
        for key in ("baseline_mwh_per_year", "baseline_gwh_per_year", "multiplier"):
            if target.get(key) is not None:
                rows.append(("renewable target", key, target[key], note,
                             f"targets.renewable_generation.{key}"))
        baseline = target_baseline_mwh(scenario)
        rows.append(("renewable target", "target_mwh_per_year",
                     baseline * float(target.get("multiplier", 1.0)), "baseline x multiplier",
                     "targets.renewable_generation"))
        rows.append(("renewable target", "counts", ", ".join(
            charts.label(c) for c in target.get("counts", [])),
            "what counts as local renewable generation", "targets.renewable_generation.counts"))
    for key, value in (scenario.get("plan_years") or {}).items():
        rows.append(("plan years", key, value, "build rates allow rate x (plan - base) years",
                     f"plan_years.{key}"))
    targets = scenario.get("targets") or {}
    for key in ("co2_cap_t_per_year", "capex_budget_gbp"):
        if targets.get(key):
            rows.append(("targets", key, targets[key], "the scenario's target",
                         f"targets.{key}"))
    for key, value in ((targets.get("fuel_poverty") or {}).items()):
        if isinstance(value, int | float) and not isinstance(value, bool):
            rows.append(("targets", key, value, "the scenario's target",
                         f"targets.fuel_poverty.{key}"))
    views = {"finance": "finance", "grid": "system price: grid", "gas": "system price: gas",
             "carbon": "system price: carbon"}
    for topic, label in views.items():
        rows += _block_rows(label, scenario.get(topic) or {}, raw.get(topic) or {}, topic)
    rows += _block_rows("household price: tariffs",
                        (scenario.get("fuel_poverty") or {}).get("tariffs") or {},
                        (raw.get("fuel_poverty") or {}).get("tariffs") or {},
                        "fuel_poverty.tariffs")
    zones = scenario.get("zones") or {}
    for key in ("households", "domestic_electricity_mwh_per_year",
                "non_domestic_electricity_mwh_per_year", "domestic_heat_mwh_per_year",
                "non_domestic_heat_mwh_per_year"):
        if zones:
            total = sum(float(z.get(key) or 0.0) for z in zones.values())
            rows.append(("demand (all zones)", key, total,
                         "the scenario's zones (each zone's source in the scenario file)",
                         f"zones.*.{key}"))
    for tech, spec in (scenario.get("technologies") or {}).items():
        if not isinstance(spec, dict) or not spec:
            continue
        raw_spec = (raw.get("technologies") or {}).get(tech) or {}
        for key, value in spec.items():
            if value is None or key in ("source", "build_rate_source", "note") \
                    or isinstance(value, dict | list):
                continue
            path = f"technologies.{tech}.{key}"
            if key.startswith(("build_rate_", "earliest_build_year")):
                source = spec.get("build_rate_source") or NO_SOURCE
            else:
                source = _technology_source(tech, key, raw_spec.get(key),
                                            str(spec.get("source", "")))
            rows.append((charts.label(tech), key, value, source, path))
    weather = scenario.get("weather") or {}
    if weather:
        rows.append(("weather", "source", weather.get("source"), "the built-in typical year "
                     "(Met Office 1991-2020 normals)" if str(weather.get("source", ""))
                     .startswith("builtin:") else "the weather file named", "weather.source"))
    return pd.DataFrame(rows, columns=["topic", "assumption", "value", "source", "key"])


def _catalogue_technologies() -> dict:
    """The technologies of the built-in catalogue (``technologies-2030.yaml``), whose
    ``source`` states the fields the catalogue gives and no others."""
    from importlib.resources import files

    try:
        text = files("scenarios").joinpath("technologies-2030.yaml").read_text("utf-8")
        return (yaml.safe_load(text) or {}).get("technologies") or {}
    except (OSError, ModuleNotFoundError, yaml.YAMLError):
        return {}


def _technology_source(tech: str, key: str, raw_value: object, section_source: str) -> str:
    """A technology field's source: its own; else the section's, where the section's
    source is the catalogue's only for the fields the catalogue gives (a city's existing
    plant is not "sourced" to a cost catalogue)."""
    if isinstance(raw_value, dict) and raw_value.get("source"):
        return str(raw_value["source"])
    if not section_source:
        return NO_SOURCE
    catalogue = _catalogue_technologies().get(tech) or {}
    stem = section_source.split(" [converted")[0].strip()
    if stem and stem == str(catalogue.get("source", "")).split(" [converted")[0].strip():
        return section_source if key in catalogue else NO_SOURCE
    return section_source


def _field_source(key: str, raw_value: object, section_source: str) -> str:
    """A field's own source, else its section's where that states such a figure."""
    if isinstance(raw_value, dict) and raw_value.get("source"):
        return str(raw_value["source"])
    if section_source and any(word in key for word in _SECTION_SOURCED):
        return section_source
    return NO_SOURCE


def _block_rows(topic: str, block: dict, raw: dict, path: str, source: str = "",
                prefix: str = "") -> list[tuple[str, str, object, str, str]]:
    """A scenario section's figures as assumption rows, nested sections by dotted key;
    each row carries its own source, or the section's where that states such a figure."""
    own = block.get("source")
    source = own or source
    rows = []
    for key, value in block.items():
        if key in ("source", "note") or value is None:
            continue
        if isinstance(value, dict):
            rows += _block_rows(topic, value, raw.get(key) or {}, f"{path}.{key}", source,
                                f"{prefix}{key} ")
        elif key in ("timezone", "weekdays_only") or isinstance(value, list):
            continue  # how a tariff is laid out, not a figure that moves the plan
        else:
            # a nested block's own source covers all its fields (a tariff's, a shape's)
            field_source = (_field_source("price", raw.get(key), own) if own and prefix
                            else _field_source(prefix + key, raw.get(key), source))
            rows.append((topic, prefix + key, value, field_source, f"{path}.{key}"))
    return rows


def assumption_impacts(ds: xr.Dataset) -> pd.Series:
    """How much each assumption moves the plan's annual cost, to first order [GBP/yr for
    a 1 % change], by scenario key.

    The rule, stated: a binding limit moves it by its shadow price x 1 % of the limit (the
    binding-limits table); a price by 1 % of what the plan spends at it (gas, grid
    electricity net of sales, carbon at its value); a technology's capital cost by 1 % of
    the annualised capital it sets. Demands and rates not listed have no figure here.
    """
    out: dict[str, float] = {}
    if "limit" in ds.dims:
        for key, saving in zip(ds["limit_scenario_key"].to_numpy().astype(str),
                               ds["limit_saving_if_relaxed_1pct_gbp_per_year"].to_numpy(),
                               strict=True):
            out[key] = out.get(key, 0.0) + abs(float(saving))
    if "annual_cost_gbp_per_year" in ds:
        cost = ds["annual_cost_gbp_per_year"].to_series()
        for key, parts in (("gas.price_gbp_per_mwh", ["gas"]),
                           ("grid.energy_value_gbp_per_mwh", ["grid_import", "grid_export"]),
                           ("carbon.co2_value_gbp_per_t", ["carbon_value"])):
            out[key] = abs(float(cost.reindex(parts).fillna(0.0).sum())) * 0.01
    if "capital_annualised_gbp_per_year" in ds:
        for item, value in ds["capital_annualised_gbp_per_year"].to_series().items():
            out[f"technologies.{item}.capex"] = abs(float(value)) * 0.01
    return pd.Series(out, dtype=float).sort_values(ascending=False)


def ranked_assumptions(ds: xr.Dataset, scenario: dict, raw: dict,
                       uncertainty: xr.Dataset | None = None, top: int = 10
                       ) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The assumptions that move the plan most first, the rest after, and the rule used.

    With an uncertainty run, its ranking (every result's swing, see
    :func:`energy_model.uncertainty.summary.moves_most`); else
    :func:`assumption_impacts`.
    """
    table = assumptions_table(scenario, raw)
    score = pd.Series(0.0, index=table.index)
    if uncertainty is not None:
        from energy_model.uncertainty.summary import moves_most

        ranked = [p for p, _ in moves_most(uncertainty, n=top)]
        for rank, path in enumerate(ranked):
            score[table["key"] == path] = len(ranked) - rank
        rule = ("Ranked by the uncertainty run: how far each assumption, over its range, "
                "moves the cost, the CO2 and every build.")
        column = None
    else:
        impacts = assumption_impacts(ds)
        column = []
        for i, key in table["key"].items():
            value = impacts.get(key)
            if value is None and key.startswith("technologies.") and ".capex" in key:
                value = impacts.get(key[:key.index(".capex") + len(".capex")])
            score[i] = 0.0 if value is None else float(value)
            column.append(np.nan if value is None else float(value))
        rule = ("Ranked by how much a 1 % change in each moves the plan's annual cost, to "
                "first order: a binding limit by its shadow price (see What limits this "
                "plan), a price by 1 % of what the plan spends at it, a capital cost by 1 % "
                "of the annualised capital it sets.")
    if column is not None:
        table["cost_moved_by_1pct_gbp_per_year"] = column
    order = score.sort_values(ascending=False, kind="stable").index
    first = [i for i in order if score[i] > 0][:top]
    rest = [i for i in table.index if i not in first]
    return table.loc[first].reset_index(drop=True), table.loc[rest].reset_index(drop=True), rule


def _assumptions_section(page: _Page, ds: xr.Dataset, scenario: dict,
                         uncertainty: xr.Dataset | None) -> pd.DataFrame:
    """Add "Assumptions that matter most": the ten first, the rest folded; return all."""
    raw = yaml.safe_load(ds.attrs.get("scenario_yaml", "")) or {}
    top, rest, rule = ranked_assumptions(ds, scenario, raw, uncertainty)
    shown = [c for c in ("topic", "assumption", "value", "cost_moved_by_1pct_gbp_per_year",
                         "source", "key") if c in top.columns]
    words = {"assumption": "assumption", "key": "key in the scenario"}

    def readable(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        out = table[columns].copy()
        out["assumption"] = [plain_header(a.replace(" ", "_")).replace("deflators ",
                                                                        "deflator from GBP of ")
                             for a in out["assumption"]]
        out["value"] = [_value_text(k, v) for k, v in zip(table["assumption"], table["value"],
                                                          strict=True)]
        return out.rename(columns=words)

    body = (f"<p>The assumptions that move this plan most, first. {html.escape(rule)} Each "
            "figure's source is its own (a range's source, a build rate's source), or its "
            "section's where that states such a figure; figures without one are assumptions "
            "of the scenario and say so.</p>"
            + _table_html(readable(top, shown), f"The {len(top)} assumptions that move the "
                                                 "plan most"))
    if len(rest):
        body += ("<details><summary>The other " + str(len(rest)) + " assumptions</summary>"
                 + _table_html(readable(rest, [c for c in shown if c in rest.columns]), "")
                 + "</details>")
    page.add("assumptions", "Assumptions that matter most", body)
    return pd.concat([top, rest], ignore_index=True)


def _value_text(name: str, value: object) -> object:
    """A year as a year, a share as a share; the rest as it is."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return charts.label(value)
    if isinstance(value, int | float) and plain_header(name).endswith("[%]"):
        return f"{value:.1%}"
    if isinstance(value, int | float) and (name.endswith("_year") and "per_year" not in name
                                           or name in ("base_year", "plan_year")):
        return str(int(value))
    return value


def zone_table(ds: xr.Dataset, scenario: dict) -> pd.DataFrame:
    """Per zone: households, demands, heating mix and network heat delivered."""
    zones = [str(z) for z in ds["zone"].to_numpy()]
    spec = scenario.get("zones") or {}
    w = charts.weight_h(ds)
    table = pd.DataFrame({
        "zone": zones,
        "households": [spec.get(z, {}).get("households", np.nan) for z in zones],
        "electricity_demand_mwh_per_year": (ds["electricity_demand_mw"] * w).sum("time").to_numpy(),
        "heat_demand_mwh_per_year": (ds["heat_demand_mw"] * w).sum("time").to_numpy(),
        "gas_boiler_share": ds["gas_boiler_share"].to_numpy(),
        "heat_pump_share": ds["heat_pump_share"].to_numpy(),
        "heat_network_share": ds["heat_network_share"].to_numpy(),
        "network_heat_delivered_mwh_per_year":
            ds["network_heat_delivered_mwh_per_year"].to_numpy(),
    })
    for name in ("fuel_poor_households", *charts.LIFTED_VARIABLES):
        if name in ds and "zone" in ds[name].dims:
            table[name] = charts.per_zone(ds[name])
    return table


def pipe_table(ds: xr.Dataset) -> pd.DataFrame | None:
    """Per pipe: length, capacity, size, heat carried and losses (None without a network)."""
    if "pipe" not in ds.dims:
        return None
    cols = ["pipe_length_km", "pipe_existing_capacity_mw", "pipe_new_capacity_mw",
            "pipe_capacity_mw", "pipe_dn_mm", "pipe_heat_sent_mwh_per_year",
            "pipe_losses_mwh_per_year", "pipe_utilisation"]
    table = pd.DataFrame({"pipe": ds["pipe"].to_numpy().astype(str)})
    existing = ds["pipe_existing_capacity_mw"].to_numpy()
    new = ds["pipe_new_capacity_mw"].to_numpy()
    table["status"] = np.where(new > 0, np.where(existing > 0, "enlarged by the plan",
                                                 "built by the plan"),
                               np.where(existing > 0, "existing", "not built"))
    for c in cols:
        if c in ds:
            table[c.removeprefix("pipe_")] = ds[c].to_numpy()
    return table


def _cell(column: str, value: object) -> tuple[str, bool]:
    """A table cell as text, and whether it is a number (right-aligned)."""
    if column in ("year", "period") or _is_year_column(column):
        return ("–" if value != value else str(int(value))), True
    if isinstance(value, bool | np.bool_):
        return str(value), False
    if isinstance(value, float | np.floating):
        if value != value:
            return "–", True
        if abs(value) < 5e-4 and not column.endswith(("share", "fraction_per_year")):
            return "0", True  # round-off, never "4.45e-07"
        if (column.endswith(("share", "fraction_per_year")) or "_rate_" in column
                or "_share_" in column
                or column.endswith("_rate") or column == "utilisation"):
            return f"{value:.1%}", True
        if column.endswith(("_mwh_per_year", "_mwh")):
            return f"{value:,.0f}", True
        return (f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"), True
    if isinstance(value, int | np.integer):
        return f"{value:,}", True
    return str(value), False


CODE_COLUMNS = ("scenario_key", "key in the scenario")
"""Table columns that hold scenario keys, set as code."""


def _is_year_column(column: str) -> bool:
    return column.endswith("_year") and not column.endswith("per_year")


def plain_header(column: str) -> str:
    """A table header in plain words with its unit: ``heat_demand_mwh_per_year`` reads
    "heat demand [MWh/yr]", ``gas_boiler_share`` "gas boiler share [%]"."""
    from energy_model.sweep.plots import _UNIT, parameter_unit

    column = str(column)
    if column == "utilisation":
        return "utilisation [%]"
    if "_" not in column:
        return column
    if column.endswith("dn_mm"):
        return "diameter [DN, mm]"
    unit = parameter_unit(column)
    words = _UNIT.sub("", column) if unit not in ("", "-") else column
    words = charts.label(words.removeprefix("pipe_")).replace("1pct", "1 %")
    words = words.replace("capex", "capital")
    for suffix, per in (("_homes_per_year", "homes/yr"), ("_households", "households"),
                        ("_homes", "homes")):
        if column.endswith(suffix) and unit in ("", "-"):
            return f"{charts.label(column.removesuffix(suffix))} [{per}]"
    if unit in ("", "-") and (column.endswith(("share", "fraction_per_year", "_rate",
                                               "_fraction"))
                              or "_rate_" in column or "_share_" in column):
        return f"{words.replace(' fraction per year', ' a year')} [%]"
    return f"{words} [{unit}]" if unit not in ("", "-") else words


def _table_html(table: pd.DataFrame, caption: str) -> str:
    head = "".join(f"<th>{html.escape(plain_header(c))}</th>" for c in table.columns)
    rows = []
    for row in table.itertuples(index=False):
        cells = []
        for c, v in zip(table.columns, row, strict=True):
            text, number = _cell(str(c), v)
            shown = (f"<code>{html.escape(text)}</code>" if c in CODE_COLUMNS and text
                     else html.escape(text))
            cells.append(f'<td class="{"num" if number else "text"}">{shown}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="table-wrap"><table><caption>{html.escape(caption)}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


# ---------------------------------------------------------------- progress


def report_progress(ds: xr.Dataset, actuals_path: str | Path, baseline_year: int | None = None,
                    target_year: int | None = None) -> tuple[pd.DataFrame, charts.Chart]:
    """Progress of the actuals towards the results' target, with the plan as trajectory.

    Parameters
    ----------
    ds : xarray.Dataset
    actuals_path : str or Path
        See :func:`energy_model.progress.read_actuals`.
    baseline_year : int, optional
        Default: the first year of the actuals.
    target_year : int, optional
        Default: the year the results are laid on.

    Returns
    -------
    (pandas.DataFrame, Chart)
        The progress table and its chart.
    """
    scenario = scenario_of(ds)
    baseline = target_baseline_mwh(scenario)
    target = ds.attrs.get("renewable_target_mwh_per_year")
    if baseline is None or target is None:
        raise ProgressError(str(actuals_path), ["the results set no renewable-generation "
                                                "target to measure progress against"])
    actuals = read_actuals(actuals_path)
    baseline_year = baseline_year or int(actuals.index.min())
    target_year = target_year or plan_year(ds)
    planned = planned_from_results(ds, target_year)
    table = progress_table(actuals, baseline_year, baseline, float(target), target_year,
                           planned)
    chart = charts.Chart("progress", progress_chart(table),
                         "Green points are years on or above both the plan's path and the "
                         "target's straight line, red points years behind one of them. The "
                         "plan's path counts what the target counts.", table.reset_index())
    return table, chart


# ---------------------------------------------------------------- page


@dataclass
class _Page:
    sections: list[tuple[str, str, str]] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def add(self, anchor: str, title: str, body: str) -> None:
        self.sections.append((anchor, title, body))


def _chart_html(chart: charts.Chart, data_dir: str) -> str:
    div = chart.figure.to_html(full_html=False, include_plotlyjs=False,
                               div_id=f"chart-{chart.key}",
                               config={"displaylogo": False, "responsive": True})
    return (f'<figure class="chart-figure" id="figure-{chart.key}">{div}'
            f"<figcaption>{html.escape(chart.caption)} "
            f'<a href="#data-{chart.key}">Data (CSV)</a></figcaption></figure>')


def _csv_link(key: str, table: pd.DataFrame, text: str, code: bool = False) -> str:
    """A link that downloads the table as ``<key>.csv`` from inside the page, so it works
    when the HTML is sent on its own."""
    data = base64.b64encode(table.to_csv(index=False).encode("utf-8")).decode("ascii")
    return (f'<a download="{html.escape(key)}.csv" '
            f'href="data:text/csv;charset=utf-8;base64,{data}">'
            + (f"<code>{html.escape(text)}</code>" if code else html.escape(text)) + "</a>")


_CODE = re.compile(r"\b[A-Za-z][A-Za-z0-9-]*(?:[_.][A-Za-z0-9-]+)*_[A-Za-z0-9_.-]*[A-Za-z0-9]")


def _prose(text: str) -> str:
    """Text as HTML, with scenario keys (``grid.residual_load``) set as code and each
    sentence begun with a capital."""
    text = re.sub(r"(^|\. )([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
    return _CODE.sub(lambda m: f"<code>{m.group(0)}</code>", html.escape(text))


def _png_html(path: Path, alt: str, caption: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (f'<figure class="png-figure"><img alt="{html.escape(alt)}" '
            f'src="data:image/png;base64,{data}"><figcaption>{html.escape(caption)}'
            "</figcaption></figure>")


def _page_html(ds: xr.Dataset, scenario: dict, page: _Page) -> str:
    from plotly.offline import get_plotlyjs

    a = ds.attrs
    name = html.escape(str(a.get("scenario_name", "scenario")))
    desc = html.escape(str(scenario.get("description", "")))
    nav = "".join(f'<a href="#{anchor}">{html.escape(title)}</a>'
                  for anchor, title, _ in page.sections)
    body = "".join(f'<section id="{anchor}"><h2>{html.escape(title)}</h2>{content}</section>'
                   for anchor, title, content in page.sections)
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Energy plan: {name}</title><style>{_CSS}</style>
<script type="text/javascript">{get_plotlyjs()}</script></head>
<body><header><h1>Energy plan: {name}</h1><p class="sub">{desc}</p>
<p class="sub">{_modelled(ds)}. Report made {made} by energy-model.</p>
<nav>{nav}</nav></header>{body}
<footer>Charts are interactive: hover for values, drag to zoom, double-click to reset.
The numbers behind every chart and table are in the CSV files linked under them (carried
inside this page). {html.escape(str(a.get("build_thresholds", "")))}
{_provenance(a)}</footer>
</body></html>
"""


def _modelled(ds: xr.Dataset) -> str:
    """What was modelled, for the page's subtitle."""
    hours = f"{float(ds.attrs['step_hours']):g} h"
    if "period" in ds.dims:
        years = ", ".join(str(int(y)) for y in ds["period"].to_numpy())
        return (f"Pathway over {years} ({ds.attrs.get('foresight', 'perfect')} foresight), "
                f"{ds.attrs.get('n_steps', '?')} steps of {hours} per period")
    return f"Modelled year {plan_year(ds)}, {len(ds.time)} steps of {hours}"


def _provenance(attrs: dict) -> str:
    versions = ", ".join(f"{name.replace('_', '-')} {attrs[f'{name}_version']}"
                         for name in ("energy_model", "pyomo", "highspy", "pvlib")
                         if f"{name}_version" in attrs)
    sha = attrs.get("scenario_sha256")
    parts = ([f"Resolved scenario SHA-256 {html.escape(str(sha))}."] if sha else []) + (
        [f"Software: {html.escape(versions)}."] if versions else [])
    return f"<br>{' '.join(parts)}" if parts else ""


def build_report(ds: xr.Dataset, data_dir: str = "report_data",
                 network_map: Path | None = None,
                 progress: tuple[pd.DataFrame, charts.Chart] | None = None,
                 uncertainty: xr.Dataset | None = None,
                 alternatives: pd.DataFrame | None = None
                 ) -> tuple[str, dict[str, pd.DataFrame]]:
    """The report's HTML and the tables to write beside it.

    Parameters
    ----------
    ds : xarray.Dataset
        A results dataset.
    data_dir : str
        Folder name, relative to the HTML, that its CSV links point to.
    network_map : Path, optional
        A PNG of the heat network to embed.
    progress : (DataFrame, Chart), optional
        From :func:`report_progress`.
    uncertainty : xarray.Dataset, optional
        An uncertainty run's summary (``uncertainty.nc``): ranges beside the headline
        and the section "How sure is this plan".
    alternatives : pandas.DataFrame, optional
        Near-optimal ranges (``alternatives.csv``), drawn in that section.

    Returns
    -------
    (str, dict of str to DataFrame)
        The HTML, and CSV name (without ``.csv``) to table.
    """
    from energy_model.uncertainty import report as certainty

    ds = as_built(ds)
    scenario = scenario_of(ds)
    page = _Page()
    heads = headline_figures(ds)
    if uncertainty is not None:
        heads = certainty.headline_ranges(heads, uncertainty)
    if progress is not None:
        heads = [_progress_headline(progress[0]), *heads]
    page.tables["headline"] = pd.DataFrame(
        [(h.key, h.label, h.value, h.unit, h.text) for h in heads],
        columns=["key", "figure", "value", "unit", "as_shown"])
    existing = existing_assets_generation_mwh(ds, scenario)
    target_chart = charts.target_chart(ds, target_baseline_mwh(scenario), existing)
    chart_list = [target_chart]
    status = [str(ds.attrs[k]) for k in ("limits_sentence",) if k in ds.attrs]
    if "energy_from_waste_status" in ds.attrs:
        status.append(f"Energy from waste: {ds.attrs['energy_from_waste_status']}.")
    lead = "".join(f'<p class="lead">{_prose(charts.label_limits(t))}</p>' for t in status)
    page.add("headline", "Headline",
             lead + _headline_html(heads) + _chart_html(target_chart, data_dir))

    groups = {"the run": run_warnings(ds), "the results": report_warnings(ds, scenario)}
    page.tables["warnings"] = pd.DataFrame(
        [(origin, w) for origin, items in groups.items() for w in items],
        columns=["found_by_checking", "warning"])
    content = "".join(
        f"<h3>From {origin}</h3><ul class=\"warnings\">"
        + "".join(f"<li>{_prose(w)}</li>" for w in items) + "</ul>"
        for origin, items in groups.items() if items)
    page.add("warnings", "Warnings: check before quoting",
             content or "<p>None: nothing in these results looks suspect.</p>")

    limits = limits_frame(ds)
    page.tables["binding_limits"] = limits
    page.add("limits", "What limits this plan", _limits_html(ds, limits))

    capacity = charts.capacity_chart(ds)
    balance = charts.energy_balance_chart(ds)
    winter = charts.dispatch_week_chart(ds, "winter")
    summer = charts.dispatch_week_chart(ds, "summer")
    storage = charts.storage_chart(ds)
    chart_list += [capacity, balance, winter, summer, storage]
    page.add("capacities", "Capacity by technology", _chart_html(capacity, data_dir))
    page.add("energy-balance", "Annual energy balance", _chart_html(balance, data_dir))
    page.add("dispatch", "Dispatch and storage",
             "".join(_chart_html(c, data_dir) for c in (winter, summer, storage)))

    zones = zone_table(ds, scenario)
    pipes = pipe_table(ds)
    page.tables["zones"] = zones
    network = ""
    if network_map is not None and network_map.is_file():
        network += _png_html(network_map, "Map of the heat network",
                             "The heat network: dark grey pipes exist, green pipes are built "
                             "or enlarged by the plan (from 0.1 MW of new capacity), dashed "
                             "light grey pipes are candidates left unbuilt; width grows with "
                             "capacity.")
    network += _table_html(zones, "Heating by zone (shares of buildings; energy in MWh/yr)")
    if pipes is not None:
        page.tables["pipes"] = pipes
        network += _table_html(pipes, "Heat-network pipes (MW, mm, MWh/yr)")
    page.add("heat-network", "Heat network and zones", network)

    costs = report_costs.cost_tables(ds)
    if costs:
        page.tables.update({key: table for key, (table, _) in costs.items()})
        page.add("costs", "Costs: the system view, who pays, and household bills",
                 f"<p>{html.escape(report_costs.costs_intro(ds))}</p>"
                 + "".join(_table_html(t, caption) for t, caption in costs.values()))

    for section in OPTIONAL_SECTIONS:
        if section.present(ds):
            content, extra, tables = section.body(ds)
            chart_list += extra
            page.tables.update(tables)
            page.add(section.anchor, section.title,
                     "".join(_chart_html(c, data_dir) for c in extra) + content)

    if progress is not None:
        table, chart = progress
        chart_list.append(chart)
        page.add("progress", "Progress towards the target, year by year",
                 f'<p class="lead" id="progress-sentence">'
                 f"{html.escape(progress_sentence(table))}</p>"
                 + _chart_html(chart, data_dir)
                 + _table_html(readable_table(table), "Renewable generation by year (GWh/yr; "
                               "growth needed a year, compounded, from each year's actual)"))

    if uncertainty is not None or alternatives is not None:
        body, more, extra = certainty.certainty_section(
            uncertainty, alternatives, lambda c: _chart_html(c, data_dir))
        page.tables.update(more)
        chart_list += extra
        page.add("certainty", "How sure is this plan", body)

    page.tables["assumptions"] = _assumptions_section(page, ds, scenario, uncertainty)

    for chart in chart_list:
        page.tables[chart.key] = chart.data
    links = "".join(f'<li id="data-{key}">{_csv_link(key, table, key + ".csv", code=True)}</li>'
                    for key, table in page.tables.items())
    page.add("data", "Data for spreadsheets",
             "<p>Every figure in this report as CSV. The links download from inside this "
             "page, so they work when the page is sent on its own; the same files are in the "
             f"folder <code>{data_dir}/</code> beside it.</p><ul>{links}</ul>")
    return _page_html(ds, scenario, page), page.tables


def build_pathway_report(ds: xr.Dataset, data_dir: str = "report_data",
                         progress: tuple[pd.DataFrame, charts.Chart] | None = None,
                         network_map: Path | None = None
                         ) -> tuple[str, dict[str, pd.DataFrame]]:
    """The report of a pathway (``energy-model pathway``): its planned trajectory against
    the milestones, what is built in each period, and the figures per period.

    Parameters
    ----------
    ds : xarray.Dataset
        A pathway results dataset (dims ``period``, ``technology``, ``zone``).
    data_dir : str
        Folder name, relative to the HTML, that its CSV links point to.
    progress : (DataFrame, Chart), optional
        From :func:`report_progress`: actuals against the planned trajectory.
    network_map : Path, optional
        A PNG of the heat network per period to embed.

    Returns
    -------
    (str, dict of str to DataFrame)
        The HTML, and CSV name (without ``.csv``) to table.
    """
    ds = as_built(ds)
    scenario = scenario_of(ds)
    page = _Page()
    trajectory = charts.pathway_trajectory_chart(ds)
    built = charts.pathway_builds_chart(ds)
    chart_list = [trajectory, built]
    page.add("trajectory", "Planned trajectory to the target", _chart_html(trajectory, data_dir))
    page.add("builds", "What to build in which year", _chart_html(built, data_dir))
    from energy_model.pathway.results import zone_changes

    where = ""
    if network_map is not None and network_map.is_file():
        where += _png_html(network_map, "Map of the heat network in each period",
                           "The heat network in each period: orange pipes are built or "
                           "enlarged in that period, green ones earlier, dark grey existed "
                           "before the plan, dashed light grey are candidates not built yet; "
                           "under each zone, the homes that join the network in the period.")
    changes = zone_changes(ds)
    page.tables["zone_changes"] = changes
    if len(changes):
        wide = changes.pivot_table(index=["zone", "change"], columns="year", values="homes",
                                   aggfunc="sum", fill_value=0)
        wide.columns = [str(int(c)) for c in wide.columns]
        where += _table_html(wide.reset_index(), "Homes changed in each period, by zone "
                             "(fewer than the build threshold count as none)")
    else:
        where += "<p>No zone changes its heating in any period.</p>"
    page.add("where", "Where: the heat network and the zones, period by period", where)
    limits = limits_frame(ds)
    page.tables["binding_limits"] = limits
    page.add("limits", "What limits this plan", _limits_html(ds, limits))
    figures = charts.pathway_table(ds)
    page.tables["periods"] = figures
    page.add("periods", "Figures per period",
             _table_html(figures, "Per period: renewables (MWh/yr), spend (GBP), households"))
    if progress is not None:
        table, chart = progress
        chart_list.append(chart)
        page.add("progress", "Progress against the planned trajectory",
                 _headline_html([_progress_headline(table)])
                 + f'<p class="lead" id="progress-sentence">'
                 f"{html.escape(progress_sentence(table))}</p>"
                 + _chart_html(chart, data_dir)
                 + _table_html(readable_table(table), "Renewable generation by year (GWh/yr)"))
    page.tables["assumptions"] = _assumptions_section(page, ds, scenario, None)
    for chart in chart_list:
        page.tables[chart.key] = chart.data
    links = "".join(f'<li id="data-{key}">{_csv_link(key, table, key + ".csv", code=True)}</li>'
                    for key, table in page.tables.items())
    page.add("data", "Data for spreadsheets",
             "<p>Every figure in this report as CSV, downloaded from inside this page; the "
             f"same files are in the folder <code>{data_dir}/</code> beside it.</p>"
             f"<ul>{links}</ul>")
    return _page_html(ds, scenario, page), page.tables


def _write_tables(tables: dict[str, pd.DataFrame], data_dir: Path) -> None:
    from energy_model.outputs import write_folder

    def write(tmp: Path) -> None:
        for key, table in tables.items():
            table.to_csv(tmp / f"{key}.csv", index=False)

    write_folder(data_dir, write, force=True)


def write_report(results_dir: str | Path, out_path: str | Path | None = None,
                 actuals: str | Path | None = None, baseline_year: int | None = None,
                 target_year: int | None = None, uncertainty: str | Path | None = None,
                 alternatives: str | Path | None = None) -> Path:
    """Write the HTML report of a results folder, and its figures as CSV.

    Parameters
    ----------
    results_dir : str or Path
        A folder written by ``energy-model run`` (``results.nc``, maybe
        ``network_map.png``).
    out_path : str or Path, optional
        The HTML file; default ``<results_dir>/report.html``. The CSVs go into
        ``<stem>_data/`` beside it (``report_data/`` by default).
    actuals : str or Path, optional
        An actuals CSV (see :func:`energy_model.progress.read_actuals`); adds the
        progress section.
    baseline_year, target_year : int, optional
        For the progress section: default the first year of the actuals and the year
        the results are laid on.
    uncertainty, alternatives : str or Path, optional
        Folders written by ``energy-model uncertainty`` and ``energy-model
        alternatives``: add ranges and the section "How sure is this plan".

    Returns
    -------
    Path
        The HTML file.
    """
    results_dir = Path(results_dir)
    ds = load_results(results_dir)
    out = Path(out_path) if out_path else results_dir / "report.html"
    data_dir = out.with_name(f"{out.stem}_data")
    from energy_model.outputs import MANIFEST, check_output_dir

    if out.is_dir() or out.exists() and not (data_dir / MANIFEST).is_file():
        raise EnergyModelError(f"{out} already exists and is not a report energy-model wrote "
                               f"(no {data_dir.name}/ written by a report beside it); move it "
                               "or choose another --out")
    check_output_dir(data_dir, force=True)
    progress = (report_progress(ds, actuals, baseline_year, target_year)
                if actuals is not None else None)
    unc = alt = None
    if "period" not in ds.dims:
        from energy_model.uncertainty.report import read_alternatives
        from energy_model.uncertainty.run import read_uncertainty

        unc = read_uncertainty(uncertainty) if uncertainty is not None else None
        alt = read_alternatives(alternatives) if alternatives is not None else None
        for folder, found, name in ((uncertainty, unc, "uncertainty.nc"),
                                    (alternatives, alt, "alternatives.csv")):
            if folder is not None and found is None:
                raise EnergyModelError(f"{folder}: no {name} here; give the folder an "
                                       f"`energy-model {name.split('.')[0]}` run wrote")
    try:
        if "period" in ds.dims:
            page, tables = build_pathway_report(ds, data_dir.name, progress,
                                                results_dir / "network_map.png")
        else:
            page, tables = build_report(ds, data_dir.name, results_dir / "network_map.png",
                                        progress, unc, alt)
    except (KeyError, ValueError, TypeError, IndexError, AttributeError, ZeroDivisionError,
            yaml.YAMLError) as err:  # a variable or figure missing or of the wrong kind
        raise EnergyModelError(_damaged(results_dir, f"{type(err).__name__}: {err}")) from err
    _write_tables(tables, data_dir)
    from energy_model.outputs import write_atomic

    return write_atomic(out, page)
