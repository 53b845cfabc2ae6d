"""Output folders: nothing a user wrote is replaced, nothing escapes, one writer at a time,
and a run killed at any point leaves the old results or the new ones."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import xarray as xr

from energy_model.cli import main
from energy_model.errors import EnergyModelError
from energy_model.outputs import MANIFEST, output_lock, write_atomic, write_folder
from energy_model.scenario import find_scenario

ROOT = Path(__file__).resolve().parents[2]
STOKE = find_scenario("stoke-2030").resolve()


def _short_scenario(folder: Path, name: str = "short") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(f"extends: {STOKE}\nname: {name}\n"
                    "time: {horizon_hours: 48, resolution_h: 24}\n"
                    # two days cannot meet an annual target at the build rates
                    "targets: {renewable_generation: null}\n")
    return path


def _write(text: str):
    def write(tmp: Path) -> None:
        (tmp / "results.nc").write_text(text)
        (tmp / "run.json").write_text("{}")
    return write


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_force_replaces_only_a_folder_the_planner_wrote(tmp_path):
    out = tmp_path / "x"
    write_folder(out, _write("old"))
    assert (out / MANIFEST).read_text().split() == ["results.nc", "run.json", MANIFEST]
    write_folder(out, _write("new"), force=True)
    assert (out / "results.nc").read_text() == "new"
    (out / "my-notes.txt").write_text("mine")
    with pytest.raises(EnergyModelError, match=r"x holds files energy-model did not write: "
                                               r"my-notes.txt"):
        write_folder(out, _write("newer"), force=True)
    assert (out / "my-notes.txt").read_text() == "mine"
    assert (out / "results.nc").read_text() == "new"
    assert _hidden(tmp_path) == []


def test_users_folder_survives_run_force(tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("years of work")
    code = main(["run", str(_short_scenario(tmp_path)), "--out", str(mine), "--force"])
    assert code == 2
    err = capsys.readouterr().err
    assert "mine was not written by energy-model" in err and "thesis.docx" in err
    assert (mine / "thesis.docx").read_text() == "years of work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "short.yaml"]


@pytest.mark.parametrize("out", [".", "..", "/"])
def test_out_that_is_or_holds_the_working_folder_is_refused(tmp_path, monkeypatch, capsys, out):
    work = tmp_path / "work"
    work.mkdir()
    (work / "keep.txt").write_text("keep")
    monkeypatch.chdir(work)
    assert main(["run", str(_short_scenario(tmp_path)), "--out", out, "--force"]) == 2
    assert "is the current folder or holds it" in capsys.readouterr().err
    assert (work / "keep.txt").read_text() == "keep"


@pytest.mark.parametrize("name", ["..", "../../escape", "/tmp/abs", "", ".", "a/b", "a\\b",
                                  ".hidden", " padded"])
def test_unsafe_scenario_names_are_refused(tmp_path, monkeypatch, capsys, name):
    monkeypatch.chdir(tmp_path)
    path = _short_scenario(tmp_path)
    path.write_text(path.read_text().replace("name: short", f"name: {name!r}"))
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert "name:" in err and "names the results folder" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["short.yaml"]


def test_unsafe_sweep_names_are_refused(tmp_path, capsys):
    sweep = tmp_path / "s.yaml"
    sweep.write_text(f"name: ../../escape\nbase: {STOKE}\n"
                     "grid: {finance.discount_rate: [0.03]}\n")
    assert main(["sweep", str(sweep), "--out", str(tmp_path / "o")]) == 2
    assert "names the results folder" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_report_does_not_replace_a_users_data_folder_or_page(tmp_path):
    from energy_model.report import write_report

    results = tmp_path / "results"
    assert main(["run", str(_short_scenario(tmp_path)), "--out", str(results)]) == 0

    mine = tmp_path / "notes_data"
    mine.mkdir()
    (mine / "budget.csv").write_text("1,2\n")
    with pytest.raises(EnergyModelError, match="notes_data was not written by energy-model"):
        write_report(results, tmp_path / "notes.html")
    assert (mine / "budget.csv").read_text() == "1,2\n"
    (tmp_path / "page.html").write_text("<p>mine</p>")
    with pytest.raises(EnergyModelError, match="page.html already exists"):
        write_report(results, tmp_path / "page.html")
    assert (tmp_path / "page.html").read_text() == "<p>mine</p>"
    # a report the planner wrote is replaced when written again
    assert write_report(results) == write_report(results)


def test_second_holder_of_the_lock_refuses_at_once(tmp_path):
    out = tmp_path / "x"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from energy_model.outputs import output_lock
            with output_lock({str(out)!r}):
                print("locked", flush=True)
                time.sleep(60)
        """)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "locked"
        start = time.monotonic()
        with pytest.raises(EnergyModelError, match="another run is writing to .*x"):
            write_folder(out, _write("new"))
        assert time.monotonic() - start < 1
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait()
    # a killed holder's lock is gone: the next run writes, and removes the lock file
    write_folder(out, _write("new"))
    assert _hidden(tmp_path) == []


