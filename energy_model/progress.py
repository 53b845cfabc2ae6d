"""Year-by-year progress towards the renewable-generation target.

An officer keeps a small CSV of what the city actually generated each year (and,
optionally, what was installed). This module reads it strictly, lays it against the
straight-line and the planned trajectories from the baseline to the target, and says
what compound annual growth is now needed. The same table feeds the terminal, the chart
and the HTML report.

The CSV::

    # lines starting with # are comments
    year,renewable_generation_gwh,capacity_mw/rooftop_pv,note
    2023,28,32,baseline (prospectus)
    2024,31.5,35,illustrative

``renewable_generation_mwh`` or ``renewable_generation_gwh`` (exactly one, the unit in
its name) is required; ``capacity_mw/<technology>`` columns and a free-text ``note`` or
``source`` column are optional. Years must run one after another without gaps.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from energy_model.errors import ProblemsError
from energy_model.years import FIRST_YEAR, LAST_YEAR

GENERATION_UNITS_TO_MWH = {"mwh": 1.0, "gwh": 1000.0}
TEXT_COLUMNS = ("note", "source")
_GENERATION = re.compile(r"renewable_generation_(mwh|gwh)")
_CAPACITY = re.compile(r"capacity_mw/([a-z0-9_]+)")
# The largest actuals file read.
MAX_ACTUALS_BYTES = 5_000_000


class ProgressError(ProblemsError):
    """An actuals CSV (or the target it is measured against) cannot be used."""

    kind = "actuals"


def _header_problems(header: list[str]) -> tuple[list[str], str | None]:
    problems: list[str] = []
    generation = [c for c in header if _GENERATION.fullmatch(c)]
    if "year" not in header:
        problems.append("no 'year' column")
    for col in header:
        if col == "year" or col in TEXT_COLUMNS or _GENERATION.fullmatch(col):
            continue
        if _CAPACITY.fullmatch(col):
            continue
        if col.startswith("renewable_generation"):
            problems.append(f"column '{col}': unit unstated; name it renewable_generation_mwh "
                            "or renewable_generation_gwh")
        elif col.startswith("capacity"):
            problems.append(f"column '{col}': give capacity as capacity_mw/<technology>, "
                            "e.g. capacity_mw/rooftop_pv")
        else:
            problems.append(f"column '{col}' is not known; expected year, "
                            "renewable_generation_mwh or _gwh, capacity_mw/<technology>, "
                            "note, source")
    if len(generation) > 1:
        problems.append("give renewable generation in one unit only, not both "
                        + " and ".join(generation))
    if not generation and not any(c.startswith("renewable_generation") for c in header):
        problems.append("no renewable generation column; add renewable_generation_mwh "
                        "or renewable_generation_gwh")
    if len(set(header)) != len(header):
        problems.append("a column name appears twice")
    return problems, generation[0] if len(generation) == 1 else None


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_actuals(path: str | Path) -> pd.DataFrame:
    """Read the yearly actuals an officer keeps, refusing every bad row in one message.

    Parameters
    ----------
    path : str or Path
        A CSV with ``year``, ``renewable_generation_mwh`` or ``renewable_generation_gwh``,
        optional ``capacity_mw/<technology>`` columns and an optional ``note`` column.
        Blank lines and lines starting with ``#`` are skipped.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``year`` (int), with ``renewable_generation_mwh`` [MWh/yr] (converted
        from GWh where given so), the capacity columns [MW], the text columns, and
        ``line``: the line of the file each year came from.

    Raises
    ------
    ProgressError
        Naming the line of every missing year, negative value, non-number or duplicate
        year, and any column whose unit is unstated.
    """
    from weather.errors import file_problem

    path = Path(path)
    problem = file_problem(path, MAX_ACTUALS_BYTES)
    if problem:
        raise ProgressError(str(path), [problem])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise ProgressError(str(path), [f"cannot read the file: {err.strerror}"]) from err
    except UnicodeDecodeError as err:
        raise ProgressError(str(path), [f"the file is not UTF-8 text ({err.reason}); save it "
                                        "as UTF-8 CSV"]) from None
    rows = [(i, line) for i, line in enumerate(text.splitlines(), start=1)
            if line.strip() and not line.lstrip().startswith("#")]
    if not rows:
        raise ProgressError(str(path), ["the file has no header and no rows"])
    header_line, header_text = rows[0]
    try:
        header = [c.strip().lower() for c in next(csv.reader([header_text]))]
    except csv.Error as err:
        raise ProgressError(str(path), [f"line {header_line}: not CSV ({err})"]) from None
    problems, gen_col = _header_problems(header)
    if problems:
        raise ProgressError(str(path), [f"line {header_line}: {p}" for p in problems])
    to_mwh = GENERATION_UNITS_TO_MWH[_GENERATION.fullmatch(gen_col).group(1)]
    numeric = [c for c in header if c != "year" and c not in TEXT_COLUMNS]

    records: list[dict] = []
    seen: dict[int, int] = {}
    for line_no, line in rows[1:]:
        try:
            cells = [c.strip() for c in next(csv.reader([line]))]
        except csv.Error as err:
            problems.append(f"line {line_no}: not CSV ({err})")
            continue
        if len(cells) != len(header):
            problems.append(f"line {line_no}: {len(cells)} cells where the header has "
                            f"{len(header)}")
            continue
        row = dict(zip(header, cells, strict=True))
        year = _number(row["year"])
        if year is None or year != int(year) or not FIRST_YEAR <= year <= LAST_YEAR:
            problems.append(f"line {line_no}: year '{row['year'][:20]}' is not a whole number "
                            f"from {FIRST_YEAR} to {LAST_YEAR}")
            continue
        year = int(year)
        if year in seen:
            problems.append(f"line {line_no}: year {year} already given on line {seen[year]}")
            continue
        seen[year] = line_no
        record: dict = {"year": year, "line": line_no}
        for col in numeric:
            cell = row[col]
            if cell == "" and col != gen_col:
                record[col] = np.nan
                continue
            value = _number(cell)
            if cell == "":
                problems.append(f"line {line_no}: {col} is empty for {year}")
            elif value is None:
                problems.append(f"line {line_no}: {col} '{cell[:20]}' is not a number")
            elif value < 0:
                problems.append(f"line {line_no}: {col} is negative ({cell})")
            record[col] = value
        for col in TEXT_COLUMNS:
            if col in row:
                record[col] = row[col]
        records.append(record)

    records.sort(key=lambda r: r["year"])
    for before, after in zip(records, records[1:], strict=False):
        gap = after["year"] - before["year"]
        if gap > 1:
            missing = ", ".join(str(y) for y in range(before["year"] + 1, after["year"]))
            problems.append(f"line {after['line']}: year {after['year']} follows "
                            f"{before['year']} (line {before['line']}); missing {missing}")
    if not records and not problems:
        problems.append(f"line {header_line}: a header but no rows")
    if problems:
        problems.sort(key=lambda p: int(re.match(r"line (\d+)", p).group(1)))
        raise ProgressError(str(path), problems)

    df = pd.DataFrame.from_records(records).set_index("year")
    df["renewable_generation_mwh"] = df.pop(gen_col).astype(float) * to_mwh
    return df


@dataclass(frozen=True)
class Target:
    """A renewable-generation target: baseline x multiplier, from one year to another.

    Parameters
    ----------
    baseline_year, target_year : int
    baseline_mwh : float
        Generation in the baseline year [MWh/yr].
    target_mwh : float
        Generation to reach by the target year [MWh/yr].
    """

    baseline_year: int
    baseline_mwh: float
    target_mwh: float
    target_year: int


def growth_needed(current_mwh: float, target_mwh: float, years_left: int) -> float:
    """Compound annual growth that takes ``current_mwh`` to ``target_mwh`` in time.

    Parameters
    ----------
    current_mwh, target_mwh : float
        [MWh/yr].
    years_left : int
        Years from now to the target year.

    Returns
    -------
    float
        The growth rate as a fraction per year (0.2 is 20 %/yr): 0 when the target is
        already reached, NaN when no years are left or nothing is generated yet.
    """
    if current_mwh >= target_mwh:
        return 0.0
    if years_left <= 0 or current_mwh <= 0:
        return float("nan")
    return float((target_mwh / current_mwh) ** (1.0 / years_left) - 1.0)


def progress_table(actuals: pd.DataFrame, baseline_year: int, baseline_mwh: float,
                   target_mwh: float, target_year: int,
                   planned: Mapping[int, float] | pd.Series | None = None) -> pd.DataFrame:
    """Lay the actuals against the trajectories to the target, year by year.

    Parameters
    ----------
    actuals : pandas.DataFrame
        From :func:`read_actuals` (indexed by year, ``renewable_generation_mwh``).
    baseline_year : int
    baseline_mwh : float
        Generation in the baseline year [MWh/yr].
    target_mwh : float
        Generation to reach by ``target_year`` [MWh/yr].
    target_year : int
    planned : mapping of int to float, optional
        Planned generation by year [MWh/yr], e.g. ``{2030: counted}`` from a results
        folder; interpolated linearly from the baseline between the years given.

    Returns
    -------
    pandas.DataFrame
        Indexed by year from the baseline to the later of the target year and the last
        actual, with columns ``straight_line_mwh``, ``planned_mwh`` (when given),
        ``actual_mwh``, ``gap_mwh`` (actual less straight line; negative is behind),
        ``status`` (on track / behind / target reached) and
        ``growth_needed_fraction_per_year`` (compound growth needed from each actual
        year to reach the target in time).
    """
    if target_year <= baseline_year:
        raise ProgressError("target", [f"target year {target_year} is not after the baseline "
                                       f"year {baseline_year}"])
    last = max(target_year, int(actuals.index.max()) if len(actuals) else target_year)
    years = pd.RangeIndex(baseline_year, last + 1, name="year")
    slope = (target_mwh - baseline_mwh) / (target_year - baseline_year)
    table = pd.DataFrame(index=years)
    table["straight_line_mwh"] = np.where(
        years <= target_year, baseline_mwh + slope * (years - baseline_year), target_mwh)
    if planned is not None and len(planned):
        points = {baseline_year: baseline_mwh, **{int(y): float(v) for y, v in
                                                  dict(planned).items()}}
        xs = sorted(points)
        table["planned_mwh"] = np.interp(years, xs, [points[x] for x in xs])
    actual = actuals["renewable_generation_mwh"].reindex(years)
    table["actual_mwh"] = actual.to_numpy(dtype=float)
    table["gap_mwh"] = table["actual_mwh"] - table["straight_line_mwh"]
    plan_mwh = None
    if "planned_mwh" in table:
        table["gap_to_plan_mwh"] = table["actual_mwh"] - table["planned_mwh"]
        plan_mwh = float(table.loc[target_year, "planned_mwh"])
    table["status"] = [_status(a, gap, table["gap_to_plan_mwh"].get(y, np.nan)
                               if plan_mwh is not None else None, target_mwh)
                       for y, a, gap in zip(years, table["actual_mwh"], table["gap_mwh"],
                                            strict=True)]
    table["growth_needed_fraction_per_year"] = [
        growth_needed(a, target_mwh, target_year - y) if a == a else np.nan
        for y, a in zip(years, table["actual_mwh"], strict=True)]
    if plan_mwh is not None:
        table["growth_needed_for_plan_fraction_per_year"] = [
            growth_needed(a, plan_mwh, target_year - y) if a == a else np.nan
            for y, a in zip(years, table["actual_mwh"], strict=True)]
    table.attrs.update(baseline_year=baseline_year, baseline_mwh=baseline_mwh,
                       target_mwh=target_mwh, target_year=target_year)
    if plan_mwh is not None:
        table.attrs["plan_mwh"] = plan_mwh
    return table


def _status(actual: float, gap_to_target_path: float, gap_to_plan: float | None,
            target_mwh: float) -> str:
    """A year's verdict against the target's straight line and the plan's path."""
    if actual != actual:
        return ""
    if actual >= target_mwh:
        return "target reached"
    on_target_path = gap_to_target_path >= 0
    if gap_to_plan is None or gap_to_plan != gap_to_plan:
        return "on track" if on_target_path else "behind"
    if on_target_path and gap_to_plan >= 0:
        return "on track"
    if on_target_path:
        return "behind the plan"
    return "behind the target's line" if gap_to_plan >= 0 else "behind"


