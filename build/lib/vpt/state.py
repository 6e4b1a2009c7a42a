"""System-state determination by a VPP (the paper's Algorithm 1)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt._checks import choice, finite_array, instance, number, real_array

__all__ = [
    "StateLimits",
    "SystemState",
    "classify_demand",
    "fee_rates",
    "limits_from_quantiles",
    "state_occupancy",
]


class SystemState(enum.IntEnum):
    """The four grid states of Algorithm 1, ordered from least to most stressed.

    The integer value is the state's code in the arrays that
    :func:`classify_demand` returns (0 = Stable ... 3 = Shutdown).

    Examples
    --------
    >>> SystemState.WARNING.fee_rate
    0.07
    >>> SystemState.SHUTDOWN.transaction_fee_rate == SystemState.SHUTDOWN.mining_fee_rate
    True
    """

    STABLE = 0
    WARNING = 1
    BREAKDOWN = 2
    SHUTDOWN = 3

    @property
    def fee_rate(self) -> float:
        """Fee rate of the state (Algorithm 1: 10 %, 7 %, 3 %, 1 %)."""
        return float(FEE_RATES[self.value])

    @property
    def transaction_fee_rate(self) -> float:
        """``RT_tx`` of Algorithm 1; the paper sets it equal to the mining rate."""
        return self.fee_rate

    @property
    def mining_fee_rate(self) -> float:
        """``RT_m`` of Algorithm 1; the paper sets it equal to the transaction rate."""
        return self.fee_rate

    @property
    def label(self) -> str:
        """The state's name as the paper writes it ("Stable", "Warning", ...)."""
        return self.name.capitalize()


#: Fee rate of each state, indexed by :class:`SystemState` code (Algorithm 1, lines 3-12).
FEE_RATES: NDArray[np.float64] = np.array([0.10, 0.07, 0.03, 0.01])
FEE_RATES.setflags(write=False)


@dataclass(frozen=True)
class StateLimits:
    """The three demand limits of Algorithm 1: ``S_l < B_r < M_c``.

    Parameters
    ----------
    stable
        ``S_l``: the largest demand that is still the Stable state.
    breakdown
        ``B_r``: the largest demand that is still the Warning state.
    shutdown
        ``M_c``: the largest demand that is still the Breakdown state; above it
        the grid is in the Shutdown state.

    Raises
    ------
    ValueError
        If a limit is not finite or the three are not strictly increasing.
    """

    stable: float
    breakdown: float
    shutdown: float

    def __post_init__(self) -> None:
        for name in ("stable", "breakdown", "shutdown"):
            number(getattr(self, name), name)
        values = self.as_array()
        if not np.all(np.isfinite(values)):
            raise ValueError(f"state limits must be finite, got {tuple(values)}")
        if not (values[0] < values[1] < values[2]):
            raise ValueError(
                "state limits must be strictly increasing (S_l < B_r < M_c), "
                f"got S_l={values[0]}, B_r={values[1]}, M_c={values[2]}"
            )

    def as_array(self) -> NDArray[np.float64]:
        """The limits as a float array ``[S_l, B_r, M_c]``."""
        return np.array([self.stable, self.breakdown, self.shutdown], dtype=float)


NonPositive = Literal["stable", "raise"]


@overload
def classify_demand(demand: float, limits: StateLimits, *, nonpositive: NonPositive = "stable") -> SystemState: ...
@overload
def classify_demand(
    demand: NDArray[np.floating], limits: StateLimits, *, nonpositive: NonPositive = "stable"
) -> NDArray[np.int64]: ...


