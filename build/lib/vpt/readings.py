"""The register of what the paper leaves open: one entry per open parameter, the book's reading and the range searched.

The paper leaves a number of things open that its claims depend on: the unit
of its prices, the sensitivities ``F_i``, ``Delta q1`` and ``Delta q2`` of its
private mechanisms, the order in which sellers are served, which homes form
which VPP, how ties and fees are handled, and more. Each chapter that judges a
claim under one of them says, in a table of readings
(:func:`vpt.book.report.readings_table`), for which options of the register
the claim holds; the scorecard collects these tables and searches for the one
joint reading under which the most claims hold together
(:func:`joint_reading`).

A reading is either a *choice* among named options or a *range* of a
positive number (the price unit as a multiple of the book's c/kWh; ``Delta
q2`` in Wh). Where a claim holds is a :class:`Holds`: a set of options, or an
interval of the number.

Examples
--------
>>> reading("dq2").book
1000.0
>>> Holds.interval(43.2, 432.0).contains(100.0)
True
>>> Holds.options("f_i", ["L1 sensitivity of the string"]).contains("1 price unit per entry")
False
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from vpt._checks import non_negative
from vpt._checks import text as text_of

__all__ = ["READINGS", "Holds", "JointReading", "Reading", "book_reading", "holds_under", "joint_reading", "reading"]


@dataclass(frozen=True)
class Reading:
    """One open parameter of the paper.

    ``key`` names it in the register; ``parameter`` is its name in the book's
    tables; ``paper`` what the paper says (with its line numbers) and
    ``book`` the book's reading: an option of ``options`` for a choice, a
    number in ``unit`` for a range (``options`` is then empty).
    """

    key: str
    parameter: str
    paper: str
    options: tuple[str, ...]
    book: str | float
    unit: str = ""

    def __post_init__(self) -> None:
        for name in ("parameter", "paper", "unit"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"a reading's {name} must be a string, got {getattr(self, name)!r:.60}")
        if not (isinstance(self.key, str) and self.key.isidentifier()):
            raise ValueError(f"a reading's key must be an identifier, got {self.key!r}")
        if not isinstance(self.options, tuple) or not all(isinstance(o, str) and o for o in self.options):
            raise ValueError(f"{self.key}: options must be a tuple of non-empty strings, got {self.options!r}")
        if any(";" in o or "|" in o for o in self.options):
            raise ValueError(f"{self.key}: an option may not contain ';' or '|' (they separate table cells)")
        if self.options:
            if self.book not in self.options:
                raise ValueError(f"{self.key}: the book's reading {self.book!r} must be one of {self.options}")
        elif isinstance(self.book, bool) or not isinstance(self.book, (int, float)) or not self.book > 0:
            raise ValueError(f"{self.key}: a range reading needs a positive number as the book's reading")
        elif not self.unit:
            raise ValueError(f"{self.key}: a range reading needs a unit")

    @property
    def is_range(self) -> bool:
        """True for a positive number (a range), False for a choice among options."""
        return not self.options


#: The register: every open parameter a verdict of the book rests on.
READINGS: dict[str, Reading] = {
    r.key: r
    for r in (
        Reading(
            "state_boundaries",
            "the state limits",
            "Algorithm 1's conditions read 0 < G_g < S_l, S_l < G_g < B_r, ... as extracted (paper lines 429-438): "
            "a demand equal to a limit falls in no state unless one side includes it.",
            ("half-open, each limit in the lower state", "strict, as extracted"),
            "half-open, each limit in the lower state",
        ),
        Reading(
            "price_unit",
            "price unit",
            "No unit or price range anywhere; Fig. 5's seller welfare is 'around 500' with 10 buyers "
            "(lines 1286-1287).",
            (),
            1.0,
            "x c/kWh",
        ),
        Reading(
            "price_over_f_i",
            "price unit / F_i",
            "F_i (Eq. 9; Algorithm 3 line 15, paper line 753) and Delta q1 (Eq. 10, lines 831-832) are never given "
            "a value or a unit, nor are the prices: PPoEM's noise against the prices depends only on their ratio.",
            (),
            1.0,
            "x",
        ),
        Reading(
            "f_i",
            "F_i",
            "The Laplace sensitivity of Eq. 9, 'F_i', never given a value; the proof of Theorem 1 takes bids at "
            "distance at most 1 and rounds its product over the string to exp(eps1) 'considering the Theorem 3.6' of "
            "Dwork and Roth (lines 1532-1549).",
            ("1 price unit per entry", "L1 sensitivity of the string"),
            "1 price unit per entry",
        ),
        Reading(
            "dq1",
            "Delta q1",
            "The sensitivity of Eq. 10's quality q1, 'can be varied according to the requirement' (lines 831-832).",
            ("Delta q1 >= F_i", "Delta q1 < F_i"),
            "Delta q1 >= F_i",
        ),
        Reading(
            "dq2",
            "Delta q2",
            "The sensitivity of the election's quality (Eq. 11), 'varied according to the requirement' (lines "
            "831-832, 859-860); no value.",
            (),
            1000.0,
            "Wh",
        ),
        Reading(
            "lead_criterion",
            "what 'wins most' means",
            "Fig. 6 (lines 1340-1352) shows leader counts; how far ahead a VPP must be to 'win most', or how close "
            "the counts must be to be 'equal', is not said.",
            ("ahead by 2 s.d.", "ahead by 2.5 s.d.", "ahead by 3 s.d."),
            "ahead by 2 s.d.",
        ),
        Reading(
            "interval",
            "price interval",
            "The string lies 'in between the ask and the final price' (lines 712-713) and the price is 'always "
            "greater than the ask and less than the bidding value' (lines 835-836). Dropping it is not a reading but "
            "a change of the mechanism (the book's 'bare' mechanism).",
            ("string and price in [ask, bid]", "final price only in [ask, bid]"),
            "string and price in [ask, bid]",
        ),
        Reading(
            "seller_order",
            "seller order",
            "Algorithm 2 loops 'for each seller' (its line 2, paper line 498) without saying in which order.",
            ("sorted by ask", "given order, skipping failures", "given order, stopping at the first failure"),
            "sorted by ask",
        ),
        Reading(
            "assignment",
            "homes to VPPs",
            "'More prosumers, more traded energy' (lines 1340-1345); which homes form which VPP is not given.",
            ("the book's assignment", "a typical random assignment"),
            "the book's assignment",
        ),
        Reading(
            "ties",
            "ties for the top seller",
            "The election rewards the VPP that trades most (Eq. 4-5, Table II at line 1301); ties are not discussed.",
            ("every tied VPP counts", "the lowest index only"),
            "every tied VPP counts",
        ),
        Reading(
            "fee_payer",
            "who pays the fees",
            "Algorithm 2 deducts both fees from the seller's price (lines 16-21, Eq. 8); the transaction fee 'is "
            "sent directly to corresponding VPP' (line 560).",
            ("homes pay both fees", "VPP and homes as one"),
            "homes pay both fees",
        ),
        Reading(
            "price_rule",
            "PoEM's price",
            "The buyer pays its bid (Eq. 3, Algorithm 2 line 11); Sec. V-A says 'in case of POEM algorithm the final "
            "price is the ask of seller' (lines 1292-1293).",
            ("bid (Eq. 3)", "ask (Sec. V-A)"),
            "bid (Eq. 3)",
        ),
        Reading(
            "election_scope",
            "what Theorem 2 covers",
            "Theorem 2 (lines 968-970) and its proof (from line 1552) cover one exponential draw; Algorithm 3 draws "
            "and pays three winners (its lines 42-44, paper lines 800-804; line 865).",
            ("the leader", "the released three winners"),
            "the leader",
        ),
        Reading(
            "neighbours",
            "neighbouring datasets",
            "The proof of Theorem 1 takes W_bid, W'_bid in N^|X|, Dwork and Roth's histograms (add/remove), with "
            "||W_bid - W'_bid|| <= 1, a bid moved by at most 1 (lines 1532-1533).",
            ("bounded change", "add/remove"),
            "bounded change",
        ),
        Reading(
            "election_criterion",
            "what hiding the top trader asks",
            "'there are chances that a VPP with low trading score can also become winner due to differential "
            "privacy' (lines 337-340).",
            ("a low-trading VPP keeps a chance", "loss <= 1 with half of PoEM's advantage"),
            "a low-trading VPP keeps a chance",
        ),
        Reading(
            "signatures",
            "transaction signatures",
            "A transaction holds seller, buyer, energy, coins and time slot (lines 400-403); validators recompute "
            "the block's SHA-256 hash (lines 917-925); who signs what is not specified.",
            ("hashes only", "both parties and the leader sign, trade ids unique"),
            "both parties and the leader sign, trade ids unique",
        ),
        Reading(
            "meter_ids",
            "smart meter ids",
            "An account needs a profile approved by authoritative nodes 'after careful analysis', and a smart meter "
            "id 'can only be used to create a single account' (lines 1662-1668); what the approval checks is not "
            "said.",
            ("approved ids are genuine meters", "ids are self-declared"),
            "approved ids are genuine meters",
        ),
        Reading(
            "coin_rules",
            "the coin rules",
            "Participants 'can only earn coins by selling their energy' and 'only spend the VPP coin by purchasing "
            "energy', and exchange it only via authoritative nodes (lines 935-942); who enforces it is not said.",
            ("enforced by the ledger's validation", "stated only"),
            "enforced by the ledger's validation",
        ),
        Reading(
            "majority",
            "honest VPPs",
            "Recovery takes the majority hash (Algorithm 4, lines 1186-1239); no bound on faulty VPPs is stated.",
            ("an honest majority", "no assumption"),
            "an honest majority",
        ),
        Reading(
            "election_randomness",
            "the election's randomness",
            "Each VPP draws the leader (Algorithm 3); whose randomness is not said.",
            ("a shared seed", "independent draws"),
            "a shared seed",
        ),
        Reading(
            "rewards_published",
            "rewards on the ledger",
            "Algorithm 3 returns and pays the rewards (its line 54); a transaction's contents are listed at lines "
            "400-403, a block's rewards are not.",
            ("recorded on the ledger", "kept off the ledger"),
            "recorded on the ledger",
        ),
        Reading(
            "complexity_scope",
            "what 'complexity O(n)' measures",
            "Table II (line 1301) lists O(n) for every mining mechanism; Theorem 10 (line 1146) gives the auction "
            "O(SN).",
            ("the election step", "the whole round"),
            "the election step",
        ),
        Reading(
            "equal_transitions",
            "'equal' transition probabilities in Fig. 9",
            "'when the transition probability from VPP X to other VPPs X' is equal, then the market reaches its "
            "stable state in fewer steps as compared to any other probability' (lines 1474-1477); equal to what is "
            "not said, nor are the figure's nine settings.",
            ("both directions equal, P_xx' = P_x'x", "moving as likely as staying, P_xx' = 1/2, at any P_x'x"),
            "both directions equal, P_xx' = P_x'x",
        ),
        Reading(
            "puzzle_bits",
            "the mining puzzle VPT is compared with",
            "VPT has 'low memory and computational complexity as compared to other traditional consensus variants "
            "that use mining difficulty for choosing a miner' (lines 1178-1181); no difficulty is named. The book "
            "takes Bitcoin's easiest difficulty, about 2^32 hashes a block.",
            (),
            32.0,
            "bits",
        ),
        Reading(
            "trade_sizes",
            "reported trades in Theorem 6",
            "The proof of Theorem 6 divides trading 'into equal reporting slots' (line 1682); trade sizes are not "
            "said.",
            ("equal slots", "trades of different sizes"),
            "equal slots",
        ),
    )
}


def reading(key: str) -> Reading:
    """The register's entry for ``key``.

    Raises
    ------
    ValueError
        If ``key`` is not in :data:`READINGS` (the message lists the keys).
    """
    if not isinstance(key, str) or key not in READINGS:
        raise ValueError(f"unknown reading {key!r}: the register holds {', '.join(READINGS)}")
    return READINGS[key]


@dataclass(frozen=True)
class Holds:
    """Where a claim holds: a set of options of a choice, or an interval ``[low, high]`` of a range.

    Build it with :meth:`options` or :meth:`interval`; :meth:`nowhere` is
    the empty set of either kind (the claim fails under every option).
    """

    chosen: frozenset[str] | None = None
    low: float = 0.0
    high: float = math.inf

    def __post_init__(self) -> None:
        if self.chosen is not None:
            if not isinstance(self.chosen, frozenset) or not all(isinstance(o, str) for o in self.chosen):
                raise ValueError(f"chosen must be a frozenset of option names, got {self.chosen!r:.80}")
            return
        for name, v in (("low", self.low), ("high", self.high)):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or math.isnan(v):
                raise ValueError(f"an interval's {name} must be a number, got {v!r:.60}")
        if not 0.0 <= self.low <= self.high or math.isinf(self.low):
            raise ValueError(f"an interval needs 0 <= low <= high (low finite), got [{self.low}, {self.high}]")

    @classmethod
    def options(cls, key: str, options: Iterable[str]) -> Holds:
        """The claim holds for exactly ``options`` of the choice ``key``.

        Raises
        ------
        ValueError
            If ``key`` is not a choice of the register or an option is not one of its options.
        """
        r = reading(key)
        if r.is_range:
            raise ValueError(f"{key} is a range ({r.unit}): use Holds.interval")
        if isinstance(options, str):
            options = [options]
        if not isinstance(options, (list, tuple, set, frozenset)) or not all(isinstance(o, str) for o in options):
            raise ValueError(f"options must be a list of option names of {key}, got {options!r:.80}")
        chosen = frozenset(options)
        unknown = chosen - set(r.options)
        if unknown:
            raise ValueError(f"{key}: unknown option(s) {sorted(unknown)}; the register has {r.options}")
        return cls(chosen=chosen)

    @classmethod
    def interval(cls, low: float | None, high: float | None) -> Holds:
        """The claim holds for the number in ``[low, high]`` (``None``: unbounded on that side)."""
        lo = 0.0 if low is None else non_negative(low, "low")
        hi = math.inf if high is None else non_negative(high, "high")
        if not lo <= hi:
            raise ValueError(f"an interval needs low <= high, got [{lo}, {hi}]")
        return cls(low=lo, high=hi)

    @classmethod
    def nowhere(cls) -> Holds:
        """The claim holds under no option."""
        return cls(chosen=frozenset())

    @classmethod
    def parse(cls, key: str, description: str) -> Holds:
        """Read back what :meth:`describe` wrote.

        Raises
        ------
        ValueError
            If ``description`` is not a description of a set of ``key``'s options or an interval.

        Examples
        --------
        >>> Holds.parse("dq2", "from 43.2 to 432 Wh") == Holds.interval(43.2, 432.0)
        True
        """
        r = reading(key)
        t = text_of(description, "description").strip()
        if not r.is_range:
            return cls.nowhere() if t == "none" else cls.options(key, [o.strip() for o in t.split(";")])
        if t == "none":
            return cls.nowhere()
        if t == "any":
            return cls.interval(None, None)
        m = re.fullmatch(r"(?:from (\S+))?(?: ?to (\S+)| ?up to (\S+))? " + re.escape(r.unit), t)
        if m is None or not any(m.groups()):
            raise ValueError(f"{key}: cannot read {description!r} as an interval in {r.unit}")
        low, high = m.group(1), m.group(2) or m.group(3)
        return cls.interval(float(low) if low else None, float(high) if high else None)

    @property
    def empty(self) -> bool:
        """True if the claim holds under no option at all."""
        return self.chosen is not None and not self.chosen

    def contains(self, value: str | float) -> bool:
        """Whether the claim holds at ``value`` (an option, or a number of the range).

        Raises
        ------
        ValueError
            If ``value`` is neither a string nor a non-negative number (NaN included).
        """
        if isinstance(value, str):
            return self.chosen is not None and value in self.chosen
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not float(value) >= 0.0:
            raise ValueError(f"value must be an option (str) or a number >= 0, got {value!r:.60}")
        return self.chosen is None and self.low <= float(value) <= self.high

    def describe(self, key: str) -> str:
        """The set as the book's tables write it (:func:`vpt.book.report.readings_table` reads it back)."""
        r = reading(key)
        if not self.empty and (self.chosen is None) != r.is_range:
            raise ValueError(f"{key} is a {'range' if r.is_range else 'choice'}; this Holds is not")
        if self.chosen is not None:
            return "; ".join(o for o in r.options if o in self.chosen) or "none"  # nowhere: "none" for a range too
        lo, hi = f"{self.low:.4g}", f"{self.high:.4g}"
        if self.low <= 0.0 and math.isinf(self.high):
            return "any"
        if self.low <= 0.0:
            return f"up to {hi} {r.unit}"
        if math.isinf(self.high):
            return f"from {lo} {r.unit}"
        return f"from {lo} to {hi} {r.unit}"


