"""What an uncertainty run says: spreads, no-regret builds, a tornado and the regret.

:func:`summarise` turns the finished cases (the default plan, the one-at-a-time cases and
the Latin hypercube samples) into one ``xarray.Dataset``; :func:`tables` into the CSV
tables people read and :func:`format_summary` into text. Quantiles and shares are taken
over the samples that solved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from energy_model.sweep.case import STATUS_OK
from energy_model.uncertainty.ranges import Range

QUANTILES = (0.1, 0.5, 0.9)
# Headline figures whose spread is reported (those a case has).
SPREAD_FIGURES = (
    "total_cost_gbp_per_year", "capex_gbp", "co2_t_per_year",
    "renewable_generation_counted_mwh_per_year", "households_lifted_out_of_fuel_poverty",
    "renewable_target_shadow_price_gbp_per_mwh",
    "fuel_poverty_target_shadow_price_gbp_per_household",
    "private_homes_shadow_price_gbp_per_home", "co2_cap_shadow_price_gbp_per_t",
    "regret_gbp_per_year", "default_plan_unmet",
)
# The results a tornado ranks assumptions by, besides each build.
TORNADO_FIGURES = ("total_cost_gbp_per_year", "co2_t_per_year")
# A build smaller than this (MW, MWh or homes) is not built.
BUILT_ABOVE = 1e-3
# A rank correlation at least this strong, over at least this many samples, names the
# assumption a decision depends on (|rho| >= 0.5 over 20 samples: p about 0.025).
DEPENDS_RHO = 0.5
DEPENDS_MIN_SAMPLES = 20


@dataclass
class Cases:
    """The finished cases of an uncertainty run, split by kind.

    Attributes
    ----------
    default : dict or None
        The record of the plan at the scenario's values.
    samples : list of (case id, inputs, record)
        The Latin hypercube samples; ``inputs`` maps each range's path to its value.
    one_at_a_time : list of (path, "low" or "high", case id, record)
    """

    default: dict[str, Any] | None
    samples: list[tuple[str, dict[str, float], dict[str, Any] | None]] = field(
        default_factory=list)
    one_at_a_time: list[tuple[str, str, str, dict[str, Any] | None]] = field(
        default_factory=list)


def _ok(record: dict[str, Any] | None) -> bool:
    return record is not None and record.get("status") == STATUS_OK


def _figure(record: dict[str, Any] | None, name: str) -> float:
    if not _ok(record):
        return np.nan
    if name in record.get("figures", {}):
        return float(record["figures"][name])
    return float(record.get("builds", {}).get(name, np.nan))


def summarise(ranges: dict[str, Range], cases: Cases, no_regret_share: float = 0.9
              ) -> xr.Dataset:
    """Spreads, no-regret builds, tornado and regret of an uncertainty run.

    Parameters
    ----------
    ranges : dict of str to Range
        The scenario's ranges, by path.
    cases : Cases
        Every case's record (None where it has not finished).
    no_regret_share : float
        A build present in at least this share of the solved samples is no-regret.

    Returns
    -------
    xarray.Dataset
        Along ``sample``: ``status``, ``input`` (by ``assumption``), each headline figure
        and ``build_amount`` (by ``build``). Summary: ``<figure>_quantile`` and
        ``build_quantile`` (by ``quantile``), ``build_share``, ``no_regret``,
        ``default_build``; one-at-a-time results ``oat_result`` (by ``assumption``,
        ``end`` and ``result``); ``rank_correlation`` (by ``assumption`` and
        ``result``) when there are samples; ``depends_on`` per build.
    """
    records = [r for _, _, r in cases.samples] + [r for *_, r in cases.one_at_a_time] + [
        cases.default]
    builds: dict[str, str] = {}
    units: dict[str, str] = {}
    for r in records:
        if _ok(r):
            builds.update(r.get("build_unit", {}))
            units.update(r.get("units", {}))
    paths = list(ranges)
    sample_ids = [c for c, _, _ in cases.samples]
    ds = xr.Dataset(coords={"sample": sample_ids, "assumption": paths,
                            "build": list(builds), "quantile": list(QUANTILES)})
    ds["build_unit"] = ("build", np.array(list(builds.values()), dtype=str))
    ds["assumption_unit"] = ("assumption", np.array([_unit_of(p) for p in paths], dtype=str))
    for name in ("value", "low", "high"):
        ds[f"assumption_{name}"] = ("assumption", np.array(
            [getattr(ranges[p], name) for p in paths], dtype=float))
    ds["assumption_distribution"] = ("assumption", np.array(
        [ranges[p].distribution for p in paths], dtype=str))
    ds["assumption_source"] = ("assumption", np.array([ranges[p].source for p in paths],
                                                      dtype=str))
    sample_records = [r for _, _, r in cases.samples]
    ok = np.array([_ok(r) for r in sample_records], dtype=bool)
    ds["status"] = ("sample", np.array([(r or {}).get("status", "not run")
                                        for r in sample_records], dtype=str))
    ds["input"] = (("sample", "assumption"), np.array(
        [[inputs.get(p, np.nan) for p in paths] for _, inputs, _ in cases.samples],
        dtype=float).reshape(len(sample_ids), len(paths)))
    figures = [f for f in SPREAD_FIGURES if f in units]
    for f in figures:
        values = np.array([_figure(r, f) for r in sample_records], dtype=float)
        ds[f] = ("sample", values)
        ds[f].attrs["units"] = units[f]
        ds[f"{f}_quantile"] = ("quantile", _quantiles(values[ok]))
        ds[f"{f}_quantile"].attrs["units"] = units[f]
        ds.attrs[f"default_{f}"] = _figure(cases.default, f)
    amounts = np.array([[_figure(r, b) for b in builds] for r in sample_records],
                       dtype=float).reshape(len(sample_ids), len(builds))
    ds["build_amount"] = (("sample", "build"), amounts)
    ds["build_amount"].attrs["description"] = "what each sample's plan builds, in build_unit"
    ds["build_quantile"] = (("build", "quantile"), np.array(
        [_quantiles(amounts[ok, j]) for j in range(len(builds))]).reshape(len(builds),
                                                                          len(QUANTILES)))
    share = (amounts[ok] > BUILT_ABOVE).mean(axis=0) if ok.any() else np.full(len(builds),
                                                                              np.nan)
    ds["build_share"] = ("build", share)
    ds["build_share"].attrs["description"] = "share of solved samples that build it"
    ds["no_regret"] = ("build", share >= no_regret_share)
    ds["default_build"] = ("build", np.array([_figure(cases.default, b) for b in builds],
                                             dtype=float))
    results = [*[f for f in TORNADO_FIGURES if f in units], *builds]
    ds = ds.assign_coords(result=results, end=["low", "high"])
    if cases.one_at_a_time:
        oat = np.full((len(paths), 2, len(results)), np.nan)
        for path, end, _, record in cases.one_at_a_time:
            oat[paths.index(path), ["low", "high"].index(end)] = [
                _figure(record, x) for x in results]
        ds["oat_result"] = (("assumption", "end", "result"), oat)
        ds["oat_result"].attrs["description"] = "result with one assumption at its low or high"
    if ok.sum() >= 3:
        ds["rank_correlation"] = (("assumption", "result"), _spearman(
            ds["input"].to_numpy()[ok], np.column_stack(
                [ds[x].to_numpy()[ok] if x in ds else amounts[ok, list(builds).index(x)]
                 for x in results])))
        ds["rank_correlation"].attrs["description"] = "Spearman rank correlation over samples"
    ds.attrs.update(no_regret_share=no_regret_share, samples_solved=int(ok.sum()),
                    samples=len(sample_ids), quantiles=json.dumps(list(QUANTILES)))
    ds["depends_on"] = ("build", np.array([_depends_on(ds, b) for b in builds], dtype=str))
    return ds


def _unit_of(path: str) -> str:
    from energy_model.sweep.spec import parameter_unit

    return parameter_unit(path)


def _quantiles(values: np.ndarray) -> np.ndarray:
    values = values[np.isfinite(values)]
    if not len(values):
        return np.full(len(QUANTILES), np.nan)
    return np.quantile(values, QUANTILES)


def _spearman(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Rank correlation of each column of ``x`` with each column of ``y`` (NaN if constant)."""
    from scipy.stats import rankdata

    def ranks(a):
        return np.column_stack([rankdata(a[:, j]) for j in range(a.shape[1])]) if a.shape[1] \
            else a

    rx, ry = ranks(x), ranks(y)
    out = np.full((x.shape[1], y.shape[1]), np.nan)
    for i in range(x.shape[1]):
        for j in range(y.shape[1]):
            a, b = rx[:, i], ry[:, j]
            if a.std() > 0 and b.std() > 0:
                out[i, j] = float(np.corrcoef(a, b)[0, 1])
    return out


