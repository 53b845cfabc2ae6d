"""Progress towards the renewable target: reading an officer's CSV strictly, and the table."""

import argparse
import math
from pathlib import Path

import pandas as pd
import pytest
from browser import page_checks

from energy_model.commands import add_progress_parser
from energy_model.errors import EnergyModelError
from energy_model.progress import (
    ProgressError,
    format_progress,
    growth_needed,
    progress_chart,
    progress_sentence,
    progress_table,
    progress_verdict,
    read_actuals,
)

DATA = Path(__file__).parent / "data"
STOKE_ACTUALS = Path(__file__).parents[2] / "scenarios" / "stoke-actuals.csv"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "actuals.csv"
    path.write_text(text, encoding="utf-8")
    return path


def stoke_table(actuals: pd.DataFrame, planned=None) -> pd.DataFrame:
    return progress_table(actuals, baseline_year=2023, baseline_mwh=28_000, target_mwh=84_000,
                          target_year=2030, planned=planned)


def test_on_track_and_behind_years():
    actuals = read_actuals(DATA / "actuals_on_track_and_behind.csv")
    assert list(actuals.index) == [2023, 2024, 2025]
    # GWh in the file, MWh once read; an empty capacity cell is unknown, not zero
    assert actuals["renewable_generation_mwh"].tolist() == [28_000, 40_000, 42_000]
    assert math.isnan(actuals.loc[2025, "capacity_mw/rooftop_pv"])

    table = stoke_table(actuals)
    assert list(table.index) == list(range(2023, 2031))
    # straight line: 28 GWh in 2023 to 84 GWh in 2030 is 8 GWh a year
    assert table.loc[2024, "straight_line_mwh"] == pytest.approx(36_000)
    assert table.loc[2030, "straight_line_mwh"] == pytest.approx(84_000)
    assert table.loc[2024, "gap_mwh"] == pytest.approx(4_000)
    assert table.loc[2025, "gap_mwh"] == pytest.approx(-2_000)
    assert table.loc[2024, "status"] == "on track"
    assert table.loc[2025, "status"] == "behind"
    # from 42 GWh in 2025, doubling in five years needs 2^(1/5) - 1 a year
    assert table.loc[2025, "growth_needed_fraction_per_year"] == pytest.approx(2 ** 0.2 - 1)
    assert math.isnan(table.loc[2027, "actual_mwh"])

    text = format_progress(table)
    assert "behind" in text and "on track" in text
    assert f"{2 ** 0.2 - 1:.1%}" in text
    assert "2025: 42.0 GWh, 2.0 GWh behind the target's straight line (44.0 GWh)" in text


def test_planned_trajectory_is_interpolated_from_the_baseline():
    actuals = read_actuals(DATA / "actuals_on_track_and_behind.csv")
    table = stoke_table(actuals, planned={2030: 98_000})
    assert table.loc[2023, "planned_mwh"] == pytest.approx(28_000)
    assert table.loc[2030, "planned_mwh"] == pytest.approx(98_000)
    assert table.loc[2027, "planned_mwh"] == pytest.approx(28_000 + 4 * 10_000)


def test_target_reached_needs_no_growth(tmp_path):
    actuals = read_actuals(write(tmp_path, "year,renewable_generation_gwh\n2023,28\n2024,90\n"))
    table = stoke_table(actuals)
    assert table.loc[2024, "status"] == "target reached"
    assert table.loc[2024, "growth_needed_fraction_per_year"] == 0.0
    assert growth_needed(10.0, 20.0, 0) != growth_needed(10.0, 20.0, 0)  # NaN: no time left


def test_missing_year_is_named_by_line():
    with pytest.raises(ProgressError) as err:
        read_actuals(DATA / "actuals_missing_year.csv")
    message = str(err.value)
    assert "line 5: year 2026 follows 2024" in message  # line 1 comment, line 2 header
    assert "missing 2025" in message
    assert isinstance(err.value, EnergyModelError)


def test_unit_unstated_is_refused(tmp_path):
    path = write(tmp_path, "year,renewable_generation\n2023,28\n")
    with pytest.raises(ProgressError, match="line 1: column 'renewable_generation': unit "
                                            "unstated"):
        read_actuals(path)
    with pytest.raises(ProgressError, match="capacity_mw/<technology>"):
        read_actuals(write(tmp_path, "year,renewable_generation_mwh,capacity/pv\n2023,1,2\n"))


def test_negative_value_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, "# kept by the energy team\nyear,renewable_generation_gwh\n"
                           "2023,28\n2024,-3\n")
    with pytest.raises(ProgressError, match=r"line 4: renewable_generation_gwh is negative"):
        read_actuals(path)