@dataclass(frozen=True)
class JointReading:
    """The result of :func:`joint_reading`.

    ``assignment`` gives each reading that some claim depends on the option
    (or, for a range, an interval of values) under which the most claims
    hold together; ``held`` and ``not_held`` the claims that hold and do not
    under it; ``unsaved`` the claims that no reading at all makes hold;
    ``conflicts`` those that some reading makes hold, but not the joint one.
    """

    assignment: dict[str, str]
    held: tuple[str, ...]
    not_held: tuple[str, ...]
    unsaved: tuple[str, ...]
    conflicts: tuple[str, ...]


Cases = Sequence[Mapping[str, Holds]]


def _candidates(key: str, claims: Mapping[str, Cases]) -> list[str | float]:
    """The values of reading ``key`` worth trying: its options, or every interval end and a point between two."""
    r = reading(key)
    if not r.is_range:
        return list(r.options)
    ends = {float(r.book)}
    for cases in claims.values():
        for deps in cases:
            if key in deps and not deps[key].empty:
                ends.update(x for x in (deps[key].low, deps[key].high) if 0.0 < x < math.inf)
    points = sorted(ends)
    mids = [math.sqrt(a * b) for a, b in itertools.pairwise(points)]  # between two ends, on a log scale
    return sorted({*points, *mids, points[0] / 2, points[-1] * 2})


