"""Exceptions and warnings raised by the weather package."""

from __future__ import annotations


class WeatherError(ValueError):
    """Weather input that cannot be used as it stands.

    The message names the file, the column and the first offending timestamps, and says what to
    do about it.
    """


class WeatherWarning(UserWarning):
    """Weather input that was usable after a stated repair (for example a short gap filled)."""