def _depends_on(ds: xr.Dataset, build: str) -> str:
    """The one assumption a build's decision turns on, or "" if none stands out.

    From the one-at-a-time cases: the assumption whose low or high alone switches the build
    on or off against the default plan (the largest change if several). Otherwise from the
    samples (at least :data:`DEPENDS_MIN_SAMPLES`): for a build made in some samples but not
    all, the assumption most strongly rank-correlated with its size, if at least
    :data:`DEPENDS_RHO`.
    """
    paths = list(ds["assumption"].to_numpy())
    default = float(ds["default_build"].sel(build=build))
    if "oat_result" in ds and np.isfinite(default):
        ends = ds["oat_result"].sel(result=build).to_numpy()
        switches = [(np.nanmax(np.abs(ends[i] - default)), p) for i, p in enumerate(paths)
                    if np.any((ends[i] > BUILT_ABOVE) != (default > BUILT_ABOVE))
                    and np.all(np.isfinite(ends[i]))]
        if switches:
            return max(switches)[1]
    share = float(ds["build_share"].sel(build=build))
    if "rank_correlation" in ds and 0 < share < 1 \
            and ds.attrs.get("samples_solved", 0) >= DEPENDS_MIN_SAMPLES:
        rho = ds["rank_correlation"].sel(result=build).to_numpy()
        if np.isfinite(rho).any() and np.nanmax(np.abs(rho)) >= DEPENDS_RHO:
            return paths[int(np.nanargmax(np.abs(rho)))]
    return ""