def test_every_bad_row_in_one_message(tmp_path):
    path = write(tmp_path, "year,renewable_generation_mwh,capacity_mw/wind\n"
                           "2023,28000,0\n2024,lots,0\n2024,31000,-1\n2025,,0\n")
    with pytest.raises(ProgressError) as err:
        read_actuals(path)
    problems = err.value.problems
    assert problems == [
        "line 3: renewable_generation_mwh 'lots' is not a number",
        "line 4: year 2024 already given on line 3",
        "line 5: renewable_generation_mwh is empty for 2025",
    ]


def test_example_stoke_actuals_reads(capsys):
    actuals = read_actuals(STOKE_ACTUALS)
    assert actuals.loc[2023, "renewable_generation_mwh"] == 28_000
    assert actuals.loc[2024, "note"] == "illustrative"


def test_chart_has_title_and_axis_units():
    table = stoke_table(read_actuals(DATA / "actuals_on_track_and_behind.csv"),
                        planned={2030: 98_000})
    fig = progress_chart(table)
    assert fig.layout.title.text
    assert fig.layout.yaxis.title.text == "renewable generation [GWh/yr]"
    names = [t.name for t in fig.data]
    assert names[:3] == ["target's straight line", "plan's path (model)", "actual"]
    # every coloured marker has its own legend entry: 2024 on track, 2025 behind the plan
    markers = {t.name: list(t.x) for t in fig.data if t.mode == "markers"}
    assert markers == {"actual: on track": [2023, 2024],
                       "actual: behind the plan or the target's line": [2025]}
    assert all(t.showlegend is not False for t in fig.data)


def test_sentence_against_the_plan_and_the_target():
    table = stoke_table(read_actuals(DATA / "actuals_on_track_and_behind.csv"),
                        planned={2030: 98_000})
    assert table.loc[2024, "status"] == "on track"  # 40 against 38 (plan) and 36 (line)
    assert table.loc[2025, "status"] == "behind"  # 42 against 48 (plan) and 44 (line)
    plan_growth = (98 / 42) ** 0.2 - 1
    assert progress_sentence(table) == (
        "2025: 42.0 GWh, 6.0 GWh behind the plan's path (48.0 GWh) and 2.0 GWh behind the "
        f"target's straight line (44.0 GWh); to reach the plan's 98.0 GWh by 2030 needs "
        f"{plan_growth:.1%} growth a year; to reach the target's 84.0 GWh by 2030 needs "
        f"{2 ** 0.2 - 1:.1%} a year, compounded.")
    assert progress_verdict(table) == ("behind", "2025: 42.0 GWh, 6.0 GWh behind the plan's path")
    between = stoke_table(read_actuals(DATA / "actuals_on_track_and_behind.csv"),
                          planned={2030: 140_000})  # the plan's path at 2024: 44 GWh
    assert between.loc[2024, "status"] == "behind the plan"


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    add_progress_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_with_explicit_target(tmp_path, capsys):
    out = tmp_path / "progress"
    code = run_cli(["progress", str(DATA / "actuals_on_track_and_behind.csv"),
                    "--target-year", "2030", "--baseline-year", "2023", "--baseline-gwh", "28",
                    "--multiplier", "3", "--out", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "target 84.0 GWh/yr by 2030" in printed
    table = pd.read_csv(out / "progress.csv", index_col="year")
    assert table.loc[2025, "status"] == "behind"
    page = (out / "progress.html").read_text()
    assert "<script" not in page and 'id="headline-progress">behind<' in page
    assert "2025: 42.0 GWh, 2.0 GWh behind the target&#x27;s straight line" in page
    assert len(page) < 300_000
    page_checks(out / "progress.html", tmp_path / "chromium", [
        "Are we on track?", "2025: 42.0 GWh, 2.0 GWh behind the target's straight line",
        "growth a year needed for the target"])


def test_cli_takes_the_target_from_a_scenario(capsys):
    code = run_cli(["progress", str(DATA / "actuals_on_track_and_behind.csv"),
                    "--target-year", "2030", "--scenario", "stoke-2030"])
    assert code == 0
    assert "baseline 28.0 GWh/yr in 2023, target 84.0 GWh/yr by 2030" in capsys.readouterr().out


def test_cli_refuses_a_target_without_multiplier():
    with pytest.raises(ProgressError, match="--multiplier"):
        run_cli(["progress", str(DATA / "actuals_on_track_and_behind.csv"),
                 "--target-year", "2030"])