def _holds(cases: Cases, at: Mapping[str, str | float]) -> Mapping[str, Holds] | None:
    """The first case of a claim that holds at the values ``at`` (None if none does)."""
    return next((deps for deps in cases if all(h.contains(at[k]) for k, h in deps.items())), None)


def book_reading() -> dict[str, str | float]:
    """The book's own reading of every open parameter: ``{key: option or number}``."""
    return {k: r.book for k, r in READINGS.items()}


def holds_under(cases: Cases | Mapping[str, Holds], values: Mapping[str, str | float]) -> bool:
    """Whether a claim with these cases holds when each reading takes its value in ``values``.

    Raises
    ------
    ValueError
        If the cases are malformed or ``values`` lacks a reading a case needs.

    Examples
    --------
    >>> holds_under({"dq2": Holds.interval(None, 38.0)}, book_reading())
    False
    >>> holds_under({"dq2": Holds.interval(None, 38.0)}, {"dq2": 30.0})
    True
    """
    cases = _validated({"claim": cases})["claim"]
    if not isinstance(values, Mapping):
        raise ValueError(f"values must map each reading to its value, got {values!r:.80}")
    missing = {k for deps in cases for k in deps} - set(values)
    if missing:
        raise ValueError(f"values gives no value for {sorted(missing)}")
    return _holds(cases, values) is not None