def classify_demand(
    demand: ArrayLike, limits: StateLimits, *, nonpositive: NonPositive = "stable"
) -> SystemState | NDArray[np.int64]:
    """Classify grid demand into the states of Algorithm 1.

    Algorithm 1 (lines 2-13) assigns

    ========================  ==========
    condition                 state
    ========================  ==========
    ``0 < G <= S_l``          Stable
    ``S_l < G <= B_r``        Warning
    ``B_r < G <= M_c``        Breakdown
    ``M_c < G``               Shutdown
    ========================  ==========

    The extracted text of the paper shows ``<`` where the guide restates
    ``<=``; only the half-open reading above partitions the positive axis, so
    it is the one implemented.

    Parameters
    ----------
    demand
        Real-time demand ``G_g`` (any unit, the same as the limits): a scalar
        or an array of any shape.
    limits
        The three limits ``S_l < B_r < M_c``.
    nonpositive
        What a demand ``<= 0`` means. The paper's first branch starts at
        ``0 < G``, so a zero or negative demand (an area exporting more than it
        draws) falls through every branch of Algorithm 1 and is left
        undefined. ``"stable"`` (default) reads it as the least stressed
        state: the grid is not being drawn on at all. ``"raise"`` refuses it
        with a ``ValueError`` instead.

    Returns
    -------
    SystemState or numpy.ndarray of int
        A :class:`SystemState` for a scalar demand; for an array, an integer
        array of the same shape holding :class:`SystemState` codes.

    Raises
    ------
    ValueError
        If any demand is NaN or the ``nonpositive`` option is unknown, or if
        ``nonpositive="raise"`` and a demand is ``<= 0``.

    Examples
    --------
    >>> limits = StateLimits(10.0, 20.0, 30.0)
    >>> classify_demand(20.0, limits)
    <SystemState.WARNING: 1>
    >>> classify_demand(np.array([5.0, 10.5, 25.0, 31.0]), limits)
    array([0, 1, 2, 3])
    """
    choice(nonpositive, "nonpositive", ("stable", "raise"))
    instance(limits, StateLimits, "limits")
    values = real_array(demand, "demand")
    if np.isnan(values).any():
        raise ValueError("demand contains NaN; Algorithm 1 needs a number for every reading")
    if nonpositive == "raise" and (values <= 0).any():
        raise ValueError(
            "demand <= 0 is outside Algorithm 1 (its first branch is 0 < G_g <= S_l); "
            "pass nonpositive='stable' to treat it as Stable"
        )
    # side="left" counts the limits strictly below each demand: exactly the
    # half-open intervals (S_l, B_r], (B_r, M_c], (M_c, inf) of Algorithm 1.
    codes = np.searchsorted(limits.as_array(), values, side="left").astype(np.int64)
    if values.ndim == 0:
        return SystemState(int(codes))
    return codes


def fee_rates(states: ArrayLike) -> NDArray[np.float64]:
    """Fee rate (``RT_tx = RT_m``) of each state code, vectorised.

    Parameters
    ----------
    states
        :class:`SystemState` members or their integer codes, any shape.

    Returns
    -------
    numpy.ndarray
        The fee rate of each state, same shape as ``states``.

    Raises
    ------
    ValueError
        If a code is not one of 0, 1, 2, 3.
    """
    codes = np.asarray(states)
    if codes.size and (not np.issubdtype(codes.dtype, np.integer) or codes.min() < 0 or codes.max() > 3):
        raise ValueError(f"state codes must be integers 0-3, got {np.unique(codes)}")
    return FEE_RATES[codes.astype(np.int64)]


def limits_from_quantiles(demand: ArrayLike, quantiles: tuple[float, float, float] = (0.5, 0.9, 0.99)) -> StateLimits:
    """Derive ``S_l, B_r, M_c`` from the demand record itself.

    The paper feeds the three limits to the VPP but never says what they are.
    This helper sets them at quantiles of observed demand, so that the
    Stable state covers the ordinary half of the time, Warning the upper
    part of the load curve, Breakdown the top decile and Shutdown the
    rarest peaks. The chapter on Algorithm 1 states the quantiles it uses.

    Parameters
    ----------
    demand
        Observed demand, any shape; NaN is refused.
    quantiles
        Three strictly increasing probabilities in (0, 1).

    Returns
    -------
    StateLimits

    Raises
    ------
    ValueError
        If ``demand`` is empty or holds NaN, if the quantiles are not strictly
        increasing in (0, 1), or if the demand record is so flat that the
        limits coincide.
    """
    values = finite_array(demand, "demand").ravel()
    if values.size == 0:
        raise ValueError("demand is empty; limits need at least one reading")
    q = finite_array(quantiles, "quantiles")
    if q.shape != (3,) or not (0 < q[0] < q[1] < q[2] < 1):
        raise ValueError(f"quantiles must be three increasing values in (0, 1), got {quantiles}")
    s_l, b_r, m_c = np.quantile(values, q)
    return StateLimits(float(s_l), float(b_r), float(m_c))


def state_occupancy(codes: ArrayLike) -> NDArray[np.float64]:
    """Share of readings in each state: a length-4 array summing to 1.

    Raises
    ------
    ValueError
        If ``codes`` is empty or holds a code outside 0-3.
    """
    values = np.asarray(codes).ravel()
    if values.size == 0:
        raise ValueError("no state codes to count")
    fee_rates(values)  # validates the codes
    return np.bincount(values.astype(np.int64), minlength=4) / values.size
