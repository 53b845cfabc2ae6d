"""Exceptions and warnings raised by the weather package."""

from __future__ import annotations

import os
import stat
from pathlib import Path

# Largest weather file read (an ERA5 year of one grid cell is a few MB; a whole region less
# than this).
MAX_WEATHER_BYTES = 500_000_000


class WeatherError(ValueError):
    """Weather input that cannot be used as it stands.

    The message names the file, the column and the first offending timestamps, and says what to
    do about it.
    """


class WeatherWarning(UserWarning):
    """Weather input that was usable after a stated repair (for example a short gap filled)."""


def file_problem(path: str | Path, max_bytes: int) -> str | None:
    """Why ``path`` cannot be read as an input file, or None when it can.

    It must exist and be a regular file (not a folder, pipe or device, which could block or
    never end) of at most ``max_bytes``.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "no such file; check the path"
    except OSError as err:
        return f"the file cannot be read ({err.strerror}); check the path"
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, not a file; give the path of the file in it"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a pipe or a device); give the path of a file"
    if info.st_size > max_bytes:
        return (f"is {info.st_size / 1e6:,.1f} MB, more than the {max_bytes / 1e6:,.0f} MB "
                "an input of this kind may be; check that it is the right file")
    return None