def latest(table: pd.DataFrame) -> pd.Series | None:
    """The row of the latest year with an actual, or None when there is none."""
    known = table.dropna(subset=["actual_mwh"])
    return None if known.empty else known.iloc[-1]


def format_progress(table: pd.DataFrame) -> str:
    """The progress table and what it means, as text for the terminal.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`progress_table`.

    Returns
    -------
    str
    """
    a = table.attrs
    lines = [f"Renewable generation: baseline {a['baseline_mwh'] / 1000:,.1f} GWh/yr in "
             f"{a['baseline_year']}, target {a['target_mwh'] / 1000:,.1f} GWh/yr by "
             f"{a['target_year']}", ""]
    lines.append(readable_table(table).to_string(index=False))
    lines.append("")
    lines.append(progress_sentence(table))
    return "\n".join(lines)


def progress_sentence(table: pd.DataFrame) -> str:
    """One sentence a councillor can quote: the latest year against the plan's path and
    the target's, and the growth a year now needed to reach each."""
    a = table.attrs
    row = latest(table)
    if row is None:
        return "No actual generation recorded yet."
    year = int(row.name)
    actual = row["actual_mwh"]
    if actual >= a["target_mwh"]:
        return (f"{year}: {_gwh(actual)}, the target of {_gwh(a['target_mwh'])} by "
                f"{a['target_year']} is reached.")
    parts = []
    if "planned_mwh" in table:
        parts.append(f"{_against(row['gap_to_plan_mwh'])} the plan's path "
                     f"({_gwh(row['planned_mwh'])})")
    parts.append(f"{_against(row['gap_mwh'])} the target's straight line "
                 f"({_gwh(row['straight_line_mwh'])})")
    need = []
    growth = row["growth_needed_fraction_per_year"]
    if growth != growth:
        need.append("the target year has passed without reaching the target")
    else:
        if "growth_needed_for_plan_fraction_per_year" in table:
            plan_growth = row["growth_needed_for_plan_fraction_per_year"]
            need.append(f"to reach the plan's {_gwh(a['plan_mwh'])} by {a['target_year']} "
                        f"needs {plan_growth:.1%} growth a year")
        need.append(f"to reach the target's {_gwh(a['target_mwh'])} by {a['target_year']} "
                    f"needs {growth:.1%} a year, compounded")
    return f"{year}: {_gwh(actual)}, {' and '.join(parts)}; {'; '.join(need)}."


