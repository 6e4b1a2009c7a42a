"""Matplotlib drawing helpers shared by the chapters (imported only where plots are made)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from vpt._checks import finite_array, instance, text
from vpt._optional import require
from vpt.state import StateLimits, SystemState

__all__ = ["STATE_COLOURS", "plot_demand_with_states"]

#: One colour per system state, from calm to alarming.
STATE_COLOURS = {
    SystemState.STABLE: "#d9f0d3",
    SystemState.WARNING: "#fee08b",
    SystemState.BREAKDOWN: "#fdae61",
    SystemState.SHUTDOWN: "#f46d43",
}


def plot_demand_with_states(
    ax, timestamps: NDArray[np.datetime64], demand: NDArray, limits: StateLimits, *, unit: str = "kW"
):
    """Draw a demand curve over horizontal bands, one per state of Algorithm 1.

    The bands are the demand ranges ``(0, S_l]``, ``(S_l, B_r]``, ``(B_r, M_c]``
    and ``(M_c, top]``; the limits are labelled on the right.

    Raises
    ------
    ValueError
        If ``ax`` is not a Matplotlib ``Axes``, ``timestamps`` is not a 1-D
        ``datetime64`` array, ``demand`` not finite numbers of the same
        length, ``limits`` not :class:`~vpt.state.StateLimits` or ``unit`` not
        a string.
    """
    axes = require("matplotlib.axes", "plot_demand_with_states")  # optional: only where plots are made

    instance(ax, axes.Axes, "ax")
    instance(limits, StateLimits, "limits")
    text(unit, "unit")
    times = np.asarray(timestamps) if isinstance(timestamps, (list, tuple, np.ndarray)) else np.asarray(None)
    if times.ndim != 1 or times.dtype.kind != "M":
        raise ValueError(f"timestamps must be a 1-D numpy.datetime64 array, got {timestamps!r:.80}")
    demand = finite_array(demand, "demand", ndim=1, nonempty=True)
    if demand.shape != times.shape:
        raise ValueError(f"demand has {demand.size} values for {times.size} timestamps")
    s_l, b_r, m_c = limits.as_array()
    top = max(float(np.max(demand)), m_c) * 1.08
    bottom = min(0.0, float(np.min(demand)) * 1.08)
    edges = [bottom, s_l, b_r, m_c, top]
    for state, lo, hi in zip(SystemState, edges[:-1], edges[1:], strict=True):
        ax.axhspan(lo, hi, color=STATE_COLOURS[state], zorder=0, label=state.label)
    for name, value in (("$S_l$", s_l), ("$B_r$", b_r), ("$M_c$", m_c)):
        ax.axhline(value, color="0.35", lw=0.8, ls="--", zorder=1)
        ax.annotate(
            name,
            (1.0, value),
            xycoords=("axes fraction", "data"),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    ax.plot(times, demand, color="k", lw=1.0, zorder=2)
    ax.set_ylim(bottom, top)
    ax.set_ylabel(f"aggregate demand ({unit})")
    return ax
