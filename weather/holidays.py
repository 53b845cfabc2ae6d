"""Bank holidays in England and Wales, for the day types of standard load profiles."""

from __future__ import annotations

import datetime as dt

from dateutil.easter import easter


def _last_monday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=day.weekday())


def _first_weekdays_from(day: dt.date, count: int) -> list[dt.date]:
    found: list[dt.date] = []
    while len(found) < count:
        if day.weekday() < 5:
            found.append(day)
        day += dt.timedelta(days=1)
    return found


def england_bank_holidays(years: int | list[int]) -> dict[dt.date, str]:
    """Regular bank holidays in England and Wales.

    Rules of the Banking and Financial Dealings Act 1971 and the royal proclamations that
    GOV.UK publishes each year: New Year's Day (or the next weekday), Good Friday, Easter
    Monday, the first and last Mondays of May, the last Monday of August, Christmas Day and
    Boxing Day (the first two weekdays from 25 December). One-off holidays (jubilees,
    coronations, moved May holidays) are not included.

    Parameters
    ----------
    years : int or list of int
        Calendar years.

    Returns
    -------
    dict
        Date to holiday name.
    """
    if isinstance(years, int):
        years = [years]
    holidays: dict[dt.date, str] = {}
    for year in years:
        new_year = _first_weekdays_from(dt.date(year, 1, 1), 1)[0]
        holidays[new_year] = "New Year's Day"
        easter_sunday = easter(year)
        holidays[easter_sunday - dt.timedelta(days=2)] = "Good Friday"
        holidays[easter_sunday + dt.timedelta(days=1)] = "Easter Monday"
        first_may = dt.date(year, 5, 1)
        holidays[first_may + dt.timedelta(days=(7 - first_may.weekday()) % 7)] = \
            "Early May bank holiday"
        holidays[_last_monday(year, 5)] = "Spring bank holiday"
        holidays[_last_monday(year, 8)] = "Summer bank holiday"
        christmas, boxing = _first_weekdays_from(dt.date(year, 12, 25), 2)
        holidays[christmas] = "Christmas Day"
        holidays[boxing] = "Boxing Day"
    return holidays
