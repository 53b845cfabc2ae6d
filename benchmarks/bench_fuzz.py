"""Fuzz the command line with bad inputs: how many give a traceback, a hang or a wrong success.

Run: ``python benchmarks/bench_fuzz.py [--n 5000] [--workers 2] [--seed 0] [--timeout 60]``.

Inputs are generated in classes (scenario files, heat-network GeoJSON, weather files,
time-series CSVs, sweep files, actuals CSVs and ``progress`` arguments, damaged results
folders, output folders, and cheap runs of odd but possibly valid scenarios at a 48 h
horizon), each written into a folder of its own, and run through the real command line
(``energy_model.cli.main`` with the arguments a user would type) in worker processes that
cap each input's time (``--timeout``) and memory (4 GB). Every input is counted as one of:

clean
    exit 2 with a message starting ``error:`` (or exit 0/3 where success is allowed);
traceback
    an exception escaped ``main`` (or the worker died);
hang
    the input ran past the timeout;
wrong success
    exit 0 for an input that must be refused, or a user's file lost to ``--force``.

The figures printed at the end are the issue's measure: zero of the last three.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's code, whatever is installed
STOKE = ROOT / "scenarios" / "stoke-2030.yaml"
GEOJSON = ROOT / "scenarios" / "stoke-network.geojson"
TINY = {
    "name": "tiny",
    "time": {"horizon_hours": 48, "resolution_h": 24},
    "grid": {"import_price_gbp_per_mwh": 100.0, "co2_t_per_mwh": 0.2},
    "gas": {"price_gbp_per_mwh": 50.0},
    "zones": {"A": {"households": 100, "domestic_electricity_mwh_per_year": 876.0,
                    "domestic_heat_mwh_per_year": 1000.0, "max_heat_pump_share": 0.5,
                    "fuel_poor_households": 10, "max_retrofit_share": 0.2}},
    "technologies": {
        "ground_pv": {"capex_gbp_per_kw": 600.0, "lifetime_years": 25, "potential_mw": 5.0},
        "battery": {"energy_capex_gbp_per_kwh": 200.0, "power_capex_gbp_per_kw": 100.0,
                    "energy_lifetime_years": 15, "power_lifetime_years": 15},
        "individual_gas_boiler": {"capex_gbp_per_kw": 100.0, "lifetime_years": 15,
                                  "efficiency": 0.9},
        "individual_heat_pump": {"capex_gbp_per_kw": 800.0, "lifetime_years": 20},
        "retrofit": {"capex_gbp_per_household": 10000.0, "heat_saving_fraction": 0.25,
                     "lifetime_years": 30},
    },
}
# Replacements of a number that no numeric field may take.
NOT_NUMBERS = [".inf", "-.inf", ".nan", "1e400", "'abc'", "[]", "{}", "1e13", "[1, 2]"]


@dataclass
class Case:
    """One generated input: the arguments and whether success would be wrong."""

    key: str
    kind: str
    argv: list[str]
    must_fail: bool
    keep: str = ""  # a user's file that must survive
    files: dict[str, str] = field(default_factory=dict)


def _yaml(data) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False)


def _leaves(node, prefix=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*prefix, k))
    else:
        yield prefix, node


def _set(data, path, value):
    node = data
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value


def _copy(data):
    return copy.deepcopy(data)  # YAML may hold dates (contract_end_date), which JSON cannot


def _weather_text() -> str:
    """A plain-CSV weather year that reads: a sunny day every day, 8 degC, 5 m/s."""
    import pandas as pd

    index = pd.date_range("2030-01-01", periods=8760, freq="h", tz="UTC")
    rows = "".join(f"{t},{max(0.0, 400 * (1 - abs(h % 24 - 12) / 6)):.0f},8,5\n"
                   for h, t in enumerate(index.strftime("%Y-%m-%dT%H:%M%z")))
    return "# latitude: 53\n# longitude: -2.2\ntime,ghi,temp_air,wind_speed\n" + rows


def _series_text(column: str, value: float = 0.5) -> str:
    import pandas as pd

    index = pd.date_range("2030-01-01", periods=8760, freq="h", tz="UTC")
    return "time," + column + "\n" + "".join(
        f"{t},{value}\n" for t in index.strftime("%Y-%m-%dT%H:%M:%S%z"))


def generate(n: int, seed: int = 0) -> list[Case]:
    """``n`` bad inputs, spread over the classes, deterministic for a seed."""
    rng = random.Random(seed)
    import yaml

    stoke = yaml.safe_load(STOKE.read_text())
    stoke.pop("extends")
    stoke["time"] = {"horizon_hours": 48, "resolution_h": 24}
    tiny_leaves = [(p, v) for p, v in _leaves(TINY) if isinstance(v, int | float)
                   and not isinstance(v, bool)]
    stoke_leaves = [(p, v) for p, v in _leaves(stoke) if isinstance(v, int | float)
                    and not isinstance(v, bool)]
    geo = json.loads(GEOJSON.read_text())
    weather = _weather_text()
    classes = [_scenario_case, _text_case, _file_kind_case, _geojson_case, _weather_case,
               _series_case, _sweep_case, _progress_case, _output_case, _run_case]
    weights = [30, 10, 4, 12, 10, 10, 6, 8, 4, 6]
    cases = []
    for i in range(n):
        make = rng.choices(classes, weights)[0]
        case = make(rng, i, tiny_leaves=tiny_leaves, stoke_leaves=stoke_leaves, stoke=stoke,
                    geo=geo, weather=weather)
        cases.append(case)
    return cases


def _with_extends(data) -> dict:
    out = _copy(data)
    return {"extends": str(STOKE.parent / "technologies-2030.yaml"), **out}


def _scenario_case(rng, i, *, tiny_leaves, stoke_leaves, stoke, **_) -> Case:
    base, leaves = (TINY, tiny_leaves) if rng.random() < 0.6 else (stoke, stoke_leaves)
    data = _copy(base)
    if base is stoke:
        data = _with_extends(data)
        data["network"]["geojson"] = str(GEOJSON)
    action = rng.choice(["number", "number", "delete", "unknown", "name", "negative"])
    must_fail = True
    if action == "number":
        path, _ = rng.choice(leaves)
        text = _yaml(data)
        value = rng.choice(NOT_NUMBERS)
        _set(data, path, "__X__")
        text = _yaml(data).replace("__X__", value)
        return Case(f"{i}", f"scenario: {'.'.join(map(str, path))} = {value}",
                    ["validate", "s.yaml"], True, files={"s.yaml": text})
    if action == "negative":
        path, old = rng.choice(leaves)
        _set(data, path, -abs(old) - 1)
        # a few fields may be negative (temperatures, altitude)
        must_fail = not any(str(k).endswith("temp_c") for k in path)
    elif action == "delete":
        key = rng.choice(["name", "grid", "zones", "technologies"])
        data.pop(key)
    elif action == "unknown":
        mappings = [p for p, _ in _leaves(data)]
        path = rng.choice(mappings)[:-1]
        node = data
        for k in path:
            node = node[k]
        node[rng.choice(["capacity", "cost", "potential_kw", "x_typo"])] = 1.0
    else:
        data["name"] = rng.choice(["..", "../escape", "/abs", "", ".", "a/b", ".hidden", " x",
                                   "a\\b", "a:b", "x" * 101, "a\nb"])
    return Case(f"{i}", f"scenario: {action}", ["validate", "s.yaml"], must_fail,
                files={"s.yaml": _yaml(data)})


def _text_case(rng, i, **_) -> Case:
    text = _yaml(TINY)
    kind = rng.choice(["deep", "laughs", "cycle", "duplicate", "utf16", "latin1", "bytes",
                       "empty", "list", "extends-many", "extends-cycle", "tabs"])
    files: dict[str, str | bytes] = {}
    if kind == "deep":
        depth = rng.choice([60, 500, 5000])
        text = text + "network:\n  x: " + "[" * depth + "]" * depth + "\n"
    elif kind == "laughs":
        lines = ["network:", "  l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
        for k in range(1, rng.choice([7, 9, 12])):
            lines.append(f"  l{k}: &l{k} [" + ", ".join([f"*l{k - 1}"] * 10) + "]")
        text = text + "\n".join(lines) + "\n"
    elif kind == "cycle":
        text = text + "network: &a {x: *a}\n"
    elif kind == "duplicate":
        text = text + rng.choice(["name: again\n", "grid: {import_price_gbp_per_mwh: 1}\n"])
    elif kind == "utf16":
        files["s.yaml"] = text.encode("utf-16")
    elif kind == "latin1":
        files["s.yaml"] = ("# café\n" + text).encode("latin-1")
    elif kind == "bytes":
        files["s.yaml"] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
    elif kind == "empty":
        text = ""
    elif kind == "list":
        text = "- a\n- b\n"
    elif kind == "extends-many":
        text = "extends: [" + ", ".join(["p.yaml"] * rng.choice([60, 2000])) + "]\n"
        files["p.yaml"] = "name: p\n"
    elif kind == "extends-cycle":
        text = "extends: p.yaml\nname: s\n"
        files["p.yaml"] = "extends: s.yaml\n"
    else:
        text = text.replace("  ", "\t", 1)
    files.setdefault("s.yaml", text)
    return Case(f"{i}", f"text: {kind}", ["validate", "s.yaml"], True, files=files)


def _file_kind_case(rng, i, **_) -> Case:
    where = rng.choice(["scenario", "extends", "weather", "timeseries", "geojson", "actuals"])
    kind = rng.choice(["fifo", "/dev/zero", "folder", "missing"])
    target = {"fifo": "FIFO:thing", "/dev/zero": "/dev/zero", "folder": ".",
              "missing": "absent.csv"}[kind]
    path = "thing" if kind == "fifo" else target
    files = {"thing": "FIFO"} if kind == "fifo" else {}
    tiny = _copy(TINY)
    if where == "scenario":
        return Case(f"{i}", f"file: {kind} as {where}", ["validate", path], True, files=files)
    if where == "actuals":
        return Case(f"{i}", f"file: {kind} as {where}",
                    ["progress", path, "--target-year", "2030", "--baseline-mwh", "1",
                     "--multiplier", "2"], True, files=files)
    if where == "extends":
        text = f"extends: {path}\n" + _yaml(tiny)
    elif where == "weather":
        tiny["weather"] = {"source": path}
        text = _yaml(tiny)
    elif where == "timeseries":
        tiny["timeseries"] = {"import_price_gbp_per_mwh": path}
        text = _yaml(tiny)
    else:
        tiny["network"] = {"geojson": path}
        text = _yaml(tiny)
    files["s.yaml"] = text
    return Case(f"{i}", f"file: {kind} as {where}", ["validate", "s.yaml"], True, files=files)


def _geojson_case(rng, i, *, geo, stoke, **_) -> Case:
    data = _copy(geo)
    features = data["features"]
    feature = rng.choice(features)
    props = feature["properties"]
    is_pipe = feature["geometry"]["type"] == "LineString"
    kind = rng.choice(["property", "property", "coordinates", "structure", "text"])
    must_fail = True
    text = None
    if kind == "property":
        key = rng.choice(["length_km", "existing_capacity_mw", "max_capacity_mw", "start",
                          "end", "candidate"] if is_pipe else ["kind", "technologies", "name"])
        value = rng.choice(["__INF__", "__NAN__", -1, "x", [], {}, None, 1e308, ["a"], True])
        props[key] = value
        # null is fine for a maximum or a length (then measured along the line)
        must_fail = not (value is None and key in ("max_capacity_mw", "length_km"))
        if key == "candidate" and value is True:
            must_fail = False
        if key == "technologies" and value in ([], None, {}):
            must_fail = False
        if key == "max_capacity_mw" and value == 1e308:
            must_fail = True
        if key == "length_km" and value is True:
            must_fail = True
    elif kind == "coordinates":
        props.pop("length_km", None)
        feature["geometry"]["coordinates"] = rng.choice([
            [["__NAN__", 53], [-2.1, 53]], [[500, 53], [-2.1, 53]], [[-2, 95], [-2, 53]],
            [[-2, 53]], "x", [[-2, "53"], [-2.1, 53]], [["__INF__", 53], [-2, 53]]]) \
            if is_pipe else rng.choice([["__NAN__", 53], [200, 0], [], "x", [1]])
    elif kind == "structure":
        choice = rng.choice(["no-features", "not-collection", "duplicate", "deep", "list"])
        if choice == "no-features":
            data.pop("features")
        elif choice == "not-collection":
            data["type"] = "Feature"
        elif choice == "duplicate":
            features.append(_copy(feature))
        elif choice == "deep":
            text = '{"type": "FeatureCollection", "features": ' + "[" * 50_000 + "]" * 50_000 \
                   + "}"
        else:
            text = "[]"
    else:
        text = rng.choice(["", "{", "not json", '{"type": "FeatureCollection", "features": '
                           '[{"geometry": null}]}'])
    if text is None:
        text = json.dumps(data).replace('"__INF__"', "1e400").replace('"__NAN__"', "NaN")
    scenario = _with_extends(stoke)
    scenario["network"]["geojson"] = "net.geojson"
    return Case(f"{i}", f"geojson: {kind}", ["validate", "s.yaml"], must_fail,
                files={"s.yaml": _yaml(scenario), "net.geojson": text})


def _weather_case(rng, i, *, weather, **_) -> Case:
    tiny = _copy(TINY)
    tiny["weather"] = {"source": "w.csv"}
    lines = weather.splitlines(keepends=True)
    kind = rng.choice(["header", "value", "column", "encoding", "rows", "pvgis"])
    must_fail = True
    files: dict[str, str | bytes] = {}
    if kind == "header":
        key = rng.choice(["latitude", "longitude", "wind_height_m", "altitude"])
        value = rng.choice(["1000", "-10", "nan", "inf", "x", "1e400", "-91", "0"])
        header = {"latitude": "53", "longitude": "-2.2", key: value}
        wrong_anywhere = value in ("nan", "inf", "x", "1e400")
        must_fail = wrong_anywhere or value in {
            "latitude": ("1000", "-91"), "longitude": ("1000",), "altitude": (),
            "wind_height_m": ("1000", "-10", "-91", "0")}[key]
        text = "".join(f"# {k}: {v}\n" for k, v in header.items()) + "".join(lines[2:])
    elif kind == "value":
        row = rng.randrange(3, len(lines))
        parts = lines[row].rstrip("\n").split(",")
        col = rng.randrange(1, 4)
        parts[col] = rng.choice(["inf", "-inf", "1e400", "x", "-500", "9999", "[]"])
        lines[row] = ",".join(parts) + "\n"
        text = "".join(lines)
    elif kind == "column":
        text = "".join(lines).replace(rng.choice(["ghi", "temp_air", "wind_speed", "time"]),
                                      "other", 1)
    elif kind == "encoding":
        files["w.csv"] = ("# name: Café\n" + "".join(lines[:200])).encode("latin-1")
        text = ""
    elif kind == "rows":
        text = rng.choice(["".join(lines[:3]), "", "".join(lines[:100])])
    else:
        tiny["weather"] = {"source": "w.json"}
        files["w.json"] = rng.choice(["[1, 2]", "{}", '{"outputs": []}', "null",
                                      "[" * 20_000 + "]" * 20_000, '{"inputs": 1}'])
        text = ""
    files.setdefault("w.csv", text)
    files["s.yaml"] = _yaml(tiny)
    return Case(f"{i}", f"weather: {kind}", ["validate", "s.yaml"], must_fail, files=files)


def _series_case(rng, i, **_) -> Case:
    tiny = _copy(TINY)
    key, column = rng.choice([("import_price_gbp_per_mwh", "import_price_gbp_per_mwh"),
                              ("capacity_factor", "ground_pv"), ("heat_demand_mw", "A"),
                              ("electricity_demand_mw", "A")])
    tiny["timeseries"] = {key: "t.csv"}
    lines = _series_text(column).splitlines(keepends=True)
    kind = rng.choice(["value", "value", "header-only", "no-time", "duplicate", "missing",
                       "no-offset", "unknown-column", "encoding"])
    if kind == "value":
        row = rng.randrange(1, len(lines))
        value = rng.choice(["inf", "1e400", "-1", "x", "", "nan"]
                           + (["5.0", "1.5"] if key == "capacity_factor" else []))
        stamp = lines[row].split(",")[0]
        lines[row] = f"{stamp},{value}\n"
        text = "".join(lines)
    elif kind == "header-only":
        text = lines[0]
    elif kind == "no-time":
        text = "".join(lines).replace("time,", "when,", 1)
    elif kind == "duplicate":
        text = "".join(lines[:5] + lines[4:])
    elif kind == "missing":
        text = "".join(lines[:-10])
    elif kind == "no-offset":
        text = "".join(lines).replace("+0000", "")
    elif kind == "unknown-column":
        text = "".join(lines).replace(column, "other", 1)
    else:
        return Case(f"{i}", f"series: {kind}", ["validate", "s.yaml"], True,
                    files={"s.yaml": _yaml(tiny),
                           "t.csv": ("time,é\n" + "".join(lines[1:50])).encode("latin-1")})
    return Case(f"{i}", f"series: {key} {kind}", ["validate", "s.yaml"], True,
                files={"s.yaml": _yaml(tiny), "t.csv": text})


def _sweep_case(rng, i, **_) -> Case:
    kind = rng.choice(["inf", "count", "path", "name", "case-name", "sample", "empty"])
    sweep: dict = {"name": "sw", "base": str(STOKE),
                   "fixed": {"time.horizon_hours": 48, "time.resolution_h": 24}}
    if kind == "inf":
        sweep["grid"] = {"grid.import_price_gbp_per_mwh": [100, "__X__"]}
    elif kind == "count":
        sweep["grid"] = {p: list(range(1, 41)) for p in (
            "zones.Hanley.households", "zones.Stoke.households", "zones.Fenton.households",
            "zones.Longton.households")}
    elif kind == "path":
        sweep["grid"] = {"grid.import_price_gbp_per_mwh_typo": [1, 2]}
    elif kind == "name":
        sweep["name"] = rng.choice(["..", "../x", "/abs", ".h"])
        sweep["grid"] = {"finance.discount_rate": [0.03]}
    elif kind == "case-name":
        sweep["cases"] = [{"name": rng.choice(["../x", "a/b", ".."]), "updates": {}}]
    elif kind == "sample":
        sweep["sample"] = {"n": rng.choice([2, 10**7]),
                           "ranges": {"finance.discount_rate": [0, "__X__"]}}
    else:
        sweep["grid"] = {}
    text = _yaml(sweep).replace("__X__", rng.choice([".inf", ".nan", "1e400"]))
    return Case(f"{i}", f"sweep: {kind}", ["sweep", "sw.yaml", "--out", "out", "--workers",
                                           "1"], True, files={"sw.yaml": text})


def _progress_case(rng, i, **_) -> Case:
    rows = ["year,renewable_generation_mwh", "2023,28000", "2024,30000"]
    must_fail = True
    args = ["--target-year", "2030", "--baseline-mwh", "28000", "--multiplier", "3"]
    kind = rng.choice(["year", "value", "field", "arg", "header", "out"])
    if kind == "year":
        rows.append(f"{rng.choice(['-1000000000000000', '1e400', '99999', 'x', '2024.5'])},1")
    elif kind == "value":
        rows.append(f"2025,{rng.choice(['inf', 'nan', '-1', 'x', '1e400'])}")
    elif kind == "field":
        rows.append("2025," + "9" * 140_000)
    elif kind == "arg":
        flag = rng.choice(["--target-year", "--multiplier", "--baseline-mwh", "--baseline-year"])
        value = rng.choice(["100000000", "-3", "nan", "inf", "x", "0", "-1e15"])
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
        # zero is a baseline and a very large number a valid (if odd) figure
        must_fail = not (flag == "--baseline-mwh" and value == "0") and not (
            flag in ("--baseline-mwh", "--multiplier") and value == "100000000")
    elif kind == "header":
        rows[0] = rng.choice(["year,renewable_generation", "year", "a,b", "year,year"])
    else:
        args += ["--out", "a.csv"]
    return Case(f"{i}", f"progress: {kind}", ["progress", "a.csv", *args], must_fail,
                files={"a.csv": "\n".join(rows) + "\n"})


def _output_case(rng, i, **_) -> Case:
    tiny = _copy(TINY)
    kind = rng.choice(["users-folder", "users-folder-force", "file", "dot", "dotdot",
                       "root", "link"])
    files = {"s.yaml": _yaml(tiny), "mine/thesis.txt": "years of work"}
    out = {"users-folder": "mine", "users-folder-force": "mine", "file": "mine/thesis.txt",
           "dot": ".", "dotdot": "..", "root": "/", "link": "link"}[kind]
    if kind == "link":
        files["link"] = "LINK:mine"
    argv = ["run", "s.yaml", "--out", out]
    if kind != "users-folder":
        argv.append("--force")
    return Case(f"{i}", f"output: {kind}", argv, True, keep="mine/thesis.txt", files=files)


def _run_case(rng, i, *, tiny_leaves, **_) -> Case:
    """A cheap run of an odd scenario that may be valid: optional parts removed, numbers
    scaled. It may succeed; it must not crash."""
    data = _copy(TINY)
    for name in list(data["technologies"]):
        if rng.random() < 0.4:
            data["technologies"].pop(name)
            if name == "retrofit" or name == "individual_gas_boiler":
                data["zones"]["A"]["max_retrofit_share"] = 0.0
    for path, old in rng.sample(tiny_leaves, 3):
        if path[-1] in ("horizon_hours", "resolution_h"):
            continue
        with contextlib.suppress(KeyError):  # a technology removed above
            _set(data, path, type(old)(old * rng.choice([0, 0.5, 2, 10, 1000])))
    return Case(f"{i}", "run: odd scenario", ["run", "s.yaml", "--out", "out"], False,
                files={"s.yaml": _yaml(data)})


# ---------------------------------------------------------------- running


class _Timeout(BaseException):
    pass


def _on_alarm(*_):
    raise _Timeout


def materialise(case: Case, folder: Path) -> None:
    """Write a case's files into its folder (FIFO: and LINK: contents make those)."""
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content == "FIFO":
            os.mkfifo(path)
        elif isinstance(content, str) and content.startswith("LINK:"):
            os.symlink(folder / content[5:], path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def run_case(case: Case, folder: Path, timeout_s: float) -> dict:
    """Run one case through ``main`` in ``folder``; classify what happened."""
    from energy_model.cli import main

    folder.mkdir(parents=True, exist_ok=True)
    materialise(case, folder)
    here = os.getcwd()
    os.chdir(folder)
    out, err = io.StringIO(), io.StringIO()
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout_s)
    detail = ""
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(case.argv)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 2
    except _Timeout:
        code, detail = None, "timeout"
    except BaseException as exc:  # noqa: BLE001 - the measure is what escapes main
        code = None
        frames = traceback.extract_tb(exc.__traceback__)[-2:]
        detail = f"{type(exc).__name__}: {str(exc)[:200]} at " + ", ".join(
            f"{Path(f.filename).name}:{f.lineno}" for f in frames)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        os.chdir(here)
    seconds = time.perf_counter() - start
    text = err.getvalue()
    if detail == "timeout":
        outcome = "hang"
    elif code is None:
        outcome = "traceback"
    elif case.keep and (folder / case.keep).read_text() != "years of work":
        outcome, detail = "wrong success", f"{case.keep} lost"
    elif code == 0 and case.must_fail:
        outcome, detail = "wrong success", text[-200:]
    elif code in (0, 3) or (code == 2 and "error:" in text):
        outcome = "clean"
    else:
        outcome, detail = "traceback", f"exit {code}: {text[-300:]}"
    return {"key": case.key, "kind": case.kind, "outcome": outcome, "code": code,
            "seconds": round(seconds, 3), "detail": detail,
            "message": text.strip().splitlines()[-1][:200] if text.strip() else ""}


