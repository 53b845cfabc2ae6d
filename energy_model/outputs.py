"""Output folders: written whole or not at all, never over a user's files, one writer at once.

Every folder the planner writes (a run's results, a report's ``<stem>_data/``, a sweep's
case) goes through :func:`write_folder`:

1. **Lock.** ``.X.lock`` beside the folder ``X`` is locked (``flock``) from the check
   before the solve (:func:`output_lock`) to the end of the write, so a second run to the
   same folder refuses at once instead of solving and racing the first. The kernel drops
   the lock of a killed run; the next run removes the file.
2. **Check.** ``X`` may be replaced (``--force``) only when the planner wrote it: it
   carries :data:`MANIFEST`, the list of what was written, and holds nothing else (but a
   report written into it later). A user's files are never replaced.
3. **Write.** The files go into a hidden folder ``.X.<8 random characters>`` beside ``X``,
   made with ``mkdir`` so that the umask applies, and a :data:`MANIFEST` is added last.
4. **Replace.** On Linux the hidden folder and ``X`` swap places in one
   ``renameat2(RENAME_EXCHANGE)``: at every instant ``X`` holds the old results or the new.
   Where that call is missing, ``X`` is renamed to ``.X.old`` and the new folder to ``X``;
   a run killed between the two renames leaves ``.X.old``, and the next run to ``X``
   moves it back before anything else (the documented recovery).
5. **Tidy.** The next run holding the lock removes the hidden ``.X.<random>`` folders
   that killed runs left behind.

This module imports nothing heavy, so that the CLI can check an output folder before it
loads the modelling libraries.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from energy_model.errors import EnergyModelError

# Lists, one name a line, what the planner wrote into a folder (itself included).
MANIFEST = ".energy-model-files"
# Written into a results folder later by `energy-model report` (default names).
ADDED_LATER = ("report.html", "report_data")
_TMP_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"
_TMP_LENGTH = 8
# Locks this process holds: output folder (absolute) to the lock file's descriptor.
_held: dict[Path, int] = {}


class OutputError(EnergyModelError):
    """An output folder cannot be written (it exists, holds a user's files, is locked...)."""


def safe_folder_name(name: str) -> str:
    """Return ``name`` if it can name a folder of its own, else raise ``ValueError``.

    A scenario's or a sweep's name becomes ``results/<name>``: it must be one path
    component that stays inside ``results/``, so no ``/``, ``\\``, ``:``, control
    characters, leading dot (``.``, ``..``, hidden folders) or surrounding spaces.
    """
    problem = None
    if not name:
        problem = "is empty"
    elif len(name) > 100:
        problem = f"is {len(name)} characters long (at most 100)"
    elif name[0] == ".":
        problem = "starts with '.'"
    elif any(c in name for c in "/\\:") or any(ord(c) < 32 or ord(c) == 127 for c in name):
        problem = "contains '/', '\\', ':' or a control character"
    elif name != name.strip():
        problem = "starts or ends with a space"
    if problem:
        raise ValueError(f"{name!r} {problem}, but it names the results folder; use letters, "
                         "digits, '-', '_' and '.' (for example stoke-2030-low-cost)")
    return name


def _absolute(out_dir: str | Path) -> Path:
    return Path(os.path.abspath(out_dir))


@contextlib.contextmanager
def output_lock(out_dir: str | Path) -> Iterator[Path]:
    """Hold the lock of an output folder (re-entrant within a process).

    On entry, also recovers and tidies what killed runs left beside the folder.

    Raises
    ------
    OutputError
        When another process holds the lock, or the parent folder cannot be written.
    """
    out = _absolute(out_dir)
    _refuse_special(Path(out_dir), out)
    if out in _held:
        yield out
        return
    lock = out.with_name(f".{out.name}.lock")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
            if not _try_lock(fd):
                os.close(fd)
                raise OutputError(f"another run is writing to {out_dir} (it holds {lock}); "
                                  "wait for it to finish or choose another --out")
            try:  # the holder we raced may have removed the file: lock the one on disk
                if os.stat(lock).st_ino == os.fstat(fd).st_ino:
                    break
            except FileNotFoundError:
                pass
            os.close(fd)
    except OSError as err:
        raise OutputError(f"cannot write beside {out_dir}: {err.strerror} ({err.filename}); "
                          "choose an --out on a writable disk") from None
    _held[out] = fd
    try:
        _recover(out)
        yield out
    finally:
        del _held[out]
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)


def _try_lock(fd: int) -> bool:
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _refuse_special(given: Path, out: Path) -> None:
    """Refuse the root, the working folder or a folder holding it, and links."""
    here = Path.cwd().resolve()
    real = out.resolve()
    if real == real.parent or real == here or real in here.parents:
        raise OutputError(f"--out {given} is the current folder or holds it; results go into "
                          "a folder of their own, for example --out results/my-run")
    if out.is_symlink():
        raise OutputError(f"{given} is a symbolic link; give the folder itself as --out")


def _recover(out: Path) -> None:
    """Undo what a killed run left: old results back at ``out``, hidden temporaries removed."""
    old = out.with_name(f".{out.name}.old")
    if old.is_dir() and not os.path.lexists(out):
        os.rename(old, out)
    leftover = re.compile(rf"\.{re.escape(out.name)}\.([{_TMP_CHARS}]{{{_TMP_LENGTH}}}|old)")
    for entry in os.scandir(out.parent):
        if leftover.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


