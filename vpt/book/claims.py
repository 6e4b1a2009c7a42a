"""The book's map of the paper's claims: the root cause of each refutation, and every checkable claim's verdict row.

Both are editorial: which refutations share a cause, and which sentence of the
paper each verdict row judges, are the book's reading of the paper, stated
once here and checked by the tests against the verdict tables the chapters
store (a cause or a coverage row that names no verdict row fails them, as
does a refuted row without a cause or a verdict row that no claim of the
paper maps to).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CAUSES", "ROOT_CAUSES", "RootCause", "cause_of"]


@dataclass(frozen=True)
class RootCause:
    """One reason several claims fail together: a short ``title`` and what it is, with the paper's lines."""

    key: str
    title: str
    what: str


#: The root causes of the book's refutations, each counted once however many claims it brings down.
ROOT_CAUSES: dict[str, RootCause] = {
    c.key: c
    for c in (
        RootCause(
            "interval",
            "PPoEM's price is kept in [ask, bid]",
            "Lines 712-713 and 835-836 keep the private price (and its string) between the ask and the bid, so "
            "its support moves with them: no budget bounds the loss, and no private mechanism can keep the "
            "interval except price = ask.",
        ),
        RootCause(
            "ledger_in_clear",
            "the ledger publishes what the mechanisms were to hide",
            "Every transaction records seller, buyer, energy and coins (lines 400-403), and the rewards Algorithm 3 "
            "pays "
            "(its line 54): every reader recovers traded energy, prices and, from the rewards, the fee pool.",
        ),
        RootCause(
            "public_allocation",
            "the allocation is a deterministic function of the bids",
            "PPoEM keeps PoEM's allocation (lines 704-706): who trades and how much is not randomised, so one "
            "bid or ask that crosses another changes it with certainty.",
        ),
        RootCause(
            "triple",
            "three winners are released, one is proved",
            "Algorithm 3 draws and pays three winners (lines 800-804, 865); Theorem 2's proof covers one draw.",
        ),
        RootCause(
            "conditional_probability",
            "Theorem 6 prints a conditional probability",
            "The printed formula is the ballot probability given that VPP x reported last; the theorem asks for "
            "the unconditional one (its proof's Eq. 21 averages over who reported last). Fig. 8 plots the "
            "conditional one.",
        ),
        RootCause(
            "convergence_rate",
            "the two-state chain's convergence rate",
            "Fig. 9's reading (lines 1474-1477) equates equal transition probabilities with fast convergence; the "
            "rate is |1 - P_xx' - P_x'x|.",
        ),
        RootCause(
            "theorem8_sets",
            "Theorem 8 sums over sets as if they were states",
            "The triple sum over T1, T2, T3 counts an exit |T3| or |T2| times.",
        ),
        RootCause(
            "fees_after_allocation",
            "fees are charged after an allocation that ignores them",
            "Algorithm 2 matches bid against ask and then deducts 2 RT of the price from the seller (lines 16-21): "
            "a trade can leave the seller below its ask; under Sec. V-A's ask price, every trade does.",
        ),
        RootCause(
            "sorted_matching",
            "the sorted matching with pay-as-bid rewards misreporting",
            "The highest bid meets the lowest ask and pays its bid (Eq. 1-3): a seller gains by under-asking and a "
            "buyer by shading; PPoEM keeps this allocation.",
        ),
        RootCause(
            "price_transfer",
            "a price only moves welfare between the two sides",
            "PPoEM keeps PoEM's allocation and draws a price no higher than the bid (lines 704-706, 835-836): "
            "what buyers gain, sellers lose, so it cannot raise both sides' welfare.",
        ),
        RootCause(
            "quadratic_auction",
            "the auction's nested loops",
            "Algorithm 2 scans every remaining bid for every seller (its lines 2-15): Theta(SN) operations for an "
            "allocation that sorting reaches in O(n log n).",
        ),
        RootCause(
            "recorded_energy",
            "the election rewards recorded energy",
            "Eq. 4-7 and 11 weigh the energy a VPP records, which its own homes can trade back and forth for "
            "the fees alone.",
        ),
    )
}

#: The root cause of every refuted verdict row: ``(chapter, start of the row's 'paper says') -> cause key``.
CAUSES: dict[tuple[str, str], str] = {
    ("market", "Sec. V-A: in PoEM the final price is the seller's ask."): "fees_after_allocation",
    ("market", "The settlement benefits all participating parties"): "fees_after_allocation",
    ("coin", "Eq. 12's random reward value makes the miner reward more confidential"): "ledger_in_clear",
    ("ledger", "Theorem 4, block confidentiality"): "ledger_in_clear",
    ("ledger", "Theorem 5, inference resilience"): "ledger_in_clear",
    ("dp-audit", "Theorem 2 read as covering the three winners"): "triple",
    ("dp-audit", "Theorem 3 (with Lemma 1)"): "interval",
    ("household-privacy", "Sec. I (lines 85-89) and Theorems 1-3"): "interval",
    ("household-privacy", "Sec. II-E (lines 293-298) and Table II (lines 1301-1313)"): "public_allocation",
    ("household-privacy", "Sec. V-A (lines 1295-1299)"): "interval",
    ("race-and-capture", "Theorem 6: P ="): "conditional_probability",
    ("race-and-capture", "Fig. 8 plots Theorem 6's probability."): "conditional_probability",
    ("race-and-capture", "Fig. 9: with equal transition probabilities"): "convergence_rate",
    ("winning-and-profit", "Theorem 8 as a formula over sets of states"): "theorem8_sets",
    ("incentives", "Incentive-compatible energy trading"): "sorted_matching",
    ("market", "PPoEM maximises social welfare for both participants"): "price_transfer",
    ("complexity", "Sec. IV-F (lines 1129-1132)"): "quadratic_auction",
    ("incentives", "Sec. II-E (lines 282-284): VPPs report their truthful"): "recorded_energy",
}


def cause_of(chapter: str, claim: str) -> RootCause | None:
    """The root cause of a verdict row (its chapter's file stem and its 'paper says'), or None if it has none.

    Raises
    ------
    ValueError
        If ``chapter`` or ``claim`` is not a string, or two causes claim the row.

    Examples
    --------
    >>> cause_of("dp-audit", "Theorem 3 (with Lemma 1): the private auction is (eps1 + eps2)-DP.").key
    'interval'
    >>> cause_of("dp-audit", "Lemma 1: sequential composition adds the budgets.") is None
    True
    """
    if not isinstance(chapter, str) or not isinstance(claim, str):
        raise ValueError(f"chapter and claim must be strings, got {chapter!r:.40} and {claim!r:.60}")
    keys = [k for (ch, start), k in CAUSES.items() if ch == chapter and claim.startswith(start)]
    if len(keys) > 1:
        raise ValueError(f"{chapter}: {claim[:60]!r} has {len(keys)} root causes: {keys}")
    return ROOT_CAUSES[keys[0]] if keys else None