def _worker(cases_path: str, results_path: str, timeout_s: float) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (4 * 1024**3, 4 * 1024**3))
    root = Path(cases_path).parent / "a" / "b"
    with open(cases_path) as f, open(results_path, "a") as out:
        for line in f:
            case = Case(**json.loads(line))
            case.files = {k: (bytes.fromhex(v[4:]) if v.startswith("HEX:") else v)
                          for k, v in case.files.items()}
            result = run_case(case, root / "work" / case.key, timeout_s)
            out.write(json.dumps(result) + "\n")
            out.flush()


def _encode(case: Case) -> str:
    data = asdict(case)
    data["files"] = {k: ("HEX:" + v.hex() if isinstance(v, bytes) else v)
                     for k, v in case.files.items()}
    return json.dumps(data)


def run_all(cases: list[Case], workers: int, timeout_s: float) -> list[dict]:
    """Run the cases in ``workers`` processes; a worker that dies is restarted after the
    case it died on, which is counted as a traceback."""
    # cases run in root/a/b/work/<case>: a name with up to three '..' that escaped its
    # folder would leave something in root, root/a or root/a/b
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    (root / "a" / "b" / "work").mkdir(parents=True)
    chunks = [cases[w::workers] for w in range(workers)]
    results: list[dict] = []
    procs = []
    for w, chunk in enumerate(chunks):
        procs.append((w, chunk))
    pending = {w: chunk for w, chunk in procs}
    while pending:
        running = {}
        for w, chunk in pending.items():
            (root / f"cases-{w}.jsonl").write_text("".join(_encode(c) + "\n" for c in chunk))
            running[w] = subprocess.Popen(
                [sys.executable, __file__, "--worker", str(root / f"cases-{w}.jsonl"),
                 str(root / f"results-{w}.jsonl"), str(timeout_s)], cwd=ROOT)
        next_pending = {}
        for w, proc in running.items():
            proc.wait()
            path = root / f"results-{w}.jsonl"
            done = [json.loads(x) for x in path.read_text().splitlines()] if path.exists() \
                else []
            path.unlink(missing_ok=True)
            results += done
            left = pending[w][len(done):]
            if left:  # the worker died on left[0]
                results.append({"key": left[0].key, "kind": left[0].kind,
                                "outcome": "traceback", "code": proc.returncode,
                                "seconds": 0.0, "detail": f"worker died ({proc.returncode})",
                                "message": ""})
                if left[1:]:
                    next_pending[w] = left[1:]
        pending = next_pending
    escaped = [str(p) for p in (*root.iterdir(), *(root / "a").iterdir(),
                                 *(root / "a" / "b").iterdir())
               if p.name not in ("a", "b", "work")
               and not p.name.startswith(("cases-", "results-"))]
    if escaped:
        results.append({"key": "escape", "kind": "output: escape", "outcome": "wrong success",
                        "code": None, "seconds": 0.0,
                        "detail": f"written outside the fuzz folder: {sorted(escaped)}",
                        "message": ""})
    import shutil

    shutil.rmtree(root, ignore_errors=True)
    return results


