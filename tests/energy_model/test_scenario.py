"""Loading scenarios: extends, and every problem named with its file and key path."""

import textwrap

import pytest

from energy_model.errors import ScenarioError
from energy_model.scenario import list_scenarios, load_scenario


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


MINIMAL = """
    name: small
    grid: {import_price_gbp_per_mwh: 100}
    zones:
      A: {households: 10, domestic_electricity_mwh_per_year: 27, domestic_heat_mwh_per_year: 0}
    technologies:
      ground_pv: {capex_gbp_per_kw: 600, lifetime_years: 40, existing_capacity_mw: 1}
"""


def test_builtin_stoke_scenario_loads():
    s = load_scenario("stoke-2030")
    assert set(s.zones) == {"Tunstall", "Burslem", "Hanley", "Stoke", "Fenton", "Longton"}
    assert sum(z.households for z in s.zones.values()) == 116_000
    assert s.targets.renewable_generation.target_mwh_per_year == 84_000
    assert s.technologies.energy_from_waste.capacity_mw == 15.4
    assert "stoke-2030" in [name for name, _ in list_scenarios()]
    # the shared technology file is not a scenario on its own
    assert "technologies-2030" not in [name for name, _ in list_scenarios()]


def test_extends_overrides_only_what_it_names(tmp_path):
    write(tmp_path, "base.yaml", MINIMAL)
    child = write(tmp_path, "child.yaml", """
        extends: base.yaml
        name: child
        technologies:
          ground_pv: {potential_mw: 5}
    """)
    s = load_scenario(child)
    assert s.name == "child"
    assert s.technologies.ground_pv.potential_mw == 5
    assert s.technologies.ground_pv.capex_gbp_per_kw == 600
    assert s.zones["A"].households == 10


def test_extends_a_builtin_name_from_a_users_folder(tmp_path):
    """``extends: stoke-2030-server-25mw`` works from any folder, as a sweep's ``base:`` does;
    a file of that name beside the scenario would win."""
    child = write(tmp_path, "mine.yaml", """
        extends: stoke-2030-server-25mw
        name: mine
    """)
    s = load_scenario(child)
    assert s.name == "mine"
    assert s.data_centre is not None and s.data_centre.it_load_mw == 25
    missing = write(tmp_path, "bad.yaml", "extends: stoke-2099\nname: bad\n")
    with pytest.raises(ScenarioError, match=r"extends: 'stoke-2099' is neither a file beside"):
        load_scenario(missing)


def test_all_problems_in_one_message_with_key_paths(tmp_path):
    path = write(tmp_path, "bad.yaml", """
        name: bad
        grid: {import_price_gbp_per_mwh: 100}
        zones:
          A: {households: 10, domestic_electricity_mwh_per_year: 27,
              domestic_heat_mwh_per_year: 0}
        technologies:
          ground_pv: {capex_gbp_per_kw: 600, lifetime_years: 40, existing_capacity_mw: -1}
          wind: {capex: 1200, lifetime_years: 30}
          battery: {energy_capex_gbp_per_kwh: 1, power_capex_gbp_per_kw: 1,
                    energy_lifetime_years: 10, power_lifetime_years: 10,
                    charge_efficiency: 1.2}
    """)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    msg = str(info.value)
    assert str(path) in msg
    assert "technologies.ground_pv.existing_capacity_mw" in msg
    assert "technologies.wind.capex" in msg and "capex_gbp_per_kw" in msg
    assert "technologies.wind.capex_gbp_per_kw: required key is missing" in msg
    assert "technologies.battery.charge_efficiency" in msg
    assert len(info.value.problems) == 4


def test_potential_below_existing_is_refused(tmp_path):
    path = write(tmp_path, "p.yaml", MINIMAL.replace("existing_capacity_mw: 1",
                                                     "existing_capacity_mw: 5, potential_mw: 2"))
    with pytest.raises(ScenarioError, match=r"technologies\.ground_pv: potential 2.0 is below"):
        load_scenario(path)


def test_target_needs_exactly_one_baseline_unit(tmp_path):
    path = write(tmp_path, "t.yaml", MINIMAL + """
    targets:
      renewable_generation: {baseline_mwh_per_year: 28, baseline_gwh_per_year: 28}
    """)
    with pytest.raises(ScenarioError, match="exactly one of baseline_mwh_per_year"):
        load_scenario(path)


@pytest.mark.parametrize("text, expected", [
    ("name: [unclosed", "malformed YAML at line 1"),
    ("", "the file is empty"),
    ("- a\n- b\n", "top level is a list"),
])
def test_unreadable_files(tmp_path, text, expected):
    path = write(tmp_path, "x.yaml", text)
    with pytest.raises(ScenarioError, match=expected):
        load_scenario(path)


def test_missing_file_and_cycle(tmp_path):
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "nope.yaml")
    write(tmp_path, "a.yaml", "extends: b.yaml\nname: a\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(tmp_path / "a.yaml")


def test_heat_demand_without_any_way_to_meet_it(tmp_path):
    path = write(tmp_path, "h.yaml", MINIMAL.replace("domestic_heat_mwh_per_year: 0",
                                                     "domestic_heat_mwh_per_year: 100"))
    with pytest.raises(ScenarioError, match="no way to meet it"):
        load_scenario(path)