def progress_verdict(table: pd.DataFrame) -> tuple[str, str]:
    """The latest year's verdict (on track, behind the plan, behind the target's line,
    behind, target reached) and a line of detail, for a headline card."""
    row = latest(table)
    if row is None:
        return "no actuals yet", ""
    word = str(row["status"])
    gap = row.get("gap_to_plan_mwh", row["gap_mwh"])
    path = "the plan's path" if "gap_to_plan_mwh" in row else "the target's straight line"
    return word, f"{int(row.name)}: {_gwh(row['actual_mwh'])}, {_against(gap)} {path}"


def _gwh(mwh: float) -> str:
    return f"{mwh / 1000:,.1f} GWh"


def _against(gap_mwh: float) -> str:
    if abs(gap_mwh) < 50:  # within 0.05 GWh: on it
        return "on"
    return f"{abs(gap_mwh) / 1000:,.1f} GWh {'ahead of' if gap_mwh > 0 else 'behind'}"


# Plain words for the progress table's columns, in the order shown.
TABLE_COLUMNS = {
    "straight_line_mwh": "target's straight line [GWh/yr]",
    "planned_mwh": "plan's path [GWh/yr]",
    "actual_mwh": "actual [GWh/yr]",
    "gap_to_plan_mwh": "against the plan's path [GWh/yr]",
    "gap_mwh": "against the target's line [GWh/yr]",
    "status": "status",
    "growth_needed_for_plan_fraction_per_year": "growth a year needed for the plan",
    "growth_needed_fraction_per_year": "growth a year needed for the target",
}