def test_two_concurrent_runs_give_one_result_and_one_refusal(tmp_path):
    scenario = _short_scenario(tmp_path)
    out = tmp_path / "x"
    cmd = [sys.executable, "-m", "energy_model.cli", "run", str(scenario), "--out", str(out)]
    runs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), *p.communicate()) for p in runs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 2], results
    refusal = next(err for code, _, err in results if code == 2)
    assert ("another run is writing to" in refusal or "already exists" in refusal)
    assert "Traceback" not in refusal
    assert float(xr.load_dataset(out / "results.nc").attrs["total_cost_gbp_per_year"]) > 0
    assert (out / MANIFEST).exists()
    assert _hidden(tmp_path) == []


# A write killed (SIGKILL) at a chosen point: inside the write, between the two renames
# of the fallback replace, or after the swap before the old folder is removed.
KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from energy_model import outputs

    out, point = Path(sys.argv[1]), sys.argv[2]
    die = lambda *a: os.kill(os.getpid(), signal.SIGKILL)

    def write(tmp):
        (tmp / "results.nc").write_text("new")
        (tmp / "run.json").write_text("{}")
        if point == "writing":
            die()

    if point == "between-renames":
        outputs._exchange = lambda a, b: False
        rename = os.rename
        def rename_then_die(a, b):
            rename(a, b)
            if str(b).endswith(".old"):
                die()
        outputs.os.rename = rename_then_die
    if point in ("after-swap", "after-fallback-swap"):
        if point == "after-fallback-swap":
            outputs._exchange = lambda a, b: False
        put = outputs._put_in_place
        outputs._put_in_place = lambda tmp, out: (put(tmp, out), die())
    outputs.write_folder(out, write, force=True)
""")


@pytest.mark.parametrize("point", ["writing", "between-renames", "after-swap",
                                   "after-fallback-swap"])
def test_write_killed_at_any_point_leaves_old_or_new_results(tmp_path, point):
    out = tmp_path / "x"
    write_folder(out, _write("old"))
    done = subprocess.run([sys.executable, "-c", KILLER, str(out), point], cwd=ROOT)
    assert done.returncode == -signal.SIGKILL
    if point != "between-renames":  # the one gap the fallback leaves, recovered below
        assert (out / "results.nc").read_text() in ("old", "new")
    # the next run recovers and tidies before it writes
    with output_lock(out):
        assert (out / "results.nc").read_text() == ("old" if point in ("writing",
                                                                       "between-renames")
                                                    else "new")
        assert (out / MANIFEST).exists()
    assert _hidden(tmp_path) == []


def test_real_run_killed_at_random_moments_leaves_old_or_complete_results(tmp_path):
    scenario = _short_scenario(tmp_path)
    out = tmp_path / "x"
    cmd = [sys.executable, "-m", "energy_model.cli", "run", str(scenario), "--out", str(out),
           "--force"]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    before = (out / "results.nc").read_bytes()
    for delay in (0.5, 3.0, 5.0, 6.0, 6.5, 7.0):
        p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        if out.exists():
            ds = xr.load_dataset(out / "results.nc")  # complete: old or new
            assert ds.attrs["scenario_name"] == "short"
        with output_lock(out):
            pass
        assert sorted(p.name for p in tmp_path.iterdir()) == ["short.yaml", "x"]
    assert len(before) > 0


def test_folders_and_files_respect_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        out = write_folder(tmp_path / "x", _write("new"))
        page = write_atomic(tmp_path / "page.html", "<p>")
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o755
    assert (out / "results.nc").stat().st_mode & 0o777 == 0o644
    assert page.stat().st_mode & 0o777 == 0o644


def test_full_or_read_only_disk_is_found_before_the_solve(tmp_path, capsys, monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9, 1000))
    monkeypatch.setattr("energy_model.solve.solve_model",
                        lambda *a, **k: pytest.fail("solved before checking the disk"))
    assert main(["run", str(_short_scenario(tmp_path)), "--out", str(tmp_path / "x")]) == 2
    assert "only 0.0 MB free" in capsys.readouterr().err
    monkeypatch.undo()
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who may write anywhere")
        assert main(["run", str(_short_scenario(tmp_path)), "--out", str(locked / "x")]) == 2
        assert "cannot write beside" in capsys.readouterr().err
    finally:
        locked.chmod(0o755)
