"""The HTML report: its figures equal the dataset's, it is self-contained, and it renders."""

import argparse
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import xarray as xr
import yaml
from browser import page_checks

from energy_model import report as report_module
from energy_model import report_charts
from energy_model.built import as_built
from energy_model.cli import main
from energy_model.commands import add_report_parser
from energy_model.report import (
    NOT_MODELLED,
    build_report,
    load_results,
    report_warnings,
    scenario_of,
    write_report,
)

DATA = Path(__file__).parent / "data"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium"
                                        if os.path.exists("/usr/bin/chromium") else None)
CHART_KEYS = ["renewable_target", "capacities", "energy_balance", "dispatch_winter_week",
              "dispatch_summer_week", "storage_levels", "progress"]


def chart_keys(ds: xr.Dataset) -> list[str]:
    """The charts a report of ``ds`` with actuals has, in page order."""
    optional = [s for s in report_module.OPTIONAL_SECTIONS if s.present(ds)]
    keys = CHART_KEYS[:-1]
    if any(s.anchor == "fuel-poverty" for s in optional):
        keys = keys + ["fuel_poverty"]
    return keys + ["progress"]


@pytest.fixture(scope="module")
def results_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "stoke"
    assert main(["run", "stoke-2030", "--resolution", "24h", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def report_path(results_dir) -> Path:
    return write_report(results_dir, actuals=DATA / "actuals_on_track_and_behind.csv")


class Headlines(HTMLParser):
    """Collect the headline elements: id -> (attributes, text)."""

    def __init__(self):
        super().__init__()
        self.found: dict[str, dict] = {}
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (attrs.get("id") or "").startswith("headline-"):
            self._open = attrs["id"]
            self.found[self._open] = {**attrs, "text": ""}

    def handle_data(self, data):
        if self._open:
            self.found[self._open]["text"] += data

    def handle_endtag(self, tag):
        self._open = None


def headlines(page: str) -> dict[str, dict]:
    parser = Headlines()
    parser.feed(page)
    return parser.found


def test_headline_figures_equal_the_dataset(results_dir, report_path):
    ds = xr.load_dataset(results_dir / "results.nc")
    found = headlines(report_path.read_text(encoding="utf-8"))
    for key in ("renewable_generation_counted_mwh_per_year", "renewable_target_mwh_per_year",
                "renewable_share_of_final_energy", "co2_t_per_year", "total_cost_gbp_per_year"):
        element = found[f"headline-{key}"]
        assert float(element["data-value"]) == ds.attrs[key], key
        assert element["data-unit"] == ds.attrs[f"{key}__units"]
    co2_kt = ds.attrs["co2_t_per_year"] / 1e3
    assert found["headline-co2_t_per_year"]["text"] == f"{co2_kt:,.1f} kt/yr"
    # not in the model (yet): said plainly, with no number; once modelled, the dataset's
    for section in report_module.OPTIONAL_SECTIONS:
        element = found[f"headline-{section.key}"]
        if not section.present(ds):
            assert element["text"] == NOT_MODELLED
            assert element["data-value"] == ""
        elif section.key in ds.attrs:  # as built: households whole (energy_model.built)
            assert float(element["data-value"]) == as_built(ds).attrs[section.key]


def test_report_is_self_contained(results_dir, report_path):
    keys = chart_keys(load_results(results_dir))
    page = report_path.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    assert not re.search(r"url\(\s*['\"]?https?:", page)
    assert not re.search(r"<img[^>]+src=\"(?!data:)", page)
    assert 'src="data:image/png;base64,' in page  # the heat-network map
    assert page.count("Plotly.newPlot(") == len(keys)
    for key in keys:
        assert f'id="chart-{key}"' in page
        # its data travel inside the page: the link under the chart leads to a download
        assert f'href="#data-{key}"' in page and f'<li id="data-{key}"><a download=' in page
    assert 'href="report_data/' not in page


def test_figures_are_written_as_csv(report_path):
    data = report_path.parent / "report_data"
    for key in CHART_KEYS + ["headline", "warnings", "zones", "pipes", "assumptions"]:
        assert (data / f"{key}.csv").is_file(), key
    balance = pd.read_csv(data / "energy_balance.csv")
    totals = balance.groupby(["carrier", "side"])["energy_mwh_per_year"].sum()
    for carrier in ("electricity", "heat"):
        assert totals[carrier, "supply"] == pytest.approx(totals[carrier, "use"], rel=1e-6)
    assumptions = pd.read_csv(data / "assumptions.csv")
    target = assumptions[assumptions.assumption == "baseline_gwh_per_year"]
    assert float(target["value"].iloc[0]) == 28
    assert (assumptions["source"].fillna("") != "").mean() > 0.8  # sources travel along


def test_every_chart_has_title_axis_units_and_caption(results_dir):
    ds = load_results(results_dir)
    for chart in (report_charts.capacity_chart(ds), report_charts.energy_balance_chart(ds),
                  report_charts.dispatch_week_chart(ds, "winter"),
                  report_charts.dispatch_week_chart(ds, "summer"),
                  report_charts.storage_chart(ds), report_charts.target_chart(ds, 28e3, 28e3)):
        layout = chart.figure.layout
        assert layout.title.text, chart.key
        assert chart.caption, chart.key
        axes = {k: v for k, v in layout.to_plotly_json().items()
                if k.startswith(("xaxis", "yaxis"))}
        y_titles = [v.get("title", {}).get("text") for k, v in axes.items()
                    if k.startswith("yaxis")]
        assert y_titles and all(t and re.search(r"\[.+\]", t) for t in y_titles), chart.key
        assert any(v.get("title", {}).get("text") for k, v in axes.items()
                   if k.startswith("xaxis")), chart.key


def test_warnings_on_the_stoke_default(results_dir):
    ds = load_results(results_dir)
    warnings = " ".join(report_warnings(ds, scenario_of(ds)))
    # at 24 h steps the default overshoots the target: it does not bind
    assert "not binding" in warnings
    assert "24-hour steps" in warnings


def with_target(ds: xr.Dataset, **target) -> xr.Dataset:
    scenario = scenario_of(ds)
    spec = scenario["targets"]["renewable_generation"]
    spec.update(baseline_mwh_per_year=None, baseline_gwh_per_year=None)
    spec.update(target)
    base = spec["baseline_mwh_per_year"] or spec["baseline_gwh_per_year"] * 1000
    out = ds.copy()
    out.attrs = {**ds.attrs, "scenario_yaml": yaml.safe_dump(scenario),
                 "renewable_target_mwh_per_year": base * spec["multiplier"]}
    return out


def test_warns_of_a_target_existing_assets_meet_and_a_tiny_baseline(results_dir):
    ds = with_target(load_results(results_dir), baseline_mwh_per_year=28, multiplier=3)
    warnings = report_warnings(ds, scenario_of(ds))
    assert any("already met by existing assets" in w for w in warnings)
    assert any("28 MWh/yr" in w and "check the unit" in w for w in warnings)


def test_no_false_alarm_for_a_city_scale_target(results_dir):
    # 28 GWh x 3 is more than the existing 32 MW of rooftop PV makes
    ds = load_results(results_dir)
    warnings = " ".join(report_warnings(ds, scenario_of(ds)))
    assert "existing assets" not in warnings and "check the unit" not in warnings


def test_optional_sections_appear_with_their_data(results_dir):
    ds = load_results(results_dir)
    for name in [v for v in ds.data_vars if "fuel_poverty" in v or "lifted" in v]:
        ds = ds.drop_vars(name)  # the fuel-poverty results, whatever the run gave
    ds.attrs.pop("households_lifted_out_of_fuel_poverty", None)
    ds["households_lifted"] = ("zone", [100.0, 200, 300, 400, 500, 600])
    ds["heat_pump_share"] = ("zone", [0.1] * 6)  # lifted by heat pumps, which count as built
    ds["data_centre_load_mw"] = ("time", [50.0] * ds.sizes["time"])
    ds["data_centre_load_mw"].attrs["units"] = "MW"
    ds.attrs["data_centre_electricity_mwh_per_year"] = 50.0 * 8760
    page, tables = build_report(ds)
    found = headlines(page)
    assert float(found["headline-households_lifted_out_of_fuel_poverty"]["data-value"]) == 2100
    assert tables["fuel_poverty_by_zone"]["households_lifted"].sum() == 2100
    assert found["headline-server_centre"]["text"] != NOT_MODELLED
    assert 'id="chart-fuel_poverty"' in page and 'id="server-centre"' in page
    centre = tables["server_centre"].set_index("figure")["value"]
    assert centre["data_centre_load_mwh_per_year"] == pytest.approx(50 * 8760)
    assert float(found["headline-server_centre"]["data-value"]) == pytest.approx(50 * 8.76)


def test_failed_write_leaves_nothing_behind(results_dir, tmp_path, monkeypatch):
    def boom(_):
        raise RuntimeError("chart failed")

    monkeypatch.setattr(report_charts, "storage_chart", boom)
    out = tmp_path / "elsewhere" / "plan.html"
    with pytest.raises(RuntimeError):
        write_report(results_dir, out)
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


def test_report_command(results_dir, tmp_path, capsys):
    parser = argparse.ArgumentParser()
    add_report_parser(parser.add_subparsers(dest="command", required=True))
    out = tmp_path / "plan.html"
    args = parser.parse_args(["report", str(results_dir), "--out", str(out)])
    assert args.func(args) == 0
    assert out.is_file() and (tmp_path / "plan_data" / "capacities.csv").is_file()
    assert "plan.html" in capsys.readouterr().out
    with pytest.raises(report_module.EnergyModelError, match="no results.nc"):
        write_report(tmp_path)


def chromium(*args: str, user_dir: Path, timeout_s: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={user_dir}", *args],
        capture_output=True, text=True, timeout=timeout_s, check=False)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package "
                                             "'chromium'); the browser check needs it")
def test_report_renders_in_a_browser(results_dir, report_path, tmp_path):
    url = report_path.resolve().as_uri()
    dom = chromium("--virtual-time-budget=5000", "--dump-dom", url, user_dir=tmp_path / "a")
    assert dom.returncode == 0, dom.stderr[-2000:]
    page = dom.stdout
    # every chart's div was drawn by plotly: its own SVG before the next chart begins
    starts = [(m.start(), m.group(1)) for m in re.finditer(r'<div id="chart-(\w+)"', page)]
    assert [key for _, key in starts] == chart_keys(load_results(results_dir))
    ends = [pos for pos, _ in starts[1:]] + [len(page)]
    for (start, key), end in zip(starts, ends, strict=True):
        assert 'class="main-svg"' in page[start:end], f"chart {key} was not drawn"
    ds = xr.load_dataset(results_dir / "results.nc")
    found = headlines(page)
    assert float(found["headline-co2_t_per_year"]["data-value"]) == ds.attrs["co2_t_per_year"]
    assert f"{ds.attrs['total_cost_gbp_per_year'] / 1e6:,.1f}m" in page

    shot = results_dir / "report.png"
    done = chromium(f"--screenshot={shot}", "--window-size=1280,4000", url,
                    user_dir=tmp_path / "b")
    assert done.returncode == 0 and shot.stat().st_size > 10_000, done.stderr[-2000:]
    # what a reader sees: the cards, the verdict, the limits, the sourced assumptions; no
    # NaN, no "e-07", no code names outside code
    text = page_checks(report_path, tmp_path / "c", [
        "Local renewable generation counted towards the target", "Are we on track?",
        "What limits this plan", "Limits that bind, most valuable first",
        "assumptions that move the plan most", "Progress towards the target, year by year",
        "Heat network and zones", "Data for spreadsheets"])
    assert "DOMAIN.md" not in text


def test_a_coarse_report_does_not_call_storage_too_expensive(results_dir, report_path):
    """At 24 h the report warns that batteries are understated; it must not also say they
    are too expensive for what they add."""
    page = report_path.read_text(encoding="utf-8")
    assert "batteries and peak import are understated" in page
    for sentence in re.findall(r"Not built at all: [^.]*\.", page):
        assert "battery" not in sentence and "thermal store" not in sentence
    ds = load_results(results_dir)
    if float(as_built(ds)["capacity"].sel(technology="battery_energy")) == 0:
        assert "cannot see the swings within a day that storage earns from" in page


def test_the_page_checker_finds_what_a_reader_should_not_see():
    from browser import page_problems, visible_text

    text = visible_text("<p>cost 4.45e-07 GBP/yr, share nan, heat_demand_mwh_per_year</p>"
                        "<code>technologies.wind.potential_mw</code><script>a_b = 1</script>")
    problems = page_problems(text)
    assert len(problems) == 3 and "potential_mw" not in " ".join(problems)


def test_no_figure_below_the_build_thresholds_appears_as_built(results_dir, report_path):
    from energy_model.built import BUILT_HOMES, BUILT_MW, BUILT_MWH_PER_YEAR

    data = report_path.parent / "report_data"
    pipes = pd.read_csv(data / "pipes.csv")
    assert (pipes["new_capacity_mw"].eq(0) | pipes["new_capacity_mw"].ge(BUILT_MW)).all()
    unbuilt = pipes["capacity_mw"] < BUILT_MW
    assert pipes.loc[unbuilt, "dn_mm"].isna().all()
    assert (pipes.loc[unbuilt, "heat_sent_mwh_per_year"] == 0).all()
    assert set(pipes.loc[unbuilt, "status"]) <= {"not built"}
    zones = pd.read_csv(data / "zones.csv")
    for share in ("heat_pump_share", "heat_network_share"):
        homes = zones[share] * zones["households"]
        assert (homes.eq(0) | homes.ge(BUILT_HOMES)).all(), share
    delivered = zones["network_heat_delivered_mwh_per_year"]
    assert (delivered.eq(0) | delivered.ge(BUILT_MWH_PER_YEAR)).all()
    if "households_lifted" in zones:
        assert all(float(v).is_integer() for v in zones["households_lifted"])
        idle = (zones["heat_pump_share"] == 0) & (zones["heat_network_share"] == 0)
        retrofit = as_built(load_results(results_dir))["retrofit_share"].to_numpy()
        assert (zones.loc[idle & (retrofit == 0), "households_lifted"] == 0).all()
    capacities = pd.read_csv(data / "capacities.csv")
    new = capacities["new_capacity"]
    assert (new.eq(0) | new.ge(BUILT_MW)).all()
    # the text summary reads the same: no pipe with a catalogue size and no capacity
    summary = (results_dir / "summary.txt").read_text(encoding="utf-8")
    for line in summary.split("Heat network pipes")[-1].split("\n\n")[0].splitlines()[1:]:
        cells = line.split()
        if cells and cells[-4] == "0.0":  # no capacity: no size, no heat
            assert cells[-2] == "-" and cells[-1] == "0.0", line


def test_assumptions_carry_their_own_sources_and_the_ten_that_matter_first(results_dir):
    ds = load_results(results_dir)
    scenario = scenario_of(ds)
    raw = yaml.safe_load(ds.attrs["scenario_yaml"])
    top, rest, rule = report_module.ranked_assumptions(ds, scenario, raw)
    assert 0 < len(top) <= 10 and "1 %" in rule
    moved = top["cost_moved_by_1pct_gbp_per_year"].to_numpy()
    assert list(moved) == sorted(moved, reverse=True)
    table = pd.concat([top, rest]).set_index("key")["source"]
    catalogue = table["technologies.rooftop_pv.lifetime_years"]
    # the city's existing rooftop PV is not "sourced" to the cost catalogue
    assert table["technologies.rooftop_pv.existing_capacity_mw"] != catalogue
    assert table["technologies.rooftop_pv.build_rate_mw_per_year"].startswith("MCS")
    assert "Ofgem" not in table["grid.co2_t_per_mwh"]
    assert not any("DOMAIN" in str(s) for s in table)