def readable_table(table: pd.DataFrame) -> pd.DataFrame:
    """The progress table for people: GWh, percentages as text, plain-word headers."""
    out = pd.DataFrame({"year": table.index.to_numpy()})
    for column, header in TABLE_COLUMNS.items():
        if column not in table:
            continue
        values = table[column].to_numpy()
        if column.endswith("_mwh"):
            sign = "+," if column.startswith("gap") else ","
            shown = ["" if v != v else format(v / 1000, f"{sign}.1f") for v in values]
        elif column.endswith("fraction_per_year"):
            shown = ["" if v != v else f"{v:.1%}" for v in values]
        else:
            shown = [str(v) for v in values]
        out[header] = shown
    return out


def progress_chart(table: pd.DataFrame, title: str | None = None):
    """The trajectories and the actuals as a plotly figure; every marker in the legend.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`progress_table`.
    title : str, optional

    Returns
    -------
    plotly.graph_objects.Figure
    """
    import plotly.graph_objects as go

    a = table.attrs
    years = table.index.to_numpy()
    fig = go.Figure()
    fig.add_scatter(x=years, y=table["straight_line_mwh"] / 1000,
                    name="target's straight line", mode="lines",
                    line={"dash": "dash", "color": "#555"})
    if "planned_mwh" in table:
        fig.add_scatter(x=years, y=table["planned_mwh"] / 1000, name="plan's path (model)",
                        mode="lines", line={"color": "#1f77b4"})
    known = table.dropna(subset=["actual_mwh"])
    fig.add_scatter(x=known.index, y=known["actual_mwh"] / 1000, name="actual",
                    mode="lines", line={"color": "#333"}, hoverinfo="skip")
    for label, colour, rows in _actual_groups(known):
        fig.add_scatter(x=rows.index, y=rows["actual_mwh"] / 1000, name=label,
                        mode="markers", marker={"color": colour, "size": 11},
                        customdata=rows["status"],
                        hovertemplate="%{x}: %{y:.1f} GWh/yr (%{customdata})<extra></extra>")
    fig.add_scatter(x=[years[0], years[-1]], y=[a["target_mwh"] / 1000] * 2, mode="lines",
                    name=f"target {a['target_mwh'] / 1000:,.1f} GWh/yr by {a['target_year']}",
                    line={"color": "#2ca02c", "dash": "dot"})
    fig.update_layout(
        title=title or "Local renewable generation: actual against the plan's path and "
                       "the target",
        xaxis_title="year", yaxis_title="renewable generation [GWh/yr]",
        template="plotly_white", legend={"orientation": "h", "y": -0.2})
    fig.update_xaxes(dtick=1, tickformat="d")
    return fig


