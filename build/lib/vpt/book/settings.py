"""The households and parameters every chapter runs on, from the shipped data or the reader's own file.

The chapters call :func:`book_data` and never read a file themselves, so one
set of environment variables moves the whole book to other data:

``VPT_HOUSEHOLDS``
    an Ausgrid-format solar home file (``.csv`` or ``.csv.gz``); default the
    shipped synthetic data set.
``VPT_HOMES``
    how many homes (the first ones of the file); default 100, as in the paper.
``VPT_VPP_SIZES``
    the VPPs' sizes in homes, comma-separated, adding up to ``VPT_HOMES``;
    default the paper's 3, 3, 4, 5, 5, 10, 10, 10, 20, 30 (with 100 homes).
``VPT_START``, ``VPT_DAYS``
    the analysis period: first day (ISO date; default the file's first day)
    and number of days (default 31, a month as in the paper, or as many as the
    file has from the start if fewer).

Everything is checked up front, with a message that says what to set.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vpt._checks import count
from vpt.data import Households, _date, _path, is_net_file, read_ausgrid, read_net, shipped_path
from vpt.market.rounds import PAPER_VPP_SIZES

__all__ = ["DEFAULT_DAYS", "DEFAULT_HOMES", "ENVIRONMENT", "BookData", "book_data"]

#: The paper's setting: 100 homes in ten VPPs, a month of data.
DEFAULT_HOMES = 100
DEFAULT_DAYS = 31
#: The environment variables :func:`book_data` reads, with what each sets.
ENVIRONMENT = {
    "VPT_HOUSEHOLDS": "an Ausgrid-format or net-energy file (default: the shipped synthetic data)",
    "VPT_HOMES": f"number of homes (default {DEFAULT_HOMES})",
    "VPT_VPP_SIZES": "comma-separated VPP sizes adding up to VPT_HOMES (default the paper's ten VPPs)",
    "VPT_START": "first day of the analysis period, YYYY-MM-DD or Ausgrid's D/MM/YYYY (default the file's first day)",
    "VPT_DAYS": f"days in the period (default {DEFAULT_DAYS}, or fewer if the file ends sooner)",
}


@dataclass(frozen=True)
class BookData:
    """The analysis data of the book: the homes over the period, the VPPs, and where they come from."""

    homes: Households
    vpp_sizes: tuple[int, ...]
    path: Path
    file: str
    synthetic: bool
    file_homes: int
    file_days: int
    net_only: bool = False

    @property
    def period(self) -> str:
        """The analysis period in words: a calendar month by name, else its first and last day."""
        days = self.homes.days()
        first, last = days[0].astype(object), days[-1].astype(object)
        if first.day == 1 and (last + np.timedelta64(1, "D").astype(object)).day == 1 and first.month == last.month:
            return first.strftime("%B %Y")
        return f"the {days.size} days from {first.isoformat()} to {last.isoformat()}"

    def describe(self) -> str:
        """One sentence of provenance for the top of every page that uses the data."""
        what = (
            f"the shipped synthetic data set {self.file} (generated homes calibrated to Ausgrid's published "
            "summary, not measured data)"
            if self.synthetic
            else f"the net-energy file {self.file} (imports and exports only: trades use the exact hourly net; "
            "the system state, which needs gross consumption, sees imports only)"
            if self.net_only
            else f"the Ausgrid-format file {self.file}"
        )
        homes = (
            f"all {self.homes.n_homes} homes"
            if self.homes.n_homes == self.file_homes
            else f"the first {self.homes.n_homes} of its {self.file_homes} homes"
        )
        vpps = ", ".join(map(str, self.vpp_sizes))
        return (
            f"{what}: {homes}, {self.period} ({self.homes.n_days} of its {self.file_days} days), "
            f"in {len(self.vpp_sizes)} VPPs of {vpps} homes"
        )


def _env_int(name: str, default: int | None) -> int | None:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a whole number") from None


def book_data(
    path: str | Path | None = None,
    *,
    n_homes: int | None = None,
    vpp_sizes: Any = None,
    start: Any = None,
    n_days: int | None = None,
) -> BookData:
    """The homes, VPPs and period the chapters use: the arguments, else the environment, else the paper's defaults.

    Raises
    ------
    ValueError
        Saying what to set, if the file cannot be read, has fewer homes than
        asked for, the VPP sizes do not add up to the number of homes, or the
        period lies outside the file.

    Examples
    --------
    >>> book = book_data()
    >>> book.homes.n_homes, book.vpp_sizes[-1], book.synthetic
    (100, 30, True)
    """
    chosen = path if path is not None else os.environ.get("VPT_HOUSEHOLDS") or None
    file = shipped_path() if chosen is None else _path(chosen, "VPT_HOUSEHOLDS")
    synthetic = file.resolve() == shipped_path().resolve()
    n_homes = count(n_homes if n_homes is not None else _env_int("VPT_HOMES", DEFAULT_HOMES), "VPT_HOMES (homes)")
    sizes = _vpp_sizes(vpp_sizes, n_homes)
    net_only = is_net_file(file)
    everything = read_net(file) if net_only else read_ausgrid(file)
    if everything.n_homes < n_homes:
        raise ValueError(
            f"the file {file.name} has {everything.n_homes} homes; the chapters need at least {n_homes} "
            f"(the VPPs of {', '.join(map(str, sizes))} homes) - set VPT_HOMES to at most {everything.n_homes} "
            "and VPT_VPP_SIZES to sizes that add up to it"
        )
    first = everything.days()[0]
    start_day = (
        first
        if start is None and not os.environ.get("VPT_START")
        else _date(start if start is not None else os.environ["VPT_START"], "VPT_START")
    )
    offset = int((start_day - first).astype(int))
    if not 0 <= offset < everything.n_days:
        raise ValueError(f"VPT_START={start_day} is outside the file {file.name} ({first} to {everything.days()[-1]})")
    available = everything.n_days - offset
    asked = n_days if n_days is not None else _env_int("VPT_DAYS", None)
    days = min(DEFAULT_DAYS, available) if asked is None else count(asked, "VPT_DAYS (days)")
    if days > available:
        raise ValueError(f"VPT_DAYS={days} but the file {file.name} has {available} days from {start_day}")
    homes = everything.subset(n_homes=n_homes, start_date=start_day, n_days=days)
    return BookData(homes, sizes, file, file.name, synthetic, everything.n_homes, everything.n_days, net_only)


def _vpp_sizes(value: Any, n_homes: int) -> tuple[int, ...]:
    raw = value if value is not None else os.environ.get("VPT_VPP_SIZES") or None
    if raw is None:
        if n_homes != sum(PAPER_VPP_SIZES):
            raise ValueError(
                f"with {n_homes} homes the paper's VPP sizes (adding up to {sum(PAPER_VPP_SIZES)}) do not fit: "
                f"set VPT_VPP_SIZES to at least 3 comma-separated sizes adding up to {n_homes}"
            )
        return PAPER_VPP_SIZES
    if isinstance(raw, str):
        try:
            raw = [int(s) for s in raw.split(",")]
        except ValueError:
            raise ValueError(f"VPT_VPP_SIZES={raw!r} is not a comma-separated list of whole numbers") from None
    if not isinstance(raw, (list, tuple)):
        raise ValueError(f"vpp_sizes must be a list of whole numbers, got {raw!r:.80}")
    sizes = tuple(count(s, "a VPP size") for s in raw)
    if sum(sizes) != n_homes:
        raise ValueError(f"the VPP sizes {sizes} add up to {sum(sizes)}, not to the {n_homes} homes (VPT_HOMES)")
    if len(sizes) < 3:
        raise ValueError(f"an election of three winners needs at least 3 VPPs, got sizes {sizes}")
    return sizes


def main() -> int:
    """``python -m vpt.book``: say which data the chapters will run on, or why the settings do not work."""
    try:
        print("data:", book_data().describe())
    except ValueError as exc:
        print(f"vpt.book: {exc}", file=sys.stderr)
        return 2
    return 0
