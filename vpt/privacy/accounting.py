"""A household's privacy loss over many releases, composed by Google's dp-accounting and checked in closed form.

A *release* is one of the mechanisms of the book, described by an event:
``("laplace", r, n)`` for ``n`` Laplace draws whose noise scale is ``r`` times
the sensitivity (each ``1/r``-DP), ``("pure", eps, n)`` for ``n`` releases of a
pure ``eps``-DP mechanism (an exponential mechanism, report-noisy-max).
:func:`pld_epsilon` composes a list of events with the privacy-loss
distribution accountant of ``dp_accounting`` (pessimistic discretisation, so
the epsilon it gives for a delta is an upper bound); :func:`basic_epsilon`
adds the budgets (Dwork and Roth, Theorem 3.16: the paper's Lemma 1), and
:func:`optimal_pure_delta` is the exact delta of ``k``-fold composition of a
pure mechanism (Kairouz, Oh and Viswanath 2015, Theorem 3.3), against which
the tests check the accountant's wiring.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from vpt._checks import count, non_negative, positive, probability
from vpt._optional import require

__all__ = ["basic_epsilon", "optimal_pure_delta", "pld_epsilon", "ppoem_slot_events", "slot_events_total"]

_KINDS = ("laplace", "pure")
#: The most releases one event may count (a year of every slot of a large household is far below).
_MAX_COUNT = 10**7
#: The largest total loss over discretisation step :func:`pld_epsilon` accepts (the accountant's array size).
_MAX_STEPS = 10**7


def _events(events: Any) -> list[tuple[str, float, int]]:
    """Validated events: a non-empty list of (kind, value, count)."""
    if not isinstance(events, (list, tuple)) or not events:
        raise ValueError(f"events must be a non-empty list of (kind, value, count), got {events!r:.80}")
    out = []
    for e in events:
        if not isinstance(e, (list, tuple)) or len(e) != 3 or e[0] not in _KINDS:
            raise ValueError(f"an event must be (kind, value, count) with kind in {_KINDS}, got {e!r:.80}")
        value = positive(e[1], f"the value of a {e[0]!r} event")
        if not 1e-6 <= value <= 1e6:
            raise ValueError(f"the value of a {e[0]!r} event must be in [1e-6, 1e6], got {value!r}")
        out.append((e[0], value, count(e[2], "an event's count", maximum=_MAX_COUNT)))
    return out


def basic_epsilon(events: Sequence[tuple[str, float, int]]) -> float:
    """The sum of the budgets (basic composition, the paper's Lemma 1): each Laplace draw costs ``1/r``.

    Examples
    --------
    >>> basic_epsilon([("laplace", 10.0, 10), ("pure", 0.1, 1)])
    1.1
    """
    return math.fsum(n / v if kind == "laplace" else n * v for kind, v, n in _events(events))


def pld_epsilon(events: Sequence[tuple[str, float, int]], delta: float, *, discretization: float = 1e-4) -> float:
    """The smallest epsilon the privacy-loss-distribution accountant certifies at ``delta`` for the composed events.

    Laplace draws use the accountant's exact Laplace PLD
    (``from_laplace_mechanism``); pure events its worst-case PLD for
    ``(eps, 0)``-DP (``from_privacy_parameters``). The discretisation is
    pessimistic: the result is an upper bound on the true epsilon, and at
    most :func:`basic_epsilon` up to the discretisation (capped to it).

    Raises
    ------
    ValueError
        For bad events, ``delta`` not in (0, 1), a discretisation not in
        [1e-5, 0.1], or one too fine for the total loss (more than 1e7 steps).
    """
    # optional: only the accountant needs dp-accounting
    common = require("dp_accounting.pld.common", "the PLD accountant (pld_epsilon)")
    privacy_loss_distribution = require("dp_accounting.pld.privacy_loss_distribution", "the PLD accountant")

    evs = _events(events)
    delta = probability(delta, "delta", open_interval=True)
    d = positive(discretization, "discretization")
    if not 1e-5 <= d <= 0.1:
        raise ValueError(f"discretization must be in [1e-5, 0.1], got {d!r}")
    if basic_epsilon(evs) / d > _MAX_STEPS:
        raise ValueError(
            f"a total loss of {basic_epsilon(evs):.3g} at discretization {d:g} needs more than {_MAX_STEPS:.0e} "
            "steps: use a coarser discretization"
        )
    total = None
    for kind, value, n in evs:
        if kind == "laplace":
            one = privacy_loss_distribution.from_laplace_mechanism(
                value, sensitivity=1.0, value_discretization_interval=d
            )
        else:
            one = privacy_loss_distribution.from_privacy_parameters(
                common.DifferentialPrivacyParameters(value, 0.0), value_discretization_interval=d
            )
        composed = one.self_compose(n) if n > 1 else one
        total = composed if total is None else total.compose(composed)
    assert total is not None
    eps = float(total.get_epsilon_for_delta(delta))
    return min(eps, basic_epsilon(evs))


def optimal_pure_delta(eps0: float, k: int, eps: float) -> float:
    """The exact delta at ``eps`` of the ``k``-fold composition of an ``eps0``-DP mechanism.

    Kairouz, Oh and Viswanath (2015), Theorem 3.3 (tight for the worst
    mechanism, randomized response): ``delta = sum_{i=0}^{k} C(k, i)
    max(0, e^{(k-i) eps0} - e^{eps + i eps0}) / (1 + e^{eps0})^k``, computed
    in log space.

    Examples
    --------
    >>> optimal_pure_delta(0.5, 1, 0.5)
    0.0
    >>> round(optimal_pure_delta(0.5, 1, 0.0), 6)  # one release: delta(0) = (e^eps0 - 1) / (e^eps0 + 1)
    0.244919
    """
    eps0 = positive(eps0, "eps0")
    if eps0 > 100:
        raise ValueError(f"eps0 must be at most 100, got {eps0!r}")
    k = count(k, "k", maximum=10**5)
    eps = non_negative(eps, "eps")
    log_norm = k * (eps0 + math.log1p(math.exp(-eps0)))  # log (1 + e^eps0)^k
    total = 0.0
    for i in range(k + 1):
        a, b = (k - i) * eps0, eps + i * eps0
        if a <= b:
            continue  # the terms are decreasing in i: none after this is positive
        log_c = math.lgamma(k + 1) - math.lgamma(i + 1) - math.lgamma(k - i + 1)
        total += math.exp(log_c + a + math.log1p(-math.exp(b - a)) - log_norm)
    return min(total, 1.0)


def ppoem_slot_events(
    distance: float, *, eps1: float, eps2: float, f_i: float = 1.0, dq1: float = 1.0
) -> list[tuple[str, float, int]]:
    """The release of one slot's private price under PPoEM *without* its interval, for a bid moved by ``distance``.

    Eq. 9 draws a string of Laplace values of scale ``f_i / eps1`` around the bid and Eq. 10 selects one with the
    exponential mechanism; Algorithm 3 (line 22) releases that one price, not the string. Coupling the two strings
    (each candidate under one bid paired with the same candidate moved by the bids' difference) bounds the
    released price's density ratio by ``exp(eps1 distance / f_i) exp(eps2 distance / dq1)`` whatever the string's
    length (the errata chapter derives it; :func:`vpt.privacy.laws.bare_ppoem_price_loss` computes the exact loss,
    which is below the bound). So one slot is one pure release of that budget. (As written, with the price kept
    in [ask, bid], the loss is infinite whatever the budgets: see the privacy audit.)

    Examples
    --------
    >>> ppoem_slot_events(1.0, eps1=0.1, eps2=0.1)
    [('pure', 0.2, 1)]
    """
    dist = positive(distance, "distance")
    budget = positive(eps1, "eps1") * dist / positive(f_i, "f_i") + positive(eps2, "eps2") * dist / positive(dq1, "dq1")
    return [("pure", budget, 1)]


def slot_events_total(events: Sequence[tuple[str, float, int]], slots: int) -> list[tuple[str, float, int]]:
    """The events of ``slots`` independent slots, each with ``events`` (a household's hour or day).

    Examples
    --------
    >>> slot_events_total([("laplace", 10.0, 10), ("pure", 0.1, 1)], 83)
    [('laplace', 10.0, 830), ('pure', 0.1, 83)]
    """
    n = count(slots, "slots", maximum=_MAX_COUNT)
    out = [(kind, v, c * n) for kind, v, c in _events(events)]
    _events(out)
    return out
