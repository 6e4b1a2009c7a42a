"""Half-hourly household consumption and rooftop-PV data: a seeded generator and an Ausgrid reader.

The paper evaluates on 100 homes of Ausgrid's "Solar home electricity data"
(Sydney, 2012-13), which cannot be redistributed here. :func:`generate_households`
makes a synthetic stand-in calibrated to Ausgrid's own published summary of
that data set; :func:`read_ausgrid` reads the real CSV files into the same
:class:`Households` container, so every chapter can be re-run on the real data.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import math
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray
from scipy import special

from vpt._checks import cells, count, finite_array, instance

__all__ = [
    "AUSGRID_SUMMARY",
    "HALF_HOURS",
    "NET_HEADER",
    "Households",
    "annual_summary",
    "generate_households",
    "households_from_net",
    "is_net_file",
    "load_households",
    "read_ausgrid",
    "read_net",
    "write_ausgrid",
]

#: Readings per day.
HALF_HOURS = 48

#: Ausgrid's published summary of the 300 homes of its solar home data set,
#: 1 July 2012 to 30 June 2013 (from the notes distributed with the data set):
#: (mean, median) per home.
AUSGRID_SUMMARY: dict[str, tuple[float, float]] = {
    "annual consumption (kWh)": (6387.0, 5862.0),
    "annual gross generation (kWh)": (2181.0, 1814.0),
    "PV system size (kWp)": (1.68, 1.50),
}
#: Mean yield of the same homes, kWh per kWp per year (same source).
AUSGRID_MEAN_YIELD = 1297.0

# Sydney (Ausgrid network area); local standard time AEST = UTC+10, whose
# standard meridian is 150 E. Ausgrid's readings are in standard time.
_LATITUDE = math.radians(-33.87)
_LONGITUDE_DEG = 151.21
_PANEL_TILT = math.radians(20.0)
_DAY_TYPES_CLEARNESS = ((0.90, 1.00), (0.55, 0.85), (0.15, 0.40))  # clear, partly cloudy, overcast
_CONTROLLED_LOAD_SHARE = 0.5  # fraction of homes with an off-peak controlled load (hot water)
_CL_SLOTS = np.r_[44:48, 0:14]  # 22:00-07:00, the off-peak window
_CUSTOMER_POSTCODES = (2008, 2076, 2088, 2100, 2145, 2154, 2210, 2232, 2259, 2290)


@dataclass(frozen=True)
class Households:
    """Half-hourly energy readings of a set of homes.

    All energies are kWh per half-hour. Column ``t`` of the reading arrays is
    the half-hour that starts at ``timestamps[t]`` (local standard time, so
    every day has 48 readings).

    Attributes
    ----------
    customer
        Customer id of each home, shape ``(n_homes,)``.
    postcode
        Postcode of each home, shape ``(n_homes,)``.
    capacity_kwp
        Rooftop PV system size of each home in kWp, shape ``(n_homes,)``.
    timestamps
        Start of each half-hour, ``datetime64[m]``, shape ``(48 * n_days,)``.
    consumption
        Total consumption, general plus controlled load (Ausgrid's GC + CL),
        shape ``(n_homes, 48 * n_days)``.
    controlled_load
        The controlled-load part of ``consumption`` (Ausgrid's CL; zero for
        homes without one), same shape.
    generation
        Gross PV generation (Ausgrid's GG), same shape.
    """

    customer: NDArray[np.int64]
    postcode: NDArray[np.int64]
    capacity_kwp: NDArray[np.float64]
    timestamps: NDArray[np.datetime64]
    consumption: NDArray[np.float64]
    controlled_load: NDArray[np.float64]
    generation: NDArray[np.float64]

    def __post_init__(self) -> None:
        for name in ("customer", "postcode", "capacity_kwp", "timestamps", "consumption", "controlled_load"):
            if not isinstance(getattr(self, name), np.ndarray):
                raise ValueError(f"{name} must be a numpy array, got {type(getattr(self, name)).__name__}")
        if not isinstance(self.generation, np.ndarray):
            raise ValueError(f"generation must be a numpy array, got {type(self.generation).__name__}")
        if self.customer.ndim != 1 or self.customer.dtype.kind not in "iu" or (self.customer < 1).any():
            raise ValueError("customer ids must be a 1-D array of whole numbers >= 1 (as in Ausgrid's files)")
        n = self.customer.shape[0]
        if self.timestamps.ndim != 1 or self.timestamps.dtype.kind != "M":
            raise ValueError(f"timestamps must be a 1-D numpy.datetime64 array, got {self.timestamps.dtype}")
        t = self.timestamps.shape[0]
        if t == 0 or t % HALF_HOURS:
            raise ValueError(f"timestamps must cover whole days of {HALF_HOURS} readings, got {t}")
        if (np.diff(self.timestamps) != np.timedelta64(30, "m")).any():
            raise ValueError("timestamps must be consecutive half-hours, increasing (no gap, repeat or reversal)")
        for name in ("postcode", "capacity_kwp"):
            if getattr(self, name).shape != (n,):
                raise ValueError(f"{name} must have shape ({n},), got {getattr(self, name).shape}")
        if self.postcode.dtype.kind not in "iu" or (self.postcode < 0).any() or (self.postcode > 9999).any():
            raise ValueError("postcodes must be whole numbers from 0 to 9999 (Australian postcodes; 0 if unknown)")
        if self.capacity_kwp.dtype.kind not in "iuf" or not np.all(np.isfinite(self.capacity_kwp)):
            raise ValueError("capacity_kwp must be finite numbers (kWp)")
        if (self.capacity_kwp < 0).any():
            raise ValueError("capacity_kwp must be >= 0 kWp")
        for name in ("consumption", "controlled_load", "generation"):
            values = getattr(self, name)
            if values.shape != (n, t):
                raise ValueError(f"{name} must have shape ({n}, {t}), got {values.shape}")
            if not np.all(np.isfinite(values)) or (values < 0).any():
                raise ValueError(f"{name} must be finite and non-negative")
        if (self.controlled_load > self.consumption + 1e-9).any():
            raise ValueError("controlled_load exceeds consumption somewhere")
        if len(np.unique(self.customer)) != n:
            raise ValueError("customer ids must be unique")

    @property
    def n_homes(self) -> int:
        """Number of homes."""
        return int(self.customer.shape[0])

    @property
    def n_days(self) -> int:
        """Number of days covered."""
        return int(self.timestamps.shape[0] // HALF_HOURS)

    @property
    def general_consumption(self) -> NDArray[np.float64]:
        """Consumption without the controlled load (Ausgrid's GC)."""
        return self.consumption - self.controlled_load

    def days(self) -> NDArray[np.datetime64]:
        """The dates covered, ``datetime64[D]``."""
        return self.timestamps[::HALF_HOURS].astype("datetime64[D]")

    def subset(
        self,
        n_homes: int | None = None,
        start_date: str | dt.date | np.datetime64 | None = None,
        n_days: int | None = None,
    ) -> Households:
        """The first ``n_homes`` homes over ``n_days`` days from ``start_date``.

        ``None`` keeps all homes, the first day, or all remaining days.

        Raises
        ------
        ValueError
            If more homes or days are asked for than the data hold.
        """
        n_homes = self.n_homes if n_homes is None else count(n_homes, "n_homes", maximum=self.n_homes)
        first = self.days()[0]
        start = first if start_date is None else _date(start_date, "start_date")
        offset = int((start - first).astype(int))
        n_days = self.n_days - offset if n_days is None else count(n_days, "n_days")
        if offset < 0 or n_days < 1 or offset + n_days > self.n_days:
            raise ValueError(f"days {start} + {n_days} are outside the data ({first} + {self.n_days} days)")
        cols = slice(offset * HALF_HOURS, (offset + n_days) * HALF_HOURS)
        return Households(
            customer=self.customer[:n_homes],
            postcode=self.postcode[:n_homes],
            capacity_kwp=self.capacity_kwp[:n_homes],
            timestamps=self.timestamps[cols],
            consumption=self.consumption[:n_homes, cols],
            controlled_load=self.controlled_load[:n_homes, cols],
            generation=self.generation[:n_homes, cols],
        )


# --------------------------------------------------------------------------- generator


def _lognormal_params(mean: float, median: float) -> tuple[float, float]:
    """(mu, sigma) of the lognormal law with the given mean and median."""
    sigma = math.sqrt(2.0 * math.log(mean / median))
    return math.log(median), sigma


def _stratified_uniform(rng: np.random.Generator, n: int) -> NDArray[np.float64]:
    """Latin-hypercube draw: one uniform in each of n equal strata, shuffled."""
    return (rng.permutation(n) + rng.random(n)) / n


def _lognormal_stratified(rng: np.random.Generator, n: int, mean: float, median: float) -> NDArray:
    mu, sigma = _lognormal_params(mean, median)
    return np.exp(mu + sigma * special.ndtri(_stratified_uniform(rng, n)))


def _clear_sky(doy: NDArray[np.float64]) -> NDArray[np.float64]:
    """Relative clear-sky output of a 1 kWp north-facing panel, per half-hour.

    A simple geometric model: sun position from declination, equation of time
    and hour angle at Sydney; plane-of-array beam irradiance on a panel tilted
    20 degrees to the north, attenuated by the atmosphere by air mass, plus a
    diffuse share. Each half-hour is the mean of three instants in it.
    Returns shape ``(len(doy), 48)``, in kW per kWp (peak close to 1).
    """
    doy = np.asarray(doy, dtype=float)[:, None, None]
    minutes = (np.arange(HALF_HOURS) * 30.0)[None, :, None] + np.array([5.0, 15.0, 25.0])
    decl = np.radians(23.45) * np.sin(2 * np.pi * (284 + doy) / 365)
    b = 2 * np.pi * (doy - 81) / 364
    eot = 9.87 * np.sin(2 * b) - 7.53 * np.cos(b) - 1.5 * np.sin(b)  # minutes
    solar_time = minutes / 60 + (4 * (_LONGITUDE_DEG - 150.0) + eot) / 60
    hour_angle = np.radians(15.0 * (solar_time - 12.0))
    sin_elev = np.sin(_LATITUDE) * np.sin(decl) + np.cos(_LATITUDE) * np.cos(decl) * np.cos(hour_angle)
    # Southern hemisphere, panel facing the equator: effective latitude phi + tilt.
    eff = _LATITUDE + _PANEL_TILT
    cos_inc = np.sin(eff) * np.sin(decl) + np.cos(eff) * np.cos(decl) * np.cos(hour_angle)
    up = sin_elev > 0.01
    air_mass = np.where(up, 1.0 / np.where(up, sin_elev, 1.0), np.inf)
    beam = np.where(up, np.clip(cos_inc, 0.0, None) * 0.7 ** (air_mass**0.678), 0.0)
    diffuse = np.where(up, 0.12 * sin_elev, 0.0)
    return (beam + diffuse).mean(axis=2)


def _day_type_probabilities(doy: NDArray[np.float64]) -> NDArray[np.float64]:
    """P(clear), P(partly cloudy), P(overcast) by day of year (Sydney: clearer in winter)."""
    season = np.cos(2 * np.pi * (np.asarray(doy, dtype=float) - 196) / 365.25)  # +1 in July
    # Expected clearness about 0.68 in January and 0.77 in July, close to the
    # ratio of mean to clear-sky daily exposure at Sydney in those months.
    p_clear = 0.45 + 0.10 * season
    p_overcast = 0.20 - 0.05 * season
    return np.stack([p_clear, 1 - p_clear - p_overcast, p_overcast], axis=-1)


def _mean_temperature(doy: NDArray[np.float64]) -> NDArray[np.float64]:
    """Climatological daily mean temperature in Sydney, deg C (about 23 in Jan, 13.5 in Jul)."""
    return 18.3 + 4.7 * np.cos(2 * np.pi * (np.asarray(doy, dtype=float) - 22) / 365.25)


_TEMP_SD = 2.2  # day-to-day spread of the daily mean temperature, deg C
_HEAT_BELOW = 16.0  # heating degree-days base
_COOL_ABOVE = 22.0  # cooling degree-days base


def _expected_excess(mu: NDArray, threshold: float, sd: float, above: bool) -> NDArray:
    """E[max(0, T - threshold)] (above) or E[max(0, threshold - T)] for T ~ N(mu, sd)."""
    z = (mu - threshold) / sd if above else (threshold - mu) / sd
    return sd * (z * special.ndtr(z) + np.exp(-0.5 * z**2) / math.sqrt(2 * math.pi))


def _bump(hours: NDArray, centre: NDArray, width: float) -> NDArray:
    """Gaussian bump on the 24 h circle."""
    d = (hours - centre + 12.0) % 24.0 - 12.0
    return np.exp(-0.5 * (d / width) ** 2)


def _daily_shapes(rng: np.random.Generator, n: int) -> dict[str, NDArray[np.float64]]:
    """Per-home intraday shapes (rows sum to 1) for base, heating and cooling loads."""
    hours = (np.arange(HALF_HOURS) + 0.5) / 2.0
    shift = rng.normal(0.0, 0.6, size=(n, 1))
    morning_amp = rng.uniform(0.4, 1.0, size=(n, 1))
    evening_amp = rng.uniform(1.2, 2.0, size=(n, 1))
    base = (
        0.55
        + morning_amp * _bump(hours, 7.5 + shift, 1.0)
        + 0.35 * _bump(hours, 13.0 + shift, 2.5)
        + evening_amp * _bump(hours, 19.0 + shift, 1.8)
    )
    heat = _bump(hours, 7.0 + shift, 1.3) + 1.4 * _bump(hours, 20.0 + shift, 2.2) + 0.1
    cool = _bump(hours, 17.5 + shift, 2.8) + 0.15
    return {k: v / v.sum(axis=1, keepdims=True) for k, v in (("base", base), ("heat", heat), ("cool", cool))}


def generate_households(
    n_homes: int = 100,
    start_date: str | dt.date | np.datetime64 = "2013-01-01",
    n_days: int = 31,
    seed: int = 20130101,
) -> Households:
    """Make a synthetic, seeded set of Sydney homes with rooftop PV.

    The generator is calibrated to Ausgrid's published summary of its solar
    home data set (:data:`AUSGRID_SUMMARY`): each home's PV size, annual
    consumption and annual PV yield are drawn from lognormal laws with the
    published means and medians (stratified, so that 100 homes already match
    them closely); consumption and generation are then spread over the days
    and half-hours of the requested period so that each home's *expected*
    annual totals equal its drawn values.

    * Consumption: a base load with morning and evening peaks, a heating
      load driven by heating degree-days (peaks in July) and a cooling load
      driven by cooling degree-days (peaks in January), with day-to-day and
      half-hour noise; half the homes also have an off-peak controlled load
      (hot water) between 22:00 and 07:00.
    * Generation: a clear-sky model of a north-facing panel at Sydney's
      latitude (peaks in January), scaled by a daily clearness index drawn
      from clear, partly cloudy and overcast days (clear days are more common
      in winter), with half-hour cloud variability on cloudy days.

    The homes depend only on ``n_homes`` and ``seed``, and the weather of a
    day only on ``seed`` and its date, so a shorter period is exactly a
    window of a longer one with the same seed.

    Parameters
    ----------
    n_homes
        Number of homes (>= 1).
    start_date
        First day, ISO string, ``datetime.date`` or ``numpy.datetime64``.
    n_days
        Number of days (>= 1).
    seed
        Seed of all random draws (a non-negative integer).

    Returns
    -------
    Households
        Readings in kWh per half-hour, rounded to 1 Wh as in Ausgrid's files.

    Raises
    ------
    ValueError
        If ``n_homes`` or ``n_days`` is < 1, the seed is negative, or the
        date cannot be read.

    Examples
    --------
    >>> h = generate_households(n_homes=3, start_date="2013-07-01", n_days=2, seed=1)
    >>> h.consumption.shape
    (3, 96)
    """
    n_homes = count(n_homes, "n_homes")
    n_days = count(n_days, "n_days", maximum=366 * 1000)
    seed = count(seed, "seed", minimum=0)
    cells(n_homes * n_days * HALF_HOURS, f"{n_homes} homes over {n_days} days of half-hours")
    start = _date(start_date, "start_date")

    homes = _draw_homes(seed, n_homes)
    use_norm, cl_year_total, pv_norm = _annual_normalisers(homes)
    dates = start + np.arange(n_days)
    doy = (dates - dates.astype("datetime64[Y]")).astype(int) + 1
    clear_sky = _clear_sky(doy.astype(float))
    probs = _day_type_probabilities(doy)
    consumption = np.empty((n_homes, n_days, HALF_HOURS))
    controlled = np.zeros((n_homes, n_days, HALF_HOURS))
    generation = np.empty((n_homes, n_days, HALF_HOURS))
    base_daily = homes.annual_use * (1 - homes.cl_share) / use_norm
    cl_daily = homes.annual_use * homes.cl_share / cl_year_total
    pv_scale = homes.capacity * homes.yield_kwh_per_kwp / pv_norm
    cl_window = np.zeros((n_homes, HALF_HOURS))
    for h in range(n_homes):
        slots = _CL_SLOTS[homes.cl_start[h] : homes.cl_start[h] + 12]
        cl_window[h, slots] = 1.0 / len(slots)

    for i, day in enumerate(dates):
        # the weather of a day depends on (seed, date) only
        day_rng = np.random.default_rng([seed, 1, int(day.astype(int))])
        general, controlled[:, i] = _day_consumption(day_rng, homes, doy[i], base_daily, cl_daily, cl_window)
        consumption[:, i] = general + controlled[:, i]
        generation[:, i] = _day_generation(day_rng, homes, probs[i], clear_sky[i], pv_scale)

    def to_wh(a: NDArray) -> NDArray[np.float64]:
        # k/1000 with k an integer is the double nearest to the 3-decimal value,
        # so writing "%.3f" and reading back is exact.
        return np.round(a.reshape(n_homes, n_days * HALF_HOURS) * 1000.0) / 1000.0

    controlled_wh = to_wh(controlled)
    general_wh = to_wh(consumption - controlled)
    # Sum of two 3-decimal readings, itself rounded to 1 Wh (as read from a file).
    total_wh = np.round((general_wh + controlled_wh) * 1000.0) / 1000.0
    timestamps = (dates.astype("datetime64[m]")[:, None] + np.arange(HALF_HOURS) * np.timedelta64(30, "m")).ravel()
    return Households(
        customer=np.arange(1, n_homes + 1, dtype=np.int64),
        postcode=homes.postcode.astype(np.int64),
        capacity_kwp=homes.capacity,
        timestamps=timestamps,
        consumption=total_wh,
        controlled_load=controlled_wh,
        generation=to_wh(generation),
    )


@dataclass(frozen=True)
class _Homes:
    """The drawn properties of the generator's homes (one entry per home)."""

    capacity: NDArray[np.float64]
    annual_use: NDArray[np.float64]
    yield_kwh_per_kwp: NDArray[np.float64]
    cl_share: NDArray[np.float64]
    heat_sens: NDArray[np.float64]
    cool_sens: NDArray[np.float64]
    shapes: dict[str, NDArray[np.float64]]
    cl_start: NDArray[np.int64]
    postcode: NDArray[np.int64]


def _draw_homes(seed: int, n_homes: int) -> _Homes:
    """The homes of :func:`generate_households`: they depend on ``(seed, n_homes)`` only."""
    rng = np.random.default_rng([seed, 0])
    capacity = np.round(_lognormal_stratified(rng, n_homes, *AUSGRID_SUMMARY["PV system size (kWp)"]), 2)
    annual_use = _lognormal_stratified(rng, n_homes, *AUSGRID_SUMMARY["annual consumption (kWh)"])
    gen_mean, gen_median = AUSGRID_SUMMARY["annual gross generation (kWh)"]
    cap_mean, cap_median = AUSGRID_SUMMARY["PV system size (kWp)"]
    # Yield law chosen so that capacity x yield has the published generation
    # mean and median (capacity and yield independent and lognormal).
    yield_kwh_per_kwp = _lognormal_stratified(rng, n_homes, gen_mean / cap_mean, gen_median / cap_median)
    has_cl = np.zeros(n_homes, dtype=bool)
    has_cl[rng.permutation(n_homes)[: round(_CONTROLLED_LOAD_SHARE * n_homes)]] = True
    cl_share = np.where(has_cl, rng.uniform(0.15, 0.35, n_homes), 0.0)
    heat_sens = rng.uniform(0.04, 0.14, n_homes)  # extra share of base load per degree-day
    cool_sens = rng.uniform(0.0, 0.12, n_homes)
    shapes = _daily_shapes(rng, n_homes)
    cl_start = rng.integers(0, 6, n_homes)  # off-peak window start offset, half-hours after 22:00
    postcode = rng.choice(np.array(_CUSTOMER_POSTCODES), n_homes)
    return _Homes(capacity, annual_use, yield_kwh_per_kwp, cl_share, heat_sens, cool_sens, shapes, cl_start, postcode)


def _annual_normalisers(homes: _Homes) -> tuple[NDArray[np.float64], float, float]:
    """Sums of the daily factors over a 365-day climatological year, so expected annual totals match.

    Returns the base-load normaliser (per home), the controlled-load season
    total and the PV normaliser.
    """
    year = np.arange(1, 366, dtype=float)
    t_mu = _mean_temperature(year)
    hdd = _expected_excess(t_mu, _HEAT_BELOW, _TEMP_SD, above=False)
    cdd = _expected_excess(t_mu, _COOL_ABOVE, _TEMP_SD, above=True)
    use_norm = 365.0 + homes.heat_sens * hdd.sum() + homes.cool_sens * cdd.sum()  # sum of daily factors
    cl_season_year = 1.0 + 0.2 * np.cos(2 * np.pi * (year - 196) / 365.25)
    clear_sky_year = _clear_sky(year)
    probs_year = _day_type_probabilities(year)
    mean_k = np.array([np.mean(r) for r in _DAY_TYPES_CLEARNESS])
    pv_norm = float((clear_sky_year.sum(axis=1) * 0.5 * (probs_year @ mean_k)).sum())
    return use_norm, float(cl_season_year.sum()), pv_norm


def _day_consumption(
    day_rng: np.random.Generator,
    homes: _Homes,
    doy: Any,  # day of the year, a NumPy integer
    base_daily: NDArray[np.float64],
    cl_daily: NDArray[np.float64],
    cl_window: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """One day's general consumption and controlled load of every home, per half-hour (kWh)."""
    n_homes = homes.capacity.size
    temp = _mean_temperature(doy) + _TEMP_SD * day_rng.standard_normal()
    heating = max(0.0, float(_HEAT_BELOW - temp))
    cooling = max(0.0, float(temp - _COOL_ABOVE))
    day_noise = day_rng.lognormal(-0.5 * 0.15**2, 0.15, n_homes)
    slot_noise = day_rng.lognormal(-0.5 * 0.3**2, 0.3, (n_homes, HALF_HOURS))
    use = (
        homes.shapes["base"]
        + (homes.heat_sens * heating)[:, None] * homes.shapes["heat"]
        + (homes.cool_sens * cooling)[:, None] * homes.shapes["cool"]
    )
    general = (base_daily * day_noise)[:, None] * use * slot_noise
    cl_season = 1.0 + 0.2 * np.cos(2 * np.pi * (doy - 196) / 365.25)
    cl_noise = day_rng.lognormal(-0.5 * 0.1**2, 0.1, n_homes)
    return general, (cl_daily * cl_season * cl_noise)[:, None] * cl_window


def _day_generation(
    day_rng: np.random.Generator,
    homes: _Homes,
    probs: NDArray[np.float64],
    clear_sky: NDArray[np.float64],
    pv_scale: NDArray[np.float64],
) -> NDArray[np.float64]:
    """One day's PV generation of every home, per half-hour (kWh): clearness of the day and of each slot."""
    kind = day_rng.choice(3, p=probs)
    lo, hi = _DAY_TYPES_CLEARNESS[kind]
    k_day = day_rng.uniform(lo, hi)
    cloud_sd = (0.05, 0.35, 0.25)[kind]
    k_slot = day_rng.lognormal(-0.5 * cloud_sd**2, cloud_sd, HALF_HOURS)
    home_factor = day_rng.lognormal(-0.5 * 0.08**2, 0.08, homes.capacity.size)
    # Clearness of each half-hour; cloud edges can briefly lift it above 1,
    # never far (cap 1.1).
    k = np.minimum(k_day * k_slot, 1.1)
    raw = pv_scale[:, None] * home_factor[:, None] * clear_sky * 0.5 * k
    # The inverter cannot deliver more than the system's rating: at most
    # capacity (kW) x 0.5 h per half-hour.
    return np.minimum(raw, 0.5 * homes.capacity[:, None])


def annual_summary(households: Households) -> dict[str, tuple[float, float]]:
    """Per-home (mean, median) of the quantities in :data:`AUSGRID_SUMMARY`.

    Annual totals are the sums over the period scaled to 365 days, so the
    comparison with Ausgrid's figures is meaningful for a full year.
    """
    instance(households, Households, "households")
    scale = 365.0 / households.n_days
    use = households.consumption.sum(axis=1) * scale
    gen = households.generation.sum(axis=1) * scale
    cap = households.capacity_kwp
    return {
        "annual consumption (kWh)": (float(use.mean()), float(np.median(use))),
        "annual gross generation (kWh)": (float(gen.mean()), float(np.median(gen))),
        "PV system size (kWp)": (float(cap.mean()), float(np.median(cap))),
        "yield (kWh/kWp)": (float(gen.sum() / cap.sum()), float(np.median(gen / cap))),
    }


# --------------------------------------------------------------------------- Ausgrid files

_TIME_COLUMNS = [
    f"{(30 * k // 60) % 24}:{30 * k % 60:02d}" for k in range(1, HALF_HOURS + 1)
]  # "0:30", "1:00", ..., "23:30", "0:00": the half-hour that *ends* at that time
_ID_COLUMNS = ["Customer", "Generator Capacity", "Postcode", "Consumption Category", "date"]
_CATEGORIES = ("GC", "CL", "GG")


class _ClosingTextWrapper(io.TextIOWrapper):
    """A UTF-8 text stream over a gzip stream that also closes the file under it (GzipFile does not)."""

    def __init__(self, raw: gzip.GzipFile, file: IO[bytes]) -> None:
        super().__init__(raw, encoding="utf-8", newline="")
        self._file = file

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._file.close()


#: A plain decimal number in ASCII (Python's ``float`` also takes ``1_000``, ``nan``, ``inf`` and non-ASCII digits).
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
#: The header of a net-energy file (:func:`read_net`).
NET_HEADER = ("customer", "timestamp", "net_kwh")


def households_from_net(
    customer: Any, timestamps: Any, net_kwh: Any, *, postcode: Any = None, capacity_kwp: Any = None
) -> Households:
    """Homes from net energy per half-hour (imports positive, exports negative), as imports and exports.

    Many meters, and many public extracts, give only the net energy a home
    draws from the grid. The gross figures are not recoverable from it; this
    splits each half-hour into its import (returned as ``consumption``) and
    its export (as ``generation``). What that keeps and loses:

    * the net energy of every half-hour, so every hour's surplus and deficit,
      is exact: everything the market, the election and the ledger use;
    * gross consumption and generation are understated by the PV a home
      uses itself (both are zero where it does), so Algorithm 1's demand
      (the homes' aggregate consumption) sees imports only and the system
      states are lower than with gross data.

    Parameters
    ----------
    customer
        Ids, shape ``(n_homes,)``, distinct integers.
    timestamps
        Start of each half-hour, ``(48 * n_days,)``, consecutive, from midnight.
    net_kwh
        ``(n_homes, 48 * n_days)`` finite kWh; negative = export.
    postcode, capacity_kwp
        Optional per-home values (default 0: unknown).

    Raises
    ------
    ValueError
        For shapes that do not agree, non-finite energies, repeated ids or
        timestamps that are not whole days of consecutive half-hours.

    Examples
    --------
    >>> t = np.arange("2013-01-01T00:00", "2013-01-02T00:00", 30, dtype="datetime64[m]")
    >>> h = households_from_net([7], t, np.where(np.arange(48) % 2, 0.2, -0.1)[None, :])
    >>> float(h.consumption.sum()), float(h.generation.sum())
    (4.8, 2.4)
    """
    ids = np.asarray(customer) if isinstance(customer, (list, tuple, np.ndarray)) else np.asarray(None)
    if ids.ndim != 1 or ids.size == 0 or ids.dtype.kind not in "iu" or np.unique(ids).size != ids.size:
        raise ValueError(f"customer must be distinct integer ids, one per home, got {customer!r:.80}")
    t = np.asarray(timestamps) if isinstance(timestamps, (list, tuple, np.ndarray)) else np.asarray(None)
    if t.ndim != 1 or t.dtype.kind != "M":
        raise ValueError("timestamps must be a 1-D array of numpy.datetime64 (the start of each half-hour)")
    t = t.astype("datetime64[m]")
    n = ids.size
    net = finite_array(net_kwh, "net_kwh", ndim=2)
    if net.shape != (n, t.size):
        raise ValueError(f"net_kwh must have shape (homes, half-hours) = ({n}, {t.size}), got {net.shape}")
    if (
        t.size == 0
        or t.size % HALF_HOURS
        or np.any(np.diff(t) != np.timedelta64(30, "m"))
        or t[0] != t[0].astype("datetime64[D]")
    ):
        raise ValueError("timestamps must be whole days of consecutive half-hours, starting at midnight")
    if postcode is None:
        post = np.zeros(n, dtype=np.int64)
    else:
        post = np.asarray(postcode) if isinstance(postcode, (list, tuple, np.ndarray)) else np.asarray(None)
        if post.shape != (n,) or post.dtype.kind not in "iu":
            raise ValueError(f"postcode must hold one integer per home ({n}), got {postcode!r:.80}")
    cap = np.zeros(n) if capacity_kwp is None else finite_array(capacity_kwp, "capacity_kwp", ndim=1, minimum=0.0)
    if cap.shape != (n,):
        raise ValueError(f"capacity_kwp must hold one value per home ({n}), got {cap.shape}")
    order = np.argsort(ids)
    return Households(
        customer=ids[order].astype(np.int64),
        postcode=post[order].astype(np.int64),
        capacity_kwp=cap[order],
        timestamps=t,
        consumption=np.maximum(net, 0.0)[order],
        controlled_load=np.zeros_like(net),
        generation=np.maximum(-net, 0.0)[order],
    )


def read_net(path: str | Path) -> Households:
    """Read a net-energy file: a header ``customer,timestamp,net_kwh``, then one row per home and half-hour.

    ``timestamp`` is the start of the half-hour, ``YYYY-MM-DD HH:MM``;
    ``net_kwh`` the energy drawn from the grid (negative: exported), a plain
    decimal number. Every home needs a reading for every half-hour of whole,
    consecutive days. The homes are built by :func:`households_from_net`
    (read there what net data keep and lose). ``.csv`` or ``.csv.gz``.

    Raises
    ------
    ValueError
        Naming the file and line, for a wrong header, a malformed id, time or
        number, a repeated or missing reading.
    """
    path = _path(path, "path")
    where = str(path)
    readings: dict[int, dict[np.datetime64, float]] = {}
    try:
        with _open_text(path, "r") as fh:
            reader = csv.reader(fh)
            header = tuple(c.strip() for c in next(reader, []))
            if header != NET_HEADER:
                raise ValueError(
                    f"{where}, line 1: the header must be {','.join(NET_HEADER)}, got {','.join(header)!r}"
                )
            for line_no, row in enumerate(reader, start=2):
                if not row or all(not c.strip() for c in row):
                    continue
                if len(row) != 3:
                    raise ValueError(f"{where}, line {line_no}: {len(row)} fields, expected 3")
                c, ts, v = (x.strip() for x in row)
                if not re.fullmatch(r"[0-9]{1,9}", c, re.ASCII):
                    raise ValueError(f"{where}, line {line_no}, column 'customer': {c!r} is not a whole number id")
                try:
                    when = np.datetime64(dt.datetime.strptime(ts, "%Y-%m-%d %H:%M"), "m")
                except ValueError:
                    raise ValueError(
                        f"{where}, line {line_no}, column 'timestamp': {ts!r} is not YYYY-MM-DD HH:MM"
                    ) from None
                if not _DECIMAL.fullmatch(v):
                    raise ValueError(f"{where}, line {line_no}, column 'net_kwh': {v!r} is not a plain decimal number")
                home = readings.setdefault(int(c), {})
                if when in home:
                    raise ValueError(f"{where}, line {line_no}: a second reading for customer {c} at {ts}")
                home[when] = float(v)
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        raise ValueError(f"{where}: not a readable net-energy CSV file ({type(exc).__name__}: {exc})") from None
    if not readings:
        raise ValueError(f"{where}: no data rows after the header")
    ids = sorted(readings)
    times = sorted(readings[ids[0]])
    for home_id in ids:
        if sorted(readings[home_id]) != times:
            raise ValueError(
                f"{where}: customer {home_id} does not have a reading at every half-hour customer {ids[0]} has"
            )
    net = np.array([[readings[i][t] for t in times] for i in ids])
    try:
        return households_from_net(np.array(ids), np.array(times), net)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


def _open_text(path: Path, mode: str) -> IO[str]:
    if path.suffix == ".gz":
        if "w" in mode:
            # mtime=0 keeps the compressed bytes reproducible.
            file = open(path, "wb")  # closed by _ClosingTextWrapper
            raw = gzip.GzipFile(filename="", mode="wb", fileobj=file, mtime=0)
            return _ClosingTextWrapper(raw, file)
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, mode, encoding="utf-8", newline="")


def write_ausgrid(households: Households, path: str | Path, title: str | None = None) -> None:
    """Write homes in the Ausgrid solar home CSV layout (one row per home, day and category).

    Layout: a title line; a header ``Customer, Generator Capacity, Postcode,
    Consumption Category, date, 0:30, ..., 23:30, 0:00, Row Quality``; then
    rows with category ``GC`` (general consumption), ``CL`` (controlled load,
    only for homes that have one) and ``GG`` (gross generation), dates as
    ``d/mm/yyyy`` and readings in kWh with three decimals. A path ending in
    ``.gz`` is gzip-compressed (with a zero timestamp, so the bytes are
    reproducible).
    """
    instance(households, Households, "households")
    path = _path(path, "path")
    if title is not None and not isinstance(title, str):
        raise ValueError(f"title must be a string or None, got {title!r:.80}")
    title = title or "Synthetic solar home half-hour data (vpt.data.generate_households; not Ausgrid data)"
    days = households.days().astype(object)
    general = households.general_consumption
    has_cl: NDArray[np.bool_] = np.any(households.controlled_load > 0, axis=1)
    with _open_text(path, "w") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([title])
        writer.writerow(_ID_COLUMNS + _TIME_COLUMNS + ["Row Quality"])
        for h in range(households.n_homes):
            series = [("GC", general[h])]
            if has_cl[h]:
                series.append(("CL", households.controlled_load[h]))
            series.append(("GG", households.generation[h]))
            for d, day in enumerate(days):
                date = f"{day.day}/{day.month:02d}/{day.year}"
                for cat, values in series:
                    chunk = values[d * HALF_HOURS : (d + 1) * HALF_HOURS]
                    writer.writerow(
                        [
                            int(households.customer[h]),
                            f"{households.capacity_kwp[h]:g}",
                            int(households.postcode[h]),
                            cat,
                            date,
                            *(f"{v:.3f}" for v in chunk),
                            "",
                        ]
                    )


class _FileError(ValueError):
    pass


def read_ausgrid(path: str | Path) -> Households:
    """Read an Ausgrid solar home half-hour CSV file (``.csv`` or ``.csv.gz``).

    The file has one title line (optional: a file that starts with the
    header is read too), then the header ``Customer, Generator
    Capacity, Postcode, Consumption Category, date, 0:30, ..., 23:30, 0:00``
    (a trailing ``Row Quality`` column is allowed and ignored), then one row
    per customer, day and category: ``GC`` general consumption, ``CL``
    controlled load (optional, but then on every day), ``GG`` gross PV
    generation. Dates are ``d/mm/yyyy``. Consumption is returned as
    GC + CL, as the paper's "residential load".

    Parameters
    ----------
    path
        The CSV file.

    Returns
    -------
    Households
        Homes ordered by customer id; days must be consecutive.

    Raises
    ------
    ValueError
        Naming the file, the line and the column, if a column is missing, a
        reading is not a non-negative number, a row has the wrong number of
        half-hours, a category is unknown, a row is duplicated, a customer's
        capacity or postcode changes between rows, or a customer lacks a
        category on some day.
    """
    path = _path(path, "path")
    where = str(path)
    try:
        fh = _open_text(path, "r")
    except OSError as exc:
        raise ValueError(f"{where}: cannot open ({exc})") from exc
    try:
        return _read_rows(fh, where)
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:  # a corrupt .gz, a truncated or binary file
        raise ValueError(f"{where}: not a readable Ausgrid CSV file ({type(exc).__name__}: {exc})") from None


def _read_rows(fh: IO[str], where: str) -> Households:
    """Parse the opened file (title, header, rows) into households."""
    rows: dict[tuple[int, dt.date, str], NDArray[np.float64]] = {}
    meta: dict[int, tuple[float, int, int]] = {}
    with fh:
        reader = csv.reader(fh)
        header, col, header_line = _read_header(reader, where)
        for line_no, row in enumerate(reader, start=header_line + 1):
            if not row or all(not c.strip() for c in row):
                continue
            customer, capacity, postcode, category, date, values = _parse_row(
                row, header, col, f"{where}, line {line_no}"
            )
            if customer in meta and meta[customer][:2] != (capacity, postcode):
                raise ValueError(
                    f"{where}, line {line_no}: customer {customer} has capacity/postcode "
                    f"{(capacity, postcode)} here but {meta[customer][:2]} on line {meta[customer][2]}"
                )
            meta.setdefault(customer, (capacity, postcode, line_no))
            key = (customer, date, category)
            if key in rows:
                raise ValueError(f"{where}, line {line_no}: duplicate row for customer {customer}, {date}, {category}")
            rows[key] = values
    return _assemble_households(rows, meta, where)


def _read_header(reader: Any, where: str) -> tuple[list[str], dict[str, int], int]:
    """Read the column names, after the title line if there is one.

    Returns the header, each needed column's index and the line number of
    the header. Ausgrid's files start with a title line; a file saved
    without it starts with the header, recognised by its ``Customer`` and
    ``date`` columns.
    """
    try:
        first = [c.strip() for c in next(reader)]
        if "Customer" in first and "date" in first:
            header, line = first, 1
        else:
            header, line = [c.strip() for c in next(reader)], 2
    except StopIteration:
        raise ValueError(f"{where}: no header line (expected a title line, then the column names)") from None
    missing = [c for c in _ID_COLUMNS + _TIME_COLUMNS if c not in header]
    if missing:
        found = len(set(header) & set(_ID_COLUMNS + _TIME_COLUMNS))
        raise ValueError(
            f"{where}, line {line}: missing column(s) {', '.join(missing)} (found {found} of the "
            f"{len(_ID_COLUMNS + _TIME_COLUMNS)} needed; the header must name Customer, Generator Capacity, "
            "Postcode, Consumption Category, date and the 48 half-hours 0:30 ... 23:30, 0:00)"
        )
    return header, {name: header.index(name) for name in _ID_COLUMNS + _TIME_COLUMNS}, line


def _whole(digits: int, minimum: int) -> Callable[[str], int]:
    """A converter of 1 to ``digits`` ASCII digits to an int of at least ``minimum``.

    ``int()`` alone would also take ``1_000`` and non-ASCII digits.
    """

    def convert(text: str) -> int:
        if not re.fullmatch(rf"[0-9]{{1,{digits}}}", text, re.ASCII) or int(text) < minimum:
            raise ValueError(text)
        return int(text)

    return convert


def _plain_decimal(text: str) -> float:
    """A plain decimal number (``float()`` also takes ``1_000``, ``nan`` and non-ASCII digits)."""
    if not _DECIMAL.fullmatch(text):
        raise ValueError(text)
    return float(text)


def _parse_row(
    row: list[str], header: list[str], col: dict[str, int], at: str
) -> tuple[int, float, int, str, dt.date, NDArray[np.float64]]:
    """Customer, capacity, postcode, category, date and the 48 readings of one data row.

    ``at`` names the file and line in every error message.
    """
    expected_width = len(header)
    if len(row) < expected_width - (1 if header[-1] == "Row Quality" else 0):
        raise ValueError(
            f"{at}: {len(row)} fields, expected {expected_width} (5 id columns and {HALF_HOURS} half-hours)"
        )
    if len(row) > expected_width:
        raise ValueError(f"{at}: {len(row)} fields, expected {expected_width}")

    def field(name: str, convert, what: str):
        text = row[col[name]].strip()
        try:
            return convert(text)
        except (ValueError, TypeError):
            raise ValueError(f"{at}, column {name!r}: {text!r} is not {what}") from None

    customer = field("Customer", _whole(9, 1), "a customer id (1 to 9 plain digits, at least 1)")
    capacity = field("Generator Capacity", _plain_decimal, "a capacity in kWp (a plain decimal number)")
    postcode = field("Postcode", _whole(4, 0), "a postcode (1 to 4 plain digits)")
    category = row[col["Consumption Category"]].strip()
    if category not in _CATEGORIES:
        raise ValueError(f"{at}, column 'Consumption Category': unknown category {category!r} (expected GC, CL or GG)")
    date = field("date", lambda s: dt.datetime.strptime(s, "%d/%m/%Y").date(), "a d/mm/yyyy date")
    values = np.empty(HALF_HOURS)
    for k, name in enumerate(_TIME_COLUMNS):
        text = row[col[name]].strip()
        if not _DECIMAL.fullmatch(text):
            raise ValueError(f"{at}, column {name!r}: {text!r} is not a number (plain decimal digits, e.g. 0.125)")
        v = float(text)
        if not math.isfinite(v) or v < 0:
            raise ValueError(f"{at}, column {name!r}: {text!r} is not a finite, non-negative kWh value")
        values[k] = v
    if not math.isfinite(capacity) or capacity < 0:
        raise ValueError(f"{at}, column 'Generator Capacity': {capacity} is not >= 0")
    return customer, capacity, postcode, category, date, values


def _assemble_households(
    rows: dict[tuple[int, dt.date, str], NDArray[np.float64]], meta: dict[int, tuple[float, int, int]], where: str
) -> Households:
    """The homes of a read file, ordered by customer id, on consecutive days, every category present."""
    if not rows:
        raise ValueError(f"{where}: no data rows")
    customers = sorted(meta)
    dates = sorted({k[1] for k in rows})
    n_days = (dates[-1] - dates[0]).days + 1
    if n_days != len(dates):
        gaps = sorted(set(dates[0] + dt.timedelta(i) for i in range(n_days)) - set(dates))
        raise ValueError(f"{where}: days are not consecutive; no rows at all for {gaps[0]}")
    shape = (len(customers), n_days * HALF_HOURS)
    arrays = {cat: np.zeros(shape) for cat in _CATEGORIES}
    for h, c in enumerate(customers):
        cl_days = sum((c, d, "CL") in rows for d in dates)
        needed = ("GC", "GG", "CL") if cl_days else ("GC", "GG")
        for d_i, d in enumerate(dates):
            for cat in needed:
                row_values = rows.get((c, d, cat))
                if row_values is None:
                    raise ValueError(f"{where}: customer {c} has no {cat} row for {d:%d/%m/%Y}")
                arrays[cat][h, d_i * HALF_HOURS : (d_i + 1) * HALF_HOURS] = row_values
    start = np.datetime64(dates[0], "m")
    timestamps = start + np.arange(n_days * HALF_HOURS) * np.timedelta64(30, "m")
    consumption = np.round((arrays["GC"] + arrays["CL"]) * 1000.0) / 1000.0
    return Households(
        customer=np.array(customers, dtype=np.int64),
        postcode=np.array([meta[c][1] for c in customers], dtype=np.int64),
        capacity_kwp=np.array([meta[c][0] for c in customers], dtype=float),
        timestamps=timestamps,
        consumption=consumption,
        controlled_load=arrays["CL"],
        generation=arrays["GG"],
    )


# --------------------------------------------------------------------------- the shipped file

#: Arguments of the data set shipped with the package (January 2013, Sydney summer).
SHIPPED: dict[str, Any] = {"n_homes": 100, "start_date": "2013-01-01", "n_days": 31, "seed": 20130101}
#: File name of the shipped data set, in the package's ``vpt/_data/`` folder (package data).
SHIPPED_FILE = "households-2013-01.csv.gz"

#: Relative tolerance of each calibration statistic (mean, median) for 100 homes
#: over one year: three standard deviations of the statistic across seeds 0-19
#: of the generator, plus its bias (generation loses about 3 % to inverter
#: clipping), rounded up to a whole per cent (measured once, see data/README.md).
CALIBRATION_TOLERANCE: dict[str, tuple[float, float]] = {
    "annual consumption (kWh)": (0.02, 0.02),
    "annual gross generation (kWh)": (0.10, 0.14),
    "PV system size (kWp)": (0.02, 0.01),
}


def calibration_table(seed: int = SHIPPED["seed"], n_homes: int = SHIPPED["n_homes"]) -> list[str]:
    """Markdown rows comparing a year of the generator's homes with Ausgrid's summary.

    The homes are the shipped homes (they depend on ``seed`` and ``n_homes``
    only); the year is 1 July 2012 to 30 June 2013, Ausgrid's year.
    """
    homes = generate_households(n_homes, "2012-07-01", 365, seed)
    ours = annual_summary(homes)
    rows = [
        "| quantity | statistic | Ausgrid 2012-13 | generator | deviation | tolerance |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for name, published in AUSGRID_SUMMARY.items():
        for j, stat in enumerate(("mean", "median")):
            dev = ours[name][j] / published[j] - 1
            rows.append(
                f"| {name} | {stat} | {published[j]:,.2f} | {ours[name][j]:,.2f} | "
                f"{dev:+.1%} | {CALIBRATION_TOLERANCE[name][j]:.0%} |"
            )
    dev = ours["yield (kWh/kWp)"][0] / AUSGRID_MEAN_YIELD - 1
    rows.append(
        f"| yield (kWh/kWp) | mean (total/total) | {AUSGRID_MEAN_YIELD:,.2f} | "
        f"{ours['yield (kWh/kWp)'][0]:,.2f} | {dev:+.1%} | 10% |"
    )
    return rows


#: Environment variable naming a household file to use instead of the shipped one.
HOUSEHOLDS_ENV = "VPT_HOUSEHOLDS"


def shipped_path() -> Path:
    """Path of the shipped synthetic data set: package data, in ``vpt/_data/`` of the installed package or the clone."""
    return Path(__file__).resolve().parent / "_data" / SHIPPED_FILE


def load_households(path: str | Path | None = None) -> Households:
    """The households the chapters use.

    ``path`` if given; else the file named by the environment variable
    ``VPT_HOUSEHOLDS`` (for example a real Ausgrid file); else the shipped
    synthetic data set. A file that starts with the net-energy header
    (:data:`NET_HEADER`) is read with :func:`read_net`, any other with
    :func:`read_ausgrid`.
    """
    chosen = (
        _path(path, "path") if path is not None else _path(os.environ.get(HOUSEHOLDS_ENV) or shipped_path(), "path")
    )
    return read_net(chosen) if is_net_file(chosen) else read_ausgrid(chosen)


def is_net_file(path: str | Path) -> bool:
    """Whether a household file starts with the net-energy header (:func:`read_net`) rather than Ausgrid's layout.

    Raises
    ------
    ValueError
        If the file cannot be opened or decoded.
    """
    file = _path(path, "path")
    try:
        with _open_text(file, "r") as fh:
            first = fh.readline()
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise ValueError(f"{file}: cannot open ({type(exc).__name__}: {exc})") from None
    return tuple(c.strip() for c in first.split(",")) == NET_HEADER


def _path(value: Any, name: str) -> Path:
    """A file path given as a string or path-like object."""
    if not isinstance(value, (str, os.PathLike)) or (isinstance(value, str) and not value):
        raise ValueError(f"{name} must be a file path (str or os.PathLike), got {value!r:.80}")
    return Path(value)


_DATE_FORMATS = "YYYY-MM-DD (e.g. 2013-01-27) or Ausgrid's D/MM/YYYY (e.g. 27/01/2013)"


def _date(value: Any, name: str) -> Any:
    """A calendar day from an ISO string, Ausgrid's ``d/mm/yyyy``, ``datetime.date`` or ``numpy.datetime64``."""
    if not isinstance(value, (str, dt.date, np.datetime64)):
        raise ValueError(f"{name} must be a date, {_DATE_FORMATS}, or a datetime.date, got {value!r:.80}")
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", value.strip()):
        d, m, y = (int(x) for x in value.strip().split("/"))
        try:
            return np.datetime64(dt.date(y, m, d), "D")
        except ValueError:
            raise ValueError(f"{name} is not a date: {value!r:.80} (day/month/year)") from None
    try:
        day = np.datetime64(value, "D")  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} is not a date: {value!r:.80}; give {_DATE_FORMATS}") from None
    if np.isnat(day):
        raise ValueError(f"{name} is not a date: {value!r:.80}; give {_DATE_FORMATS}")
    return day


if __name__ == "__main__":  # pragma: no cover - regenerates the shipped file
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else shipped_path()
    write_ausgrid(generate_households(**SHIPPED), out)
    print(f"wrote {out}")
    print("\n".join(calibration_table()))
