"""Algorithm 4: recovery of a crashed node by majority of chain hashes (Sec. IV-G), and its fault injection."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from vpt._checks import choice, count, generator

__all__ = ["FAULTS", "Outcome", "fault_injection", "recover_meter", "recover_vpp"]

#: Kinds of faulty peer the fault injection knows.
FAULTS = ("crashed", "stale", "byzantine", "colluding")


@dataclass(frozen=True)
class Outcome:
    """What a recovering node does: ``"adopt"`` a chain (``hash``), or ``"warn"`` the leader."""

    action: str
    hash: str | None
    count: int
    threshold: float


def recover_vpp(responses: list[str | None], n_vpps: int, *, threshold: str = "network") -> Outcome:
    """A recovering VPP (Algorithm 4, lines 2-10): majority hash, adopted only if its count exceeds ``M_sm``.

    ``responses`` holds the chain hash reported by each peer (``None`` for a
    peer that does not answer). The majority hash ``H_M`` is the most frequent
    answer (ties broken by the smallest hash, so the rule is deterministic),
    ``C_HM`` its count, and the chain is adopted if ``C_HM > M_sm``, else the
    leader is warned.

    ``M_sm`` is garbled in the pseudo-code (line 3); the prose says "the
    required numbers are calculated using the number of total active VPPs via
    (M_sm = 1/2 x V_N)". Readings:

    ``threshold="network"`` (default): ``M_sm = n_vpps / 2`` with ``n_vpps``
    the VPPs of the network, so silent peers count against adoption.
    ``threshold="responders"``: ``M_sm`` = half the peers that answered.
    """
    choice(threshold, "threshold", ("network", "responders"))
    n = count(n_vpps, "n_vpps")
    if not isinstance(responses, (list, tuple)) or not all(r is None or isinstance(r, str) for r in responses):
        raise ValueError(f"responses must be a list of chain hashes (str) or None, got {responses!r:.80}")
    if len(responses) > n:
        raise ValueError(f"{len(responses)} responses from a network of {n} VPPs")
    answers = [r for r in responses if r is not None]
    m_sm = n / 2 if threshold == "network" else len(answers) / 2
    if not answers:
        return Outcome("warn", None, 0, m_sm)
    counts = Counter(answers)
    best = max(counts.values())
    majority = min(h for h, c in counts.items() if c == best)
    if best > m_sm:
        return Outcome("adopt", majority, best, m_sm)
    return Outcome("warn", None, best, m_sm)


def recover_meter(leader_response: str | None) -> Outcome:
    """A recovering smart meter or trading node (Algorithm 4, lines 11-13): it takes the leader's chain.

    The pseudo-code's second branch repeats "if X node is VPP"; the prose says
    that a smart meter or trading node sends its request directly to the
    leader VPP and updates its state with the chain it receives, which is what
    is implemented. A leader that does not answer leaves the node waiting
    (``"warn"``).
    """
    if leader_response is None:
        return Outcome("warn", None, 0, 0.0)
    if not isinstance(leader_response, str):
        raise ValueError(f"leader_response must be a chain hash (str) or None, got {leader_response!r:.80}")
    return Outcome("adopt", leader_response, 1, 0.0)


def fault_injection(
    fault: str,
    n_faulty: int,
    *,
    n_vpps: int = 10,
    n_trials: int = 1000,
    rng: np.random.Generator,
    threshold: str = "network",
    stale_depth: int = 1,
) -> dict[str, float]:
    """Share of recoveries that adopt the correct chain, adopt a wrong one, or warn, with ``n_faulty`` faulty peers.

    The recovering VPP asks the ``n_vpps`` active VPPs; the honest ones report
    the hash of the current chain (height ``chain_length``). Faulty peers:

    ``"crashed"``: no answer. ``"stale"``: the hash of the chain as it was 1 to
    ``stale_depth`` blocks ago (uniformly; by default all missed just the last
    block, so stale peers agree with each other). ``"byzantine"``: each a
    different forged hash. ``"colluding"``: all the same forged hash.

    A Python loop over trials and peers: ``n_trials * n_vpps`` is limited to
    ``10**8`` (``ValueError`` above).
    """
    choice(fault, "fault", FAULTS)
    choice(threshold, "threshold", ("network", "responders"))
    n = count(n_vpps, "n_vpps", maximum=10**6)
    f = count(n_faulty, "n_faulty", 0)
    if f > n:
        raise ValueError(f"n_faulty ({f}) cannot exceed n_vpps ({n})")
    trials = count(n_trials, "n_trials", maximum=10**8 // n)
    count(stale_depth, "stale_depth")
    rng = generator(rng)
    tally: Counter[str] = Counter()
    for _ in range(trials):
        responses: list[str | None] = ["head"] * (n - f)
        if fault == "crashed":
            responses += [None] * f
        elif fault == "stale":
            responses += [f"behind-{d}" for d in rng.integers(1, stale_depth + 1, f)]
        elif fault == "byzantine":
            responses += [f"forged-{i}" for i in range(f)]
        else:
            responses += ["forged"] * f
        rng.shuffle(responses)
        out = recover_vpp(responses, n, threshold=threshold)
        tally[
            "correct" if out.action == "adopt" and out.hash == "head" else "wrong" if out.action == "adopt" else "warn"
        ] += 1
    return {k: tally[k] / trials for k in ("correct", "wrong", "warn")}