def _validated(claims: object) -> dict[str, list[Mapping[str, Holds]]]:
    if not isinstance(claims, Mapping):
        raise ValueError(f"claims must map each claim to its cases of readings, got {claims!r:.80}")
    out = {}
    for label, cases in claims.items():
        if isinstance(cases, Mapping):
            cases = [cases]
        if not isinstance(cases, (list, tuple)) or not cases:
            raise ValueError(f"claim {label!r} must have at least one case (a mapping of readings to Holds)")
        for deps in cases:
            if not isinstance(deps, Mapping) or not deps:
                raise ValueError(f"claim {label!r}: each case must map at least one reading to where it holds")
            for key, holds in deps.items():
                reading(key)
                if not isinstance(holds, Holds):
                    raise ValueError(
                        f"claim {label!r}: where it holds under {key!r} must be a Holds, got {holds!r:.60}"
                    )
                if not holds.empty and (holds.chosen is None) != reading(key).is_range:
                    kind = "range" if reading(key).is_range else "choice"
                    raise ValueError(f"claim {label!r}: {key!r} is a {kind}")
        out[label] = list(cases)
    return out


def joint_reading(claims: Mapping[str, Cases | Mapping[str, Holds]], *, always: Sequence[str] = ()) -> JointReading:
    """The one assignment of the open parameters under which the most claims hold together.

    Parameters
    ----------
    claims
        For each claim (a label), where it holds: one or more *cases*, each a
        :class:`Holds` per reading. A claim holds under an assignment if, in
        one of its cases, every reading takes a value where it holds (cases
        express a region that is not a product, e.g. a ``Delta q2`` interval
        that depends on the criterion).
    always
        Claims that hold whatever the readings (counted in ``held``).

    Returns
    -------
    JointReading
        Readings that no claim depends on are not assigned. Ties between
        assignments go to the one that keeps most of the book's own readings.
        Claims that share no reading are maximised independently (exactly: a
        brute-force search per connected group of readings, over every option
        of a choice and every interval end of a range and a point between two).

    Raises
    ------
    ValueError
        For an unknown reading, a value that is not a :class:`Holds`, or a group
        of readings too large to search (more than 10^6 assignments).

    Examples
    --------
    Three claims on ``Delta q2`` (Wh): two can hold together, the third only on its own.

    >>> j = joint_reading(
    ...     {
    ...         "a": {"dq2": Holds.interval(40, 400)},
    ...         "b": {"dq2": Holds.interval(None, 38)},
    ...         "c": {"dq2": Holds.interval(100, None)},
    ...     }
    ... )
    >>> j.assignment, j.held, j.conflicts
    ({'dq2': 'from 100 to 400 Wh'}, ('a', 'c'), ('b',))
    """
    cl = _validated(claims)
    if isinstance(always, str) or not isinstance(always, (list, tuple)) or not all(isinstance(c, str) for c in always):
        raise ValueError(f"always must be a list of claim labels, got {always!r:.80}")
    parent: dict[str, str] = {}  # union-find: readings that share a claim are searched together

    def root(k: str) -> str:
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k

    keys_of = {c: list(dict.fromkeys(k for deps in cases for k in deps)) for c, cases in cl.items()}
    for keys in keys_of.values():
        for k in keys[1:]:
            parent[root(k)] = root(keys[0])
    groups: dict[str, list[str]] = {}
    for k in sorted({k for keys in keys_of.values() for k in keys}, key=list(READINGS).index):
        groups.setdefault(root(k), []).append(k)
    assignment: dict[str, str] = {}
    held: list[str] = []
    for keys in groups.values():
        members = [c for c, ks in keys_of.items() if set(ks) <= set(keys)]
        values = [_candidates(k, cl) for k in keys]
        if math.prod(len(v) for v in values) > 10**6:
            raise ValueError(f"the readings {keys} have too many joint options to search")
        best: tuple[int, int] = (-1, -1)
        best_at: dict[str, str | float] = {}
        best_held: list[str] = []
        for combo in itertools.product(*values):
            at = dict(zip(keys, combo, strict=True))
            ok = [c for c in members if _holds(cl[c], at) is not None]
            score = (len(ok), sum(v == reading(k).book for k, v in at.items()))
            if score > best:
                best, best_at, best_held = score, at, ok
        for k, v in best_at.items():
            assignment[k] = v if isinstance(v, str) else _span(k, v, [_holds(cl[c], best_at) for c in best_held])
        held += best_held
    held_set = set(held) | set(always)
    unsaved = [c for c, cases in cl.items() if not any(_alone(deps, cl) for deps in cases)]
    conflicts = [c for c in cl if c not in held_set and c not in unsaved]
    return JointReading(
        assignment,
        tuple(c for c in dict.fromkeys([*always, *cl]) if c in held_set),
        tuple(c for c in cl if c not in held_set),
        tuple(unsaved),
        tuple(conflicts),
    )


def _alone(deps: Mapping[str, Holds], claims: Mapping[str, Cases]) -> bool:
    """Whether some assignment of its own readings makes one case of a claim hold."""
    return all(any(h.contains(v) for v in _candidates(k, claims)) for k, h in deps.items())


def _span(key: str, value: float, cases: Sequence[Mapping[str, Holds] | None]) -> str:
    """The interval of a range reading around ``value`` on which each held claim's holding case still holds."""
    lo, hi = 0.0, math.inf
    for deps in cases:
        if deps is not None and key in deps:
            lo, hi = max(lo, deps[key].low), min(hi, deps[key].high)
    return Holds(low=lo, high=hi).describe(key) if lo <= value <= hi else f"{value:.4g} {reading(key).unit}"