def foreign_entries(folder: str | Path) -> list[str]:
    """The entries of ``folder`` that the planner did not write (all of them without a
    :data:`MANIFEST`)."""
    folder = Path(folder)
    names = sorted(os.listdir(folder))
    try:
        listed = set((folder / MANIFEST).read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return names
    allowed = listed | {MANIFEST, *ADDED_LATER}
    return [n for n in names if n not in allowed]


def add_to_manifest(folder: str | Path, names: list[str]) -> None:
    """Record files the planner wrote into one of its folders after the folder itself (an
    uncertainty run's summaries beside its sweep's cases), so that they are its own."""
    path = Path(folder) / MANIFEST
    try:
        listed = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        listed = [MANIFEST]
    write_atomic(path, "\n".join(dict.fromkeys([*listed, *names])) + "\n")


def check_output_dir(out_dir: str | Path, force: bool) -> None:
    """Refuse an output folder that exists, unless ``force`` and the planner wrote it.

    Raises
    ------
    OutputError
        Naming the folder and, for a folder with a user's files, those files.
    """
    out = Path(out_dir)
    _refuse_special(out, _absolute(out))
    if not os.path.lexists(out):
        return
    if not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder; choose another --out")
    if not force:
        raise OutputError(f"{out} already exists; pass --force to replace it or --out to "
                          "write elsewhere")
    foreign = foreign_entries(out)
    if not foreign:
        return
    shown = ", ".join(foreign[:8]) + (f" and {len(foreign) - 8} more" if len(foreign) > 8 else "")
    why = ("was not written by energy-model (it has no " + MANIFEST + ")"
           if not (out / MANIFEST).exists() else "holds files energy-model did not write")
    raise OutputError(f"{out} {why}: {shown}; --force replaces only a folder the planner "
                      "wrote, so move those files or choose another --out")


def check_free_space(out_dir: str | Path, need_bytes: int) -> None:
    """Refuse to start when the disk of ``out_dir`` has less than ``need_bytes`` free."""
    parent = _absolute(out_dir).parent
    while not parent.exists():
        parent = parent.parent
    free = shutil.disk_usage(parent).free
    if free < need_bytes:
        raise OutputError(f"{out_dir}: only {free / 1e6:,.1f} MB free on its disk and the "
                          f"results need about {need_bytes / 1e6:,.1f} MB; free some space or "
                          "choose another --out")


def write_folder(out_dir: str | Path, write: Callable[[Path], object], force: bool = False
                 ) -> Path:
    """Fill a folder atomically: ``write(tmp)`` fills a hidden folder beside ``out_dir``,
    which then takes its place (see the module's docstring).

    Parameters
    ----------
    out_dir : str or Path
        The folder to write.
    write : callable
        Called with the temporary folder's path; writes the files into it.
    force : bool
        Replace an existing folder the planner wrote; without it an existing folder is
        refused, and a folder with a user's files is refused always.

    Returns
    -------
    Path

    Raises
    ------
    OutputError
        For a folder that may not be replaced, or a write that failed (disk full,
        read-only); nothing is then changed at ``out_dir``.
    """
    out = Path(out_dir)
    with output_lock(out) as absolute:
        check_output_dir(out, force)
        tmp = _make_temp(absolute)
        try:
            try:
                write(tmp)
                names = sorted(os.listdir(tmp))
                (tmp / MANIFEST).write_text("\n".join([*names, MANIFEST]) + "\n",
                                            encoding="utf-8")
            except (OSError, RuntimeError) as err:
                free = shutil.disk_usage(absolute.parent).free
                raise OutputError(f"could not write {out}: {err}; {free / 1e6:,.1f} MB free on "
                                  "its disk. Free some space or choose another --out; nothing "
                                  "was changed there") from err
            _put_in_place(tmp, absolute)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def _make_temp(out: Path) -> Path:
    while True:
        suffix = "".join(secrets.choice(_TMP_CHARS) for _ in range(_TMP_LENGTH))
        tmp = out.with_name(f".{out.name}.{suffix}")
        try:
            os.mkdir(tmp)  # mode 0o777 less the umask, like any folder the user makes
            return tmp
        except FileExistsError:
            continue


def _put_in_place(tmp: Path, out: Path) -> None:
    """Move ``tmp`` to ``out``; an existing ``out`` ends up at ``tmp`` (or is removed)."""
    if not os.path.lexists(out):
        os.rename(tmp, out)
        return
    if _exchange(tmp, out):
        return
    old = out.with_name(f".{out.name}.old")
    os.rename(out, old)
    os.rename(tmp, out)  # killed before this line: the next run moves .X.old back
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where that is not possible."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def write_atomic(path: str | Path, text: str) -> Path:
    """Write text to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    try:
        with open(tmp, "x", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return path


@contextlib.contextmanager
def local_file_locks() -> Iterator[None]:
    """Let xarray lock files in this process rather than through the Dask scheduler.

    With a distributed client open, ``to_netcdf`` would take a cluster-wide lock for
    each variable, a round trip to the scheduler each time (seconds per case).
    """
    import dask

    with dask.config.set(scheduler="synchronous"):
        yield