def tornado(ds: xr.Dataset, result: str = "total_cost_gbp_per_year") -> pd.DataFrame:
    """Assumptions ranked by how much they move ``result``, largest first.

    From the one-at-a-time cases when the run has them (``low``, ``high``: the result
    with the assumption at each end, ``swing``: their difference), else from the samples'
    rank correlation (``rank_correlation``).
    """
    rows = []
    for p in ds["assumption"].to_numpy():
        row: dict[str, Any] = {"assumption": str(p), "result": result}
        if "oat_result" in ds:
            lo, hi = ds["oat_result"].sel(assumption=p, result=result).to_numpy()
            row.update(result_at_low=lo, result_at_high=hi, swing=abs(hi - lo))
        if "rank_correlation" in ds:
            row["rank_correlation"] = float(ds["rank_correlation"].sel(assumption=p,
                                                                       result=result))
        rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    key = "swing" if "swing" in table else "rank_correlation"
    if key not in table:
        return table
    order = table[key].abs().fillna(-1).sort_values(ascending=False).index
    return table.loc[order].reset_index(drop=True)


def moves_most(ds: xr.Dataset, n: int = 3) -> list[tuple[str, float]]:
    """The ``n`` assumptions that move the plan most: summed over cost, CO2 and every
    build, each result's swing (or |rank correlation|) scaled by its largest."""
    score = pd.Series(0.0, index=[str(p) for p in ds["assumption"].to_numpy()])
    for result in ds["result"].to_numpy():
        t = tornado(ds, str(result))
        key = "swing" if "swing" in t else "rank_correlation"
        if t.empty or key not in t:
            continue
        size = t.set_index("assumption")[key].abs().fillna(0.0)
        if size.max() > 0:
            score = score.add(size / size.max(), fill_value=0.0)
    score = score.sort_values(ascending=False)
    return [(p, float(s)) for p, s in score.head(n).items() if s > 0]


def tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    """The CSV tables of a summary: ``samples``, ``summary``, ``no_regret``, ``tornado``."""
    samples = pd.DataFrame({"sample": ds["sample"].to_numpy(), "status": ds["status"]})
    for p in ds["assumption"].to_numpy():
        samples[str(p)] = ds["input"].sel(assumption=p).to_numpy()
    for f in SPREAD_FIGURES:
        if f in ds:
            samples[f] = ds[f].to_numpy()
    for b, unit in zip(ds["build"].to_numpy(), ds["build_unit"].to_numpy(), strict=True):
        samples[f"build_{str(unit).lower()}/{b}"] = ds["build_amount"].sel(build=b).to_numpy()
    rows = []
    for f in SPREAD_FIGURES:
        if f in ds:
            q = ds[f"{f}_quantile"].to_numpy()
            rows.append({"quantity": f, "unit": ds[f].attrs.get("units", ""),
                         "default": ds.attrs.get(f"default_{f}", np.nan),
                         "p10": q[0], "p50": q[1], "p90": q[2]})
    for b, unit in zip(ds["build"].to_numpy(), ds["build_unit"].to_numpy(), strict=True):
        q = ds["build_quantile"].sel(build=b).to_numpy()
        rows.append({"quantity": f"build {b}", "unit": str(unit),
                     "default": float(ds["default_build"].sel(build=b)),
                     "p10": q[0], "p50": q[1], "p90": q[2],
                     "share_built": float(ds["build_share"].sel(build=b)),
                     "no_regret": bool(ds["no_regret"].sel(build=b)),
                     "depends_on": str(ds["depends_on"].sel(build=b).item())})
    keep = ds["no_regret"].to_numpy()
    no_regret = pd.DataFrame({
        "build": ds["build"].to_numpy()[keep], "unit": ds["build_unit"].to_numpy()[keep],
        "share_built": ds["build_share"].to_numpy()[keep],
        "p10": ds["build_quantile"].sel(quantile=0.1).to_numpy()[keep],
        "p50": ds["build_quantile"].sel(quantile=0.5).to_numpy()[keep],
        "default": ds["default_build"].to_numpy()[keep]})
    torn = pd.concat([tornado(ds, str(r)) for r in ds["result"].to_numpy()], ignore_index=True)
    return {"samples": samples, "summary": pd.DataFrame(rows), "no_regret": no_regret,
            "tornado": torn}


def _fmt(x: float) -> str:
    return "n/a" if not np.isfinite(x) else f"{x:,.1f}" if abs(x) < 1e4 else f"{x:,.0f}"


def format_summary(ds: xr.Dataset) -> str:
    """An uncertainty run's findings as text."""
    lines = [f"Uncertainty over {ds.sizes['assumption']} assumptions: "
             f"{ds.attrs['samples_solved']} of {ds.attrs['samples']} samples solved"]
    if ds.attrs["samples"]:
        lines.append("Spread over the samples (default plan; P10 / P50 / P90):")
        for f in SPREAD_FIGURES:
            if f in ds:
                q = ds[f"{f}_quantile"].to_numpy()
                lines.append(f"  {f} [{ds[f].attrs.get('units', '')}]: "
                             f"{_fmt(ds.attrs.get(f'default_{f}', np.nan))}; "
                             f"{_fmt(q[0])} / {_fmt(q[1])} / {_fmt(q[2])}")
        share = ds.attrs["no_regret_share"]
        keep = [str(b) for b in ds["build"].to_numpy() if bool(ds["no_regret"].sel(build=b))]
        lines.append(f"No-regret builds (in at least {share:.0%} of samples; P10 size):")
        lines += [f"  {b}: {ds['build_share'].sel(build=b).item():.0%} of samples, P10 "
                  f"{_fmt(float(ds['build_quantile'].sel(build=b, quantile=0.1)))} "
                  f"{ds['build_unit'].sel(build=b).item()}" for b in keep] or ["  none"]
        if "regret_gbp_per_year" in ds:
            regret = ds["regret_gbp_per_year"]
            worst = int(np.nanargmax(regret.to_numpy())) if np.isfinite(regret).any() else None
            if worst is not None:
                unmet = ds["default_plan_unmet"].to_numpy() if "default_plan_unmet" in ds \
                    else np.zeros(1)
                lines.append(f"Regret of the default plan: worst {_fmt(float(regret[worst]))} "
                             f"GBP/yr (sample {ds['sample'].to_numpy()[worst]}), mean "
                             f"{_fmt(float(np.nanmean(regret)))} GBP/yr; largest unmet "
                             f"{_fmt(float(np.nanmax(unmet)))}")
    depends = [(str(b), str(ds["depends_on"].sel(build=b).item()))
               for b in ds["build"].to_numpy() if ds["depends_on"].sel(build=b).item()]
    if depends:
        lines.append("Decisions that turn on one assumption:")
        lines += [f"  {b}: {p}" for b, p in depends]
    top = moves_most(ds)
    if top:
        lines.append("Assumptions that move the plan most: " + "; ".join(p for p, _ in top))
    return "\n".join(lines)
