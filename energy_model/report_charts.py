"""The report's charts: each a plotly figure, the table behind it and a caption.

Every function takes the results ``xarray.Dataset`` (see :mod:`energy_model.results`)
and returns a :class:`Chart`; the figure has a title and axis labels with units, the
caption says what to notice, and the table is what the figure shows (written as CSV
next to the report).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xarray as xr
from plotly.subplots import make_subplots

from energy_model import technologies as registry

WEEK_H = 168
COARSE_STEP_H = 3.0
"""Steps longer than this [h] average out the daily cycle that storage earns from."""


@dataclass(frozen=True)
class Chart:
    """One figure of the report.

    Parameters
    ----------
    key : str
        Names the figure's HTML element (``chart-<key>``) and its CSV (``<key>.csv``).
    figure : plotly.graph_objects.Figure
    caption : str
        What to notice, in a sentence or two.
    data : pandas.DataFrame
        The numbers the figure shows, with units in the column names.
    """

    key: str
    figure: go.Figure
    caption: str
    data: pd.DataFrame


def _storage() -> tuple[str, ...]:
    return registry.technologies(level="city", storage=True)


def label(name: str) -> str:
    """``'rooftop_pv'`` to ``'rooftop PV'``: the registry's name for a technology, else the
    name as a reader would write it."""
    return registry.label(name)


label_limits = registry.words



def weight_h(ds: xr.Dataset) -> xr.DataArray | float:
    """Hours of the year each step stands for (per step with representative days)."""
    if "step_weight_h" in ds:
        return ds["step_weight_h"]
    return float(ds.attrs["step_hours"]) * float(ds.attrs["year_weight"])


def annual_mwh(ds: xr.Dataset, power_mw: xr.DataArray) -> float:
    """Annual energy [MWh/yr] of a power series [MW] over time."""
    return float((power_mw * weight_h(ds)).sum(skipna=True))


def _layout(fig: go.Figure, title: str, height_px: int = 460, **kwargs) -> go.Figure:
    fig.update_layout(title={"text": title, "x": 0.01}, template="plotly_white",
                      height=height_px, margin={"l": 70, "r": 30, "t": 70, "b": 60},
                      legend={"orientation": "h", "yanchor": "top", "y": -0.15}, **kwargs)
    return fig


def target_chart(ds: xr.Dataset, baseline_mwh: float | None,
                 existing_mwh: float | None) -> Chart:
    """Renewable generation: baseline, existing assets, the plan, against the target."""
    a = ds.attrs
    rows, colours = [], []
    if baseline_mwh is not None:
        rows.append(("baseline (as the scenario reads it)", baseline_mwh))
        colours.append("#a5aa99")
    if existing_mwh is not None:
        rows.append(("existing assets alone (estimate)", existing_mwh))
        colours.append("#80ba5a")
    rows.append(("plan: counted towards the target",
                 a["renewable_generation_counted_mwh_per_year"]))
    colours.append("#3969ac")
    for key, label in (("renewable_electricity_mwh_per_year", "plan: renewable electricity"),
                       ("renewable_heat_mwh_per_year", "plan: renewable heat")):
        if key in a:
            rows.append((label, a[key]))
            colours.append("#7f3c8d" if "electricity" in key else "#e68310")
    if "renewable_electricity_mwh_per_year" not in a:   # results written before the measures
        rows.append(("plan: all local renewables", a["renewable_generation_all_mwh_per_year"]))
        colours.append("#7f3c8d")
    data = pd.DataFrame(rows, columns=["measure", "renewable_generation_mwh_per_year"])
    fig = go.Figure(go.Bar(x=data["measure"], y=data["renewable_generation_mwh_per_year"] / 1e3,
                           marker_color=colours,
                           text=[f"{v / 1e3:,.1f}" for v in data.iloc[:, 1]],
                           textposition="outside"))
    target = a.get("renewable_target_mwh_per_year")
    if target is not None:
        fig.add_hline(y=target / 1e3, line={"color": "#d62728", "dash": "dash"},
                      annotation_text=f"target {target / 1e3:,.1f} GWh/yr",
                      annotation_position="top left")
        data.loc[len(data)] = ("target", target)
    _layout(fig, "Local renewable generation against the target", showlegend=False,
            xaxis_title="measure", yaxis_title="renewable generation [GWh/yr]")
    counted = a["renewable_generation_counted_mwh_per_year"]
    if target is None:
        caption = "The scenario sets no renewable-generation target."
    elif counted > target * 1.05:
        caption = (f"The plan generates {counted / target:.1f} times the target: the target does "
                   "not bind, so renewables are built because they pay their way, up to the "
                   "limits in 'What limits this plan'.")
    else:
        caption = ("The plan meets the target with little to spare: the target drives how "
                   "much renewable capacity is built.")
    if existing_mwh is not None and target is not None and existing_mwh >= target:
        caption += " Existing assets alone already meet it."
    return Chart("renewable_target", fig, caption, data)


def capacity_chart(ds: xr.Dataset) -> Chart:
    """Existing and new capacity by technology, power [MW] and energy [MWh] side by side."""
    data = pd.DataFrame({
        "technology": ds["technology"].to_numpy().astype(str),
        "unit": ds["capacity_unit"].to_numpy().astype(str),
        "existing_capacity": ds["existing_capacity"].to_numpy(),
        "new_capacity": ds["new_capacity"].to_numpy(),
        "capacity": ds["capacity"].to_numpy(),
    })
    fig = make_subplots(rows=1, cols=2, column_widths=[0.72, 0.28], horizontal_spacing=0.1,
                        subplot_titles=("power and heat capacity [MW]", "storage [MWh]"))
    for col, unit in ((1, "MW"), (2, "MWh")):
        part = data[data["unit"] == unit]
        names = [label(k) for k in part["technology"]]
        fig.add_bar(x=names, y=part["existing_capacity"], name="existing", row=1, col=col,
                    marker_color="#a5aa99", showlegend=col == 1, legendgroup="existing")
        fig.add_bar(x=names, y=part["new_capacity"], name="built by the plan", row=1, col=col,
                    marker_color="#11a579", showlegend=col == 1, legendgroup="new")
        fig.update_yaxes(title_text=f"capacity [{unit}]", row=1, col=col)
        fig.update_xaxes(title_text="technology", row=1, col=col)
    _layout(fig, "Capacity by technology: existing and built by the plan", barmode="stack")
    new = data[data["new_capacity"] > 0].sort_values("new_capacity", ascending=False)
    if new.empty:
        caption = "The plan builds nothing new: existing capacity is enough."
    else:
        top = ", ".join(f"{label(r.technology)} ({r.new_capacity:,.1f} {r.unit})"
                        for r in new.head(3).itertuples())
        caption = f"Green is what the plan builds; the largest additions are {top}."
        none = list(data[(data["capacity"] == 0)]["technology"])
        coarse = float(ds.attrs.get("step_hours", 1.0)) > COARSE_STEP_H
        unseen = [k for k in none if coarse and k in _storage()]
        priced = [k for k in none if k not in unseen]
        if priced:
            caption += (" Not built at all: " + ", ".join(label(k) for k in priced)
                        + " (too expensive for what they add here).")
        if unseen:
            caption += (" Not built: " + ", ".join(label(k) for k in unseen)
                        + f"; at {float(ds.attrs['step_hours']):g}-hour steps the model "
                        "cannot see the swings within a day that storage earns from, so "
                        "this says nothing about its worth: rerun at 1 h or 3 h.")
    return Chart("capacities", fig, caption, data)


def energy_balance(ds: xr.Dataset) -> pd.DataFrame:
    """Annual supply and use of electricity and heat [MWh/yr] as a tidy table.

    Built from the flows the model's components declared (``flow_mw``), so that every
    flow of the model is in it and supply equals use by construction. A flow declared on
    both sides (pipes, the network's delivery to buildings) is shown as its net: what it
    loses (``<name>_losses``).

    Returns
    -------
    pandas.DataFrame
        Columns ``carrier``, ``side`` (supply or use), ``flow`` and ``energy_mwh_per_year``;
        supply and use of each carrier sum to the same total.
    """
    annual = (ds["flow_mw"] * weight_h(ds)).sum("time")
    table = pd.DataFrame({"carrier": ds["flow_carrier"].to_numpy().astype(str),
                          "side": ds["flow_side"].to_numpy().astype(str),
                          "flow": ds["flow_name"].to_numpy().astype(str),
                          "energy_mwh_per_year": annual.to_numpy()})
    rows: list[tuple[str, str, str, float]] = []
    for (carrier, flow), group in table.groupby(["carrier", "flow"], sort=False):
        sides = dict(zip(group["side"], group["energy_mwh_per_year"], strict=True))
        if len(sides) == 2:
            rows.append((carrier, "use", f"{flow}_losses", sides["use"] - sides["supply"]))
        else:
            side, value = next(iter(sides.items()))
            rows.append((carrier, side, flow, value))
    data = pd.DataFrame(rows, columns=["carrier", "side", "flow", "energy_mwh_per_year"])
    data["energy_mwh_per_year"] = data["energy_mwh_per_year"].where(
        data["energy_mwh_per_year"].abs() > 1e-6, 0.0)
    return data.sort_values(["carrier", "side"], kind="stable", ignore_index=True)


def energy_balance_chart(ds: xr.Dataset) -> Chart:
    """Annual energy balance as stacked bars: supply against use, electricity and heat."""
    data = energy_balance(ds)
    shown = data[data["energy_mwh_per_year"] > 0]
    fig = go.Figure()
    for row in shown.itertuples():
        category = f"{row.carrier} {row.side}"
        name = label(row.flow) if row.side == "supply" else f"{row.carrier} use: {label(row.flow)}"
        colour = registry.colour(row.flow)
        fig.add_bar(x=[category], y=[row.energy_mwh_per_year / 1e3], name=name,
                    marker_color=colour,
                    hovertemplate=f"{name}: %{{y:,.1f}} GWh/yr<extra>{category}</extra>")
    order = ["electricity supply", "electricity use", "heat supply", "heat use"]
    _layout(fig, "Annual energy balance: where electricity and heat come from and go",
            height_px=560, barmode="stack", xaxis_title="carrier and side",
            yaxis_title="energy [GWh/yr]",
            xaxis={"categoryorder": "array", "categoryarray": order})
    fig.update_layout(legend={"orientation": "v", "y": 1, "x": 1.02, "yanchor": "top"},
                      margin={"r": 220})
    heat_supply = data[(data.carrier == "heat") & (data.side == "supply")]
    gas = float(heat_supply.loc[heat_supply.flow == "individual_gas_boiler",
                                "energy_mwh_per_year"].sum())
    total_heat = float(heat_supply["energy_mwh_per_year"].sum())
    el = data[(data.carrier == "electricity") & (data.side == "supply")]
    imported = float(el.loc[el.flow == "grid_import", "energy_mwh_per_year"].sum())
    caption = (f"Each pair of bars is the same height: energy balances over the year. "
               f"{gas / total_heat:.0%} of heat still comes from homes' own gas boilers, "
               f"and {imported / el['energy_mwh_per_year'].sum():.0%} of electricity is "
               "imported from the grid." if total_heat > 0 else "")
    return Chart("energy_balance", fig, caption, data)


def _week_window(ds: xr.Dataset, season: str) -> slice:
    """Index slice of the week centred on the coldest day (winter) or sunniest (summer)."""
    n = ds.sizes["time"]
    steps = max(1, int(round(WEEK_H / float(ds.attrs["step_hours"]))))
    months = pd.DatetimeIndex(ds["time"].to_numpy()).month
    if season == "winter":
        score = ds["heat_demand_mw"].sum("zone").to_numpy()
        mask = np.isin(months, [12, 1, 2])
    else:
        solar = [g for g in registry.technologies(resource="sun") if g in ds["generator"]]
        source = ds["available_generation_mw"].sel(generator=solar) if solar else \
            ds["generation_mw"]
        score = np.nan_to_num(source.sum("generator").to_numpy())
        mask = np.isin(months, [6, 7, 8])
    if not mask.any():
        mask = np.ones(n, dtype=bool)
    centre = int(np.flatnonzero(mask)[np.argmax(score[mask])])
    start = int(np.clip(centre - steps // 2, 0, max(0, n - steps)))
    return slice(start, min(n, start + steps))


def dispatch_week_chart(ds: xr.Dataset, season: str) -> Chart:
    """Electricity and network-heat dispatch over a winter or a summer week.

    Parameters
    ----------
    ds : xarray.Dataset
    season : {'winter', 'summer'}
        Winter: the week around the day of highest heat demand in Dec-Feb. Summer: the
        week around the sunniest day in Jun-Aug.
    """
    week = ds.isel(time=_week_window(ds, season))
    time = pd.DatetimeIndex(week["time"].to_numpy())
    data = pd.DataFrame(index=pd.Index(time, name="time_utc"))
    supply_cols = []
    for g in week["generator"].to_numpy():
        col = f"{g}_mw"
        data[col] = week["generation_mw"].sel(generator=g).to_numpy()
        supply_cols.append((col, str(g)))
    for col, name in (("battery_discharge_mw", "battery_discharge"),
                      ("grid_import_mw", "grid_import")):
        data[col] = week[col].to_numpy()
        supply_cols.append((col, name))
    data["buildings_mw"] = week["electricity_demand_mw"].sum("zone").to_numpy()
    data["heat_pumps_mw"] = week["heat_pump_electricity_mw"].to_numpy()
    data["battery_charge_mw"] = week["battery_charge_mw"].to_numpy()
    data["grid_export_mw"] = week["grid_export_mw"].to_numpy()
    heat_cols = []
    for k in week["heat_source"].to_numpy():
        col = f"network_heat_{k}_mw"
        data[col] = week["network_heat_supply_mw"].sel(heat_source=k).to_numpy()
        heat_cols.append((col, str(k)))
    data["store_level_mwh"] = week["store_level_mwh"].to_numpy()

    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=("electricity [MW]", "heat fed into the network [MW]"))
    for col, name in supply_cols:
        if data[col].abs().sum() > 0:
            fig.add_scatter(x=time, y=data[col], name=label(name), stackgroup="electricity",
                            mode="lines", line={"width": 0.5, "color": registry.colour(name)},
                            row=1, col=1)
    fig.add_scatter(x=time, y=data["buildings_mw"] + data["heat_pumps_mw"],
                    name="demand: buildings + heat pumps", mode="lines",
                    line={"color": "black", "width": 2}, row=1, col=1)
    for col, name in heat_cols:
        if data[col].abs().sum() > 0:
            fig.add_scatter(x=time, y=data[col], name=f"network heat: {label(name)}",
                            stackgroup="heat", mode="lines",
                            line={"width": 0.5, "color": registry.colour(name)}, row=2, col=1)
    fig.update_yaxes(title_text="power [MW]", row=1, col=1)
    fig.update_yaxes(title_text="heat [MW]", row=2, col=1)
    fig.update_xaxes(title_text="time (UTC)", row=2, col=1)
    first, last = time[0].strftime("%d %b"), time[-1].strftime("%d %b")
    what = "coldest" if season == "winter" else "sunniest"
    _layout(fig, f"Dispatch in a {season} week ({first} to {last}, around the {what} day)",
            height_px=640)
    step_h = float(ds.attrs["step_hours"])
    pv = sum(data.get(f"{g}_mw", 0) for g in registry.technologies(resource="sun"))
    pv_share = float(np.sum(pv) / max(1e-9, data[[c for c, _ in supply_cols]].sum().sum()))
    caption = (f"Coloured areas are supply, the black line demand; where the areas rise above "
               f"the line the surplus charges storage or is exported. Local PV supplies "
               f"{pv_share:.0%} of electricity this week.")
    if step_h > 1:
        caption += (f" Each point is a {step_h:g}-hour average, so the daily cycle of solar "
                    "and demand is smoothed out.")
    return Chart(f"dispatch_{season}_week", fig, caption, data.reset_index())


def storage_chart(ds: xr.Dataset) -> Chart:
    """Battery and thermal-store levels [MWh] over the year."""
    time = pd.DatetimeIndex(ds["time"].to_numpy())
    data = pd.DataFrame({"time_utc": time,
                         "battery_level_mwh": ds["battery_level_mwh"].to_numpy(),
                         "store_level_mwh": ds["store_level_mwh"].to_numpy()})
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=("battery [MWh]", "thermal store [MWh]"))
    fig.add_scatter(x=time, y=data["battery_level_mwh"], name="battery", mode="lines",
                    line={"color": registry.colour("battery_energy")}, row=1, col=1)
    fig.add_scatter(x=time, y=data["store_level_mwh"], name="thermal store", mode="lines",
                    line={"color": registry.colour("thermal_store")}, row=2, col=1)
    fig.update_yaxes(title_text="stored energy [MWh]", row=1, col=1)
    fig.update_yaxes(title_text="stored heat [MWh]", row=2, col=1)
    fig.update_xaxes(title_text="time (UTC)", row=2, col=1)
    _layout(fig, "Storage levels through the year", height_px=560)
    cap = dict(zip(ds["technology"].to_numpy().astype(str), ds["capacity"].to_numpy(),
                   strict=True))
    parts = []
    for key, name in ((k, registry.label(k)) for k in registry.technologies(
            level="city", storage=True, unit="MWh")):
        size = cap.get(key, 0.0)
        parts.append(f"the plan has no {name}" if size <= 0 else
                     f"the {name} ({size:,.0f} MWh) cycles {_cycles(data, key, size):,.0f} "
                     "times a year")
    caption = ("Levels at the end of each step: " + "; ".join(parts) + ". A store that "
               "fills and empties over days shifts surplus to later; one that sits full or "
               "empty earns little.")
    step_h = float(ds.attrs.get("step_hours", 1.0))
    if step_h > COARSE_STEP_H:
        caption += (f" At {step_h:g}-hour steps the daily cycle a battery earns from is "
                     "averaged out: its size here is understated.")
    return Chart("storage_levels", fig, caption, data)


def _cycles(data: pd.DataFrame, key: str, size_mwh: float) -> float:
    column = "battery_level_mwh" if key == "battery_energy" else "store_level_mwh"
    rises = np.clip(np.diff(data[column].to_numpy()), 0, None).sum()
    return float(rises / size_mwh) if size_mwh > 0 else 0.0


def per_zone(da: xr.DataArray) -> np.ndarray:
    """Values by zone, summed over any other dimension (e.g. intervention)."""
    return da.sum([d for d in da.dims if d != "zone"]).to_numpy()


LIFTED_VARIABLES = ("households_lifted", "fuel_poor_households_lifted")
"""Names a results dataset may give the fuel-poor households lifted in each zone."""


def lifted_variable(ds: xr.Dataset) -> str | None:
    """The dataset's variable of households lifted out of fuel poverty, if it has one."""
    return next((v for v in LIFTED_VARIABLES if v in ds), None)


def fuel_poverty_chart(ds: xr.Dataset) -> Chart:
    """Fuel-poor households and those the plan lifts out, by zone."""
    zones = ds["zone"].to_numpy().astype(str)
    data = pd.DataFrame({"zone": zones})
    fig = go.Figure()
    if "fuel_poor_households" in ds:
        data["fuel_poor_households"] = per_zone(ds["fuel_poor_households"])
        fig.add_bar(x=zones, y=data["fuel_poor_households"], name="fuel poor before the plan",
                    marker_color="#a5aa99")
    data["households_lifted"] = per_zone(ds[lifted_variable(ds)])
    fig.add_bar(x=zones, y=data["households_lifted"], name="lifted out by the plan",
                marker_color="#11a579")
    _layout(fig, "Households lifted out of fuel poverty, by zone", barmode="group",
            xaxis_title="zone", yaxis_title="households")
    best = data.sort_values("households_lifted", ascending=False).iloc[0]
    caption = (f"{data['households_lifted'].sum():,.0f} households lifted in all; most in "
               f"{best['zone']} ({best['households_lifted']:,.0f}).")
    if "fuel_poor_households" in data and data["fuel_poor_households"].sum() > 0:
        left = data["fuel_poor_households"] - data["households_lifted"]
        worst = data.assign(left=left).sort_values("left", ascending=False).iloc[0]
        caption += (f" The gap between the bars is who stays fuel poor: largest in "
                    f"{worst['zone']} ({worst['left']:,.0f} households).")
    return Chart("fuel_poverty", fig, caption, data)


def pathway_trajectory_chart(ds: xr.Dataset) -> Chart:
    """A pathway's planned renewable generation per period against its milestones."""
    years = ds["period"].to_numpy().astype(int)
    planned = ds["renewable_generation_counted_mwh_per_year"].to_numpy()
    milestone = ds["renewable_milestone_mwh_per_year"].to_numpy()
    data = pd.DataFrame({"period": years, "planned_mwh_per_year": planned,
                         "milestone_mwh_per_year": milestone})
    fig = go.Figure()
    base = ds.attrs.get("renewable_baseline_mwh_per_year")
    x_plan, y_plan = list(years), list(planned / 1e3)
    if base is not None:
        x_plan = [int(ds.attrs["renewable_baseline_year"]), *x_plan]
        y_plan = [base / 1e3, *y_plan]
    fig.add_scatter(x=x_plan, y=y_plan, name="planned (model)", mode="lines+markers",
                    line={"color": "#1f77b4"})
    fig.add_scatter(x=years, y=milestone / 1e3, name="milestone", mode="markers",
                    marker={"symbol": "line-ew-open", "size": 18, "color": "#d62728"})
    target = ds.attrs.get("renewable_target_mwh_per_year")
    if target is not None:
        fig.add_hline(y=target / 1e3, line={"color": "#2ca02c", "dash": "dot"},
                      annotation_text=f"target {target / 1e3:,.1f} GWh/yr")
    _layout(fig, "Local renewable generation: planned per period against the milestones",
            xaxis_title="year", yaxis_title="renewable generation [GWh/yr]")
    fig.update_xaxes(dtick=1, tickformat="d")
    ahead = np.nan_to_num(planned - milestone, nan=0.0)
    caption = ("Each period meets its milestone" if np.all(ahead >= -1e-3)
               else "Some periods fall short of their milestone")
    caption += (f"; the plan runs up to {ahead.max() / 1e3:,.1f} GWh/yr ahead of it, where "
                "building early pays for itself." if ahead.max() > 1 else ".")
    return Chart("pathway_trajectory", fig, caption, data)


def pathway_builds_chart(ds: xr.Dataset) -> Chart:
    """Capacity a pathway builds in each period: power [MW] and storage [MWh] apart."""
    years = ds["period"].to_numpy().astype(int)
    rows = []
    fig = make_subplots(rows=1, cols=2, column_widths=[0.6, 0.4], horizontal_spacing=0.1,
                        subplot_titles=("power and heat capacity built [MW]",
                                        "storage built [MWh]"))
    for k in ds["technology"].to_numpy():
        values = ds["build"].sel(technology=k).to_numpy()
        if values.sum() <= 0:
            continue
        unit = str(ds["capacity_unit"].sel(technology=k).item())
        fig.add_bar(x=[str(y) for y in years], y=values, name=label(str(k)),
                    marker_color=registry.colour(str(k)), row=1, col=2 if unit == "MWh" else 1)
        rows += [(int(y), str(k), unit, float(v)) for y, v in zip(years, values, strict=True)]
    fig.update_layout(barmode="stack")
    _layout(fig, "Capacity built in each period")
    fig.update_yaxes(title_text="built [MW]", row=1, col=1)
    fig.update_yaxes(title_text="built [MWh]", row=1, col=2)
    fig.update_xaxes(title_text="year", type="category")
    data = pd.DataFrame(rows, columns=["period", "technology", "unit", "build"])
    per_year = data.groupby("period")["build"].sum() if len(data) else pd.Series(dtype=float)
    caption = ("Nothing is built." if per_year.empty else
               f"Most is built in {int(per_year.idxmax())}; the table under the charts gives "
               "the spend per period. Builds below the thresholds (0.1 MW, 0.1 MWh) count "
               "as none.")
    return Chart("pathway_builds", fig, caption, data)


def pathway_table(ds: xr.Dataset) -> pd.DataFrame:
    """The pathway's figures per period, for the report's table."""
    names = [n for n in ("weight_years", "renewable_generation_counted_mwh_per_year",
                         "renewable_milestone_mwh_per_year", "renewable_share_of_electricity",
                         "capex_gbp", "capex_budget_gbp", "households_lifted",
                         "households_lifted_milestone", "co2_t_per_year",
                         "operating_cost_gbp_per_year") if n in ds]
    table = pd.DataFrame({n: ds[n].to_numpy() for n in names})
    table.insert(0, "period", ds["period"].to_numpy().astype(int))
    return table