def summarise(results: list[dict]) -> dict[str, int]:
    """Counts by outcome."""
    counts = {"tried": len(results), "clean": 0, "traceback": 0, "hang": 0, "wrong success": 0}
    for r in results:
        counts[r["outcome"]] += 1
    return counts


def main() -> None:
    """Generate, run and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker[0], args.worker[1], float(args.worker[2]))
        return
    start = time.perf_counter()
    cases = generate(args.n, args.seed)
    results = run_all(cases, args.workers, args.timeout)
    counts = summarise(results)
    by_kind: dict[str, dict[str, int]] = {}
    for r in results:
        kind = r["kind"].split(":")[0]
        by_kind.setdefault(kind, {"tried": 0, "bad": 0})
        by_kind[kind]["tried"] += 1
        by_kind[kind]["bad"] += r["outcome"] not in ("clean",)
    print(f"{'class':<10} {'tried':>6} {'bad':>5}")
    for kind, c in sorted(by_kind.items()):
        print(f"{kind:<10} {c['tried']:>6} {c['bad']:>5}")
    for r in results:
        if r["outcome"] != "clean":
            print(f"  {r['outcome']}: case {r['key']} ({r['kind']}): {r['detail']}")
    runs = sum(r["kind"].startswith("run") for r in results)
    print(f"\nInputs tried: {counts['tried']} ({runs} cheap runs), clean: {counts['clean']}, "
          f"tracebacks: {counts['traceback']}, hangs: {counts['hang']}, wrong successes: "
          f"{counts['wrong success']} ({time.perf_counter() - start:.0f} s, "
          f"{args.workers} workers)")


if __name__ == "__main__":
    main()
