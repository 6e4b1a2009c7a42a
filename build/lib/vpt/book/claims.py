"""The book's map of the paper's claims: the root cause of each refutation, its strongest rescue, and the coverage.

Both are editorial: which refutations share a cause, and which sentence of the
paper each verdict row judges, are the book's reading of the paper, stated
once here and checked by the tests against the verdict tables the chapters
store (a cause or a coverage row that names no verdict row fails them, as
does a refuted row without a cause or a verdict row that no claim of the
paper maps to).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources

from vpt.book.report import markdown_table

__all__ = [
    "CAUSES",
    "COVERAGE_STATUSES",
    "RESCUES",
    "ROOT_CAUSES",
    "Coverage",
    "Rescue",
    "RootCause",
    "cause_of",
    "coverage",
    "read_coverage",
    "rescues_of",
    "rescues_table",
]


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
            "Every transaction records seller, buyer, energy and coins (lines 400-403): every reader of a layer "
            "recovers each household's traded energy and prices.",
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
    ("ledger", "Theorem 4, block confidentiality"): "ledger_in_clear",
    ("ledger", "Theorem 5, inference resilience"): "ledger_in_clear",
    ("dp-audit", "Theorem 2 read as covering the three winners"): "triple",
    ("dp-audit", "Theorem 3 (with Lemma 1)"): "interval",
    ("household-privacy", "Sec. I (lines 85-89) and Theorems 1-3"): "interval",
    ("household-privacy", "Sec. II-E (lines 293-298) and Table II (lines 1301-1313)"): "public_allocation",
    ("household-privacy", "Sec. V-A (lines 1295-1299)"): "interval",
    ("race-and-capture", "Theorem 6: P ="): "conditional_probability",
    ("race-and-capture", "Fig. 8 plots Theorem 6's probability."): "conditional_probability",
    ("winning-and-profit", "Theorem 8 as a formula over sets of states"): "theorem8_sets",
    ("incentives", "Incentive-compatible energy trading"): "sorted_matching",
    ("market", "PPoEM maximises social welfare for both participants"): "price_transfer",
    ("incentives", "Sec. II-E (lines 282-284): VPPs report their truthful"): "recorded_energy",
    ("complexity", "Sec. IV-F (lines 1129-1132): the double auction"): "quadratic_auction",
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


@dataclass(frozen=True)
class Rescue:
    """The strongest attempt to prove a claim right, by a reviewer told to, and what became of it.

    ``rescue`` is the reading or proof tried; ``answer`` says why it fails or, if
    ``holds``, under what the claim then holds (the chapter adopts it as a reading
    of the register, :mod:`vpt.readings`, and its verdict is "reproduced under a
    reading").
    """

    rescue: str
    answer: str
    holds: bool = False

    def __post_init__(self) -> None:
        for name in ("rescue", "answer"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name).strip():
                raise ValueError(f"a rescue's {name} must be a non-empty string, got {getattr(self, name)!r:.60}")
        if not isinstance(self.holds, bool):
            raise ValueError(f"a rescue's holds must be True or False, got {self.holds!r:.40}")


#: Every claim the book refuted, and every claim a rescue saved: ``(chapter, start of its 'paper says') -> Rescue``.
#: Before a claim stays refuted, an independent reviewer, told to prove the paper right, looked for the strongest
#: reading or proof and checked it with its own code; the scorecard prints these beside the verdicts.
RESCUES: dict[tuple[str, str], Rescue] = {
    ("dp-audit", "Theorem 2 read as covering the three winners"): Rescue(
        "Use the monotone structure of the score (one VPP's energy only rises): each exponential draw is then "
        "eps3/2-DP, so three draws might fit in eps3; or release the unordered set of winners only.",
        "Three eps3/2 draws still compose to 1.5 eps3 when one VPP gains energy, and when energy moves between two "
        "VPPs the exact loss of the triple reaches 2 eps3 (exhaustive enumeration over random energy vectors of 3-6 "
        "VPPs; the unordered set has the same maxima): above the eps3 Theorem 2 states.",
    ),
    ("dp-audit", "Theorem 3 (with Lemma 1)"): Rescue(
        "Restrict the theorem to what its proof treats (Eq. 9-10) and read the [ask, bid] property as the aim of the "
        "quality q1 rather than a hard bound: Laplace (eps1) and exponential (eps2, Delta q1 >= F_i) then compose to "
        "eps1 + eps2.",
        "Lines 835-836 state the price is 'always' above the ask and below the bid, so its support moves with the "
        "bid: a price in (b, b + F_i] is possible under bid b + F_i and impossible under b, an infinite loss. "
        "Algorithm 3 line 21 also appends the winner, a deterministic function of the bids.",
    ),
    ("household-privacy", "Sec. I (lines 85-89) and Theorems 1-3"): Rescue(
        "Read 'protects the privacy of buyers' bids' as 'the bid is no longer published': PoEM records the bid as "
        "the price, PPoEM a random price below it.",
        "The sentence ties the protection to Theorems 1-3, that is to differential privacy, and the allocation "
        "alone defeats it: bids a - d and a + d, neighbours for any d <= F_i/2, put the buyer on the ledger with "
        "probability 0 and 1, an infinite loss, whatever the price rule.",
    ),
    ("household-privacy", "Sec. II-E (lines 293-298) and Table II (lines 1301-1313)"): Rescue(
        "Read Table II's 'Yes' as a feature (PPoEM applies a differentially private mechanism, PoEM does not) and "
        "trader privacy as privacy of the payment, which PPoEM randomises.",
        "The claim names an adversary after bids, asks and generation (lines 293-298); Algorithm 3 line 21 appends "
        "the asks to the record and the ledger stores seller, buyer and energy in clear (lines 400-404), so asks "
        "and sold energy are published exactly and bids are bounded by the deterministic allocation.",
    ),
    ("household-privacy", "Sec. V-A (lines 1295-1299)"): Rescue(
        "If the illegible 'Laplace mean' of Algorithm 3 line 14 centres the noise on (bid + ask)/2 and the interval "
        "is soft, the ask moves the price by at most F_i/2 and its effect on the price is private.",
        "Algorithm 3 line 21 appends the asks of the slot to the record, in clear; whether a trade happens is "
        "deterministic in the ask; and line 713 puts the string between the ask and the price, so moving the ask "
        "moves the support.",
    ),
    ("incentives", "Incentive-compatible energy trading"): Rescue(
        "Read 'incentive compatible' loosely, as 'compatible with the incentives offered' (lower fees in stressed "
        "states, line 210), and for PPoEM invoke McSherry and Talwar: an eps-DP mechanism is approximately truthful.",
        "The claim includes truthful bids 'to maximize their social welfare' (lines 280-282): under pay-as-bid a "
        "buyer of value v gets 0 by bidding v and v - a - d > 0 by bidding a + d against a lone seller of ask a, so "
        "truth is not a best response; McSherry-Talwar needs the whole outcome private, and the allocation is "
        "deterministic.",
    ),
    ("incentives", "Sec. II-E (lines 282-284): VPPs report their truthful"): Rescue(
        "Read 'truthful trading details' as 'reports equal the recorded trades', enforced by the metering safeguard "
        "(lines 1636-1638: no node can trade more than its stored energy), so fabricated volume is impossible.",
        "The safeguard caps a record at the stored energy; it does not check delivery, and fake trades within the "
        "cap already pay: the chapter's exact best-volume search finds wash trades that gain under PoEM for VPPs "
        "sized as in Sec. V-B.",
    ),
    ("ledger", "Theorem 4, block confidentiality"): Rescue(
        "Take confidentiality in its usual security sense, no disclosure to unauthorised parties: the permissioned, "
        "layered access (lines 380-399, 1615-1616) keeps each ledger from non-members, as the chapter confirms.",
        "The proof widens the property to insiders, integrating differential privacy 'to protect transaction and "
        "mining data from internal intruders' (lines 1617-1618), yet every reader of a layer sees every trade, "
        "seller, buyer, energy and coins (lines 400-404), in clear.",
    ),
    ("ledger", "Theorem 5, inference resilience"): Rescue(
        "Limit 'inference attacks' to the mining-side adversary of Sec. II-E-2 (which VPP trades most?), against "
        "whom the leader's exponential draw is eps3-DP.",
        "The adversary model's first aim is bids and asks (lines 293-298): asks are appended in clear (Algorithm 3 "
        "line 21), traded energy per seller and buyer is on the ledger, and the private price is not private (the "
        "[ask, bid] interval, the deterministic allocation).",
    ),
    ("market", "Sec. V-A: in PoEM the final price is the seller's ask."): Rescue(
        "Read lines 1292-1293 as a slip for Sec. III-B-5's 'buyers will be paying the amount they bid' (the paper "
        "also writes 'ask of the buyer', line 598); Fig. 5's positive seller welfare is impossible if the price "
        "were the ask.",
        "That concedes the sentence is wrong as printed: 'ask of seller' is the seller's offer; taken literally the "
        "seller's welfare is -2RT a < 0 (Algorithm 2 lines 23-24), contradicting Eq. 3 and Fig. 5.",
    ),
    ("market", "The settlement benefits all participating parties"): Rescue(
        "Read 'all participating parties' as classes and 'to a certain extent' as on aggregate: VPPs earn "
        "transaction fees, miners the pool, sellers a positive welfare on average; or read the ask as fee-inclusive.",
        "The sentence concerns the values computed 'for each microgrid transaction' (lines 487-491): seller welfare "
        "P(1 - 2RT) - a is negative whenever the bid is below a/(1 - 2RT), and under pay-as-bid the buyer's "
        "welfare is zero, so neither side is guaranteed a benefit; a fee-inclusive ask is not what Algorithm 2 "
        "computes.",
    ),
    ("market", "PPoEM maximises social welfare for both participants"): Rescue(
        "Read 'social welfare' as total surplus, or as 'both sides get non-negative welfare, so they take part' "
        "(lines 886-888).",
        "With fees charged on the price, total surplus b - a - 2RT P falls with P, so a random price never "
        "maximises it, and at P = a the seller gets -2RT a < 0; against PoEM the seller always loses, since the "
        "private price never exceeds the bid.",
    ),
    ("race-and-capture", "Theorem 6: P ="): Rescue(
        "Read the probability as conditional on x having made the last report, of size E_v(i): the proof opens "
        "'Let x traded the last reported energy deal' (lines 1695-1696), and only a conditional probability can "
        "depend on E. The printed formula is then exactly right: it equals (Sx - Sy - E)/(Sx + Sy - E), the ballot "
        "probability given that x reported last, and simulation agrees.",
        "The next sentence of the proof defines 'the desired probability' (Eq. 21) as the average over who traded "
        "last, P(ahead | x last) Sx/(Sx+Sy) + P(ahead | y last) Sy/(Sx+Sy), and the theorem's statement carries no "
        "condition: the paper asks for the unconditional probability, and its formula is only Eq. 21's first "
        "conditional term. The book keeps the rescue as the errata's explanation of the formula.",
    ),
    ("race-and-capture", "Fig. 8 plots Theorem 6's probability."): Rescue(
        "Under the same conditional reading (E_i is 'the last transmitted energy', lines 1451-1452) Fig. 8 plots "
        "the right probability, and its 'nearly zero' at X = 1500, Y = 1250 is the conditional value.",
        "Fails with Theorem 6, whose reading it shares: the figure's text asks for 'the probability of X leading "
        "till the election time-out' (lines 1457-1459), the unconditional one.",
    ),
    ("race-and-capture", "Fig. 9: with equal transition probabilities"): Rescue(
        "Read 'the transition probability from VPP X to other VPPs X' is equal' (lines 1475-1476) as moving and "
        "staying being equally likely, P_xx' = 1/2, and 'fewer steps than any other probability' as the rate it "
        "guarantees whatever the unstated reverse probability P_x'x.",
        "Holds under those two readings, stacked: the distance to the steady state shrinks each step by "
        "|1 - P_xx' - P_x'x|, at worst max(P_xx', 1 - P_xx') over P_x'x, smallest (1/2) exactly at P_xx' = 1/2. "
        "For any one known P_x'x = q other than 1/2 it fails (P_xx' = 1 - q converges in one step), and it fails "
        "under the book's reading of 'equal', P_xx' = P_x'x.",
        holds=True,
    ),
    ("winning-and-profit", "Theorem 8 as a formula over sets of states"): Rescue(
        "Let T1 be any set but read T2 and T3 as single states (Table I has three states); the triple sum then has "
        "one term per state and equals the mean time in T1.",
        "The claim's grouping of an n-state chain needs sets T2, T3 of more than one state, and then the triple sum "
        "counts each exit to T2 |T3| times and each exit to T3 |T2| times, as the chapter's four-state chain shows "
        "against the exact mean and a simulation.",
    ),
    ("coin", "Eq. 12's random reward value makes the miner reward more confidential"): Rescue(
        "Read the ledger as the paper lists it: trades (seller, buyer, energy, coins, slot; lines 400-404), but no "
        "reward amounts. PoEM's leader reward MR + 0.7 M_sum then follows from the public "
        "trades, while PPoEM's MR + R_R is uniform over a width M_sum.",
        "Holds under that reading (rewards kept off the ledger): to an observer of the ledger PoEM's leader reward "
        "is exact and PPoEM's uncertain by M_sum/sqrt(12); the second and third winners still recover it from their "
        "own rewards, and lines 1617-1618 (protecting 'mining data' from internal intruders) suggest insiders see "
        "it. With the rewards recorded (the book's reading) the pool follows from the leader's and the second's "
        "reward.",
        holds=True,
    ),
    ("complexity", "Sec. IV-F (lines 1129-1132): the double auction"): Rescue(
        "Read 'a lower possible number of iterations' as lower than the alternative the same subsection names: "
        "consensus that uses mining difficulty (lines 1178-1181), where a leader must compute about 2^d hashes; "
        "the whole round, auction included, counts fewer operations than a puzzle of a few tens of bits.",
        "A puzzle replaces the miner selection, not the auction: a market mined by proof of work still clears its "
        "bids, so the puzzle is no comparator for the auction's iterations (the miner selection is judged apart "
        "and holds). Against the fewest iterations possible the auction's loops fail: sorted clearing reaches the "
        "same allocation with far fewer.",
    ),
}


def rescues_of(chapter: str) -> dict[str, Rescue]:
    """``start of the claim -> rescue`` for each claim of ``chapter`` (a chapter's file stem) a reviewer tried to save.

    Raises
    ------
    ValueError
        If ``chapter`` is not a string.

    Examples
    --------
    >>> {claim: r.holds for claim, r in rescues_of("coin").items()}
    {"Eq. 12's random reward value makes the miner reward more confidential": True}
    """
    if not isinstance(chapter, str):
        raise ValueError(f"chapter must be a chapter's file stem, got {chapter!r:.40}")
    return {start: rescue for (ch, start), rescue in RESCUES.items() if ch == chapter}


def rescues_table(chapter: str) -> str:
    """The table a chapter adds after its verdicts: each claim a reviewer tried to save, the rescue and its fate.

    Numbered and captioned (label ``tab-rescues-<chapter>``).

    Raises
    ------
    ValueError
        If ``chapter`` is not a string or no claim of it was put to the reviewer.

    Examples
    --------
    >>> print(rescues_table("winning-and-profit").splitlines()[5][:60])
    | Theorem 8 as a formula over sets of states ... | Let T1 be
    """
    found = rescues_of(chapter)
    if not found:
        raise ValueError(
            f"no claim of {chapter!r} was put to the reviewer: the chapters with rescues are "
            f"{sorted({ch for ch, _ in RESCUES})}"
        )
    return markdown_table(
        ["paper says", "the strongest rescue", "what became of it"],
        [
            (f"{start} ...", r.rescue, ("**holds**: " if r.holds else "**fails**: ") + r.answer)
            for start, r in found.items()
        ],
        label=f"tab-rescues-{chapter}",
        caption="Trying to prove the paper right: each claim here that a reviewer, told to prove the paper right, "
        "tried to save, the strongest rescue, and what became of it",
    )


#: How fully a claim of the paper is judged by the book's verdict rows.
COVERAGE_STATUSES = ("covered", "covered in part", "not covered")


@dataclass(frozen=True)
class Coverage:
    """One claim of the paper, as a reader listed them, and the verdict row that judges it.

    ``paper_lines`` are the paper's lines (``"981-987"``), ``claim`` the claim in
    short, ``chapter`` and ``row_start`` the chapter's file stem and the start of
    the verdict row's 'paper says' (both empty if no row judges it), ``status``
    one of :data:`COVERAGE_STATUSES` and ``note`` what a partial row leaves out.
    """

    paper_lines: str
    claim: str
    chapter: str
    row_start: str
    status: str
    note: str

    def __post_init__(self) -> None:
        for name in ("paper_lines", "claim", "chapter", "row_start", "status", "note"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"a coverage row's {name} must be a string, got {getattr(self, name)!r:.60}")
        lo, _, hi = self.paper_lines.partition("-")
        if not (lo.isascii() and lo.isdigit() and (not hi or (hi.isascii() and hi.isdigit() and int(hi) >= int(lo)))):
            raise ValueError(f"paper_lines must be a line or a range like '981-987', got {self.paper_lines!r:.40}")
        if not self.claim.strip():
            raise ValueError(f"lines {self.paper_lines}: a coverage row needs the claim")
        if self.status not in COVERAGE_STATUSES:
            raise ValueError(
                f"lines {self.paper_lines}: status must be one of {COVERAGE_STATUSES}, got {self.status!r}"
            )
        if (self.status == "not covered") != (not self.chapter and not self.row_start):
            raise ValueError(
                f"lines {self.paper_lines}: a row names its chapter and verdict row unless it is 'not covered'"
            )
        if self.status != "covered" and not self.note.strip():
            raise ValueError(
                f"lines {self.paper_lines}: a claim not fully covered needs a note saying what is left out"
            )


def read_coverage(text: str) -> list[Coverage]:
    r"""The coverage rows of a CSV ``text`` with the columns of :class:`Coverage`.

    Raises
    ------
    ValueError
        If ``text`` is not such a CSV (missing or extra columns, no rows) or a row is not valid (the message names
        its line).

    Examples
    --------
    >>> rows = read_coverage("paper_lines,claim,chapter,row_start,status,note\n12,A claim.,market,A row,covered,\n")
    >>> rows[0].chapter, rows[0].status
    ('market', 'covered')
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be the CSV's text (a str), got {type(text).__name__}")
    reader = csv.DictReader(io.StringIO(text))
    columns = list(Coverage.__dataclass_fields__)
    if reader.fieldnames != columns:
        raise ValueError(f"a coverage CSV needs exactly the columns {columns}, got {reader.fieldnames}")
    rows = []
    for line, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise ValueError(f"coverage CSV line {line}: expected {len(columns)} fields")
        try:
            rows.append(Coverage(**row))
        except ValueError as err:
            raise ValueError(f"coverage CSV line {line}: {err}") from err
    if not rows:
        raise ValueError("the coverage CSV has no rows")
    return rows


def coverage() -> list[Coverage]:
    """The book's map of the paper's claims to its verdict rows (``coverage.csv``, shipped with the package).

    A reader who had not seen the verdicts listed every checkable claim of the
    paper with its lines; each is mapped to the verdict row that judges it. The
    tests check that every row it names exists and that every verdict row is named.

    Examples
    --------
    >>> rows = coverage()
    >>> sum(r.status == "covered" for r in rows) > len(rows) // 2
    True
    """
    return read_coverage(resources.files("vpt.book").joinpath("coverage.csv").read_text(encoding="utf-8"))