def _actual_groups(known: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """Actual years split by verdict, each with its legend label and colour."""
    on = known["status"].isin(["on track", "target reached"])
    behind = ("actual: behind the plan or the target's line" if "planned_mwh" in known
              else "actual: behind the target's line")
    groups = [("actual: on track", "#2ca02c", known[on]), (behind, "#d62728", known[~on])]
    return [g for g in groups if len(g[2])]


def planned_from_results(ds, target_year: int) -> dict[int, float]:
    """Planned renewable generation by year [MWh/yr] from a results Dataset.

    A pathway's results (a ``period`` dim) give one figure per period; a single-year
    plan gives its counted generation for ``target_year``.
    """
    if "period" in ds.dims:
        values = ds["renewable_generation_counted_mwh_per_year"].to_numpy()
        return {int(y): float(v) for y, v in zip(ds["period"].to_numpy(), values, strict=True)}
    return {target_year: float(ds.attrs["renewable_generation_counted_mwh_per_year"])}


def target_from_scenario(name_or_path: str) -> tuple[float, float]:
    """``(baseline_mwh, multiplier)`` of a scenario's renewable-generation target."""
    from energy_model.scenario import load_scenario

    scenario = load_scenario(name_or_path)
    target = scenario.targets.renewable_generation
    if target is None:
        raise ProgressError(str(name_or_path), ["the scenario sets no renewable_generation "
                                                "target"])
    return target.baseline_mwh, target.multiplier


def progress_png(table: pd.DataFrame) -> bytes:
    """The progress chart as a small PNG (matplotlib), for the page sent on its own."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    a = table.attrs
    years = table.index.to_numpy()
    fig = Figure(figsize=(9, 4.6), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot(years, table["straight_line_mwh"] / 1000, "--", color="#555",
            label="target's straight line")
    if "planned_mwh" in table:
        ax.plot(years, table["planned_mwh"] / 1000, color="#1f77b4",
                label="plan's path (model)")
    ax.axhline(a["target_mwh"] / 1000, color="#2ca02c", linestyle=":",
               label=f"target {a['target_mwh'] / 1000:,.1f} GWh/yr by {a['target_year']}")
    known = table.dropna(subset=["actual_mwh"])
    ax.plot(known.index, known["actual_mwh"] / 1000, color="#333", label="actual")
    for label, colour, rows in _actual_groups(known):
        ax.scatter(rows.index, rows["actual_mwh"] / 1000, s=60, color=colour, zorder=3,
                   edgecolors="black", linewidths=0.5, label=label)
    ax.set_xticks(years)
    ax.set_xticklabels([str(int(y)) for y in years])
    ax.set_xlabel("year")
    ax.set_ylabel("renewable generation [GWh/yr]")
    ax.grid(True, linewidth=0.3, alpha=0.6)
    ax.legend(loc="upper left", fontsize=8, frameon=True)
    ax.set_title("Local renewable generation: actual against the plan's path and the target")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def progress_page(table: pd.DataFrame, title: str = "Progress towards the renewable target"
                  ) -> str:
    """A self-contained HTML page: title, verdict card, the sentence, chart, table."""
    import base64
    import html

    from energy_model.page_style import PAGE_CSS as _CSS

    a = table.attrs
    word, detail = progress_verdict(table)
    png = base64.b64encode(progress_png(table)).decode("ascii")
    shown = readable_table(table)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in shown.columns)
    rows = "".join("<tr>" + "".join(
        f'<td class="{"text" if c == "status" else "num"}">{html.escape(str(v))}</td>'
        for c, v in zip(shown.columns, row, strict=True)) + "</tr>"
        for row in shown.itertuples(index=False))
    plan = (f" The plan's path runs from the baseline to the plan's "
            f"{a['plan_mwh'] / 1000:,.1f} GWh/yr in {a['target_year']}, counted as the "
            "target counts it." if "plan_mwh" in a else
            " No plan was given (--results): the target's straight line is the only path.")
    legend = ("Green points are years on or above both the plan's path and the target's "
              "straight line; red points are behind one of them." if "plan_mwh" in a else
              "Green points are years on or above the target's straight line; red points "
              "are behind it.")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{_CSS}</style></head>
<body><header><h1>{html.escape(title)}</h1>
<p class="sub">Baseline {a['baseline_mwh'] / 1000:,.1f} GWh/yr in {a['baseline_year']}; target
{a['target_mwh'] / 1000:,.1f} GWh/yr by {a['target_year']}.{html.escape(plan)}</p></header>
<div class="headline"><div class="card"><div class="label">Are we on track?</div>
<div class="value" id="headline-progress">{html.escape(word)}</div>
<div class="note">{html.escape(detail)}</div></div></div>
<p class="lead" id="progress-sentence">{html.escape(progress_sentence(table))}</p>
<figure class="png-figure"><img alt="Renewable generation by year against the plan and the
target" src="data:image/png;base64,{png}"><figcaption>{html.escape(legend)} The same figures
are in the table below and in progress.csv beside this page.</figcaption></figure>
<div class="table-wrap"><table><caption>Renewable generation by year (GWh/yr; growth needed a
year, compounded, from each year's actual)</caption><thead><tr>{head}</tr></thead>
<tbody>{rows}</tbody></table></div>
<footer>Made by energy-model. "Against" columns are the actual less the path: negative is
behind.</footer></body></html>
"""


def write_progress(table: pd.DataFrame, out_dir: str | Path) -> list[Path]:
    """Write ``progress.csv`` and ``progress.html`` (a page that opens offline) into
    ``out_dir``."""
    from energy_model.outputs import write_atomic

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ProgressError(str(out), ["--out names a file; give a folder for progress.csv "
                                       "and progress.html"])
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ProgressError(str(out), [f"cannot make the folder ({err.strerror})"]) from None
    csv_path = write_atomic(out / "progress.csv", table.to_csv())
    html_path = write_atomic(out / "progress.html", progress_page(table))
    return [csv_path, html_path]
