"""A one-page picture of a weather year's profiles, for reports."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xarray as xr  # noqa: E402

from weather.dataset import time_index  # noqa: E402


def _week_around(index: pd.DatetimeIndex, centre: pd.Timestamp) -> pd.DatetimeIndex:
    start = max(index[0], centre.normalize() - pd.Timedelta(days=3))
    start = min(start, index[-1] - pd.Timedelta(days=7) + pd.Timedelta(hours=1))
    return index[(index >= start) & (index < start + pd.Timedelta(days=7))]


def plot_year(weather: xr.Dataset, profiles: dict[str, pd.Series], path: str | Path) -> Path:
    """Draw monthly energy of each profile and a winter and a summer week, as PNG.

    Top: each profile's monthly sum as a share of its annual sum [%] (so capacity factors
    and demands in MW share one axis; the legend gives the annual sums). Below: the week round
    the coldest day and the week round the sunniest day of the year, each profile divided by
    its own annual peak.

    Parameters
    ----------
    weather : xarray.Dataset
        The weather year the profiles came from.
    profiles : dict of str to pandas.Series
        Hourly profiles on the weather's UTC index, keyed by the label to show.
    path : str or Path
        Where to write the PNG (parent folders are created).

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    index = time_index(weather)
    temp = pd.Series(np.asarray(weather["temp_air"].values, dtype=float), index=index)
    ghi = pd.Series(np.asarray(weather["ghi"].values, dtype=float), index=index)
    coldest = temp.resample("D").mean().idxmin()
    sunniest = ghi.resample("D").sum().idxmax()

    figure, axes = plt.subplots(3, 1, figsize=(10, 10), constrained_layout=True)
    months = np.arange(1, 13)
    width = 0.8 / max(len(profiles), 1)
    for position, (label, series) in enumerate(profiles.items()):
        monthly = series.groupby(series.index.month).sum().reindex(months, fill_value=0.0)
        total = float(series.sum())
        share = 100.0 * monthly / total if total else monthly * 0.0
        axes[0].bar(months - 0.4 + width * (position + 0.5), share.to_numpy(), width,
                    label=f"{label} (annual sum {total:,.4g})")
    axes[0].set_xticks(months, ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"])
    axes[0].set_ylabel("share of annual sum [%]")
    axes[0].set_title(f"{weather.attrs.get('name', '')}: monthly energy")
    axes[0].legend(fontsize="small")

    for axis, centre, title in ((axes[1], coldest, "winter week (coldest day)"),
                                (axes[2], sunniest, "summer week (sunniest day)")):
        week = _week_around(index, centre)
        for label, series in profiles.items():
            peak = float(series.max())
            axis.plot(week, series.reindex(week).to_numpy() / (peak if peak else 1.0),
                      label=label)
        axis.set_ylabel("fraction of annual peak [-]")
        axis.set_title(f"{title}, from {week[0]:%d %b} (UTC)")
        axis.set_ylim(0.0, 1.05)
    axes[1].legend(fontsize="small", ncols=2)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
