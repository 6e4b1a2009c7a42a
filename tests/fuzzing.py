"""The fuzz contract of every public function: a documented error or a valid result, in bounded time and memory.

For each target of :mod:`fuzz_targets`, hypothesis replaces one or more
keyword arguments of a valid call with hostile values (NaN, infinities, huge
and tiny numbers, wrong types and shapes, empty and ragged arrays, NumPy
scalars, samplers that return NaN) or with the valid value pushed to an
extreme (scaled by 1e300 or 1e-300, negated, NaN inserted). The call must then

* raise :class:`ValueError` (``ValidationError`` and ``CoinError`` are
  subclasses) -- never another exception (``TypeError``, ``OverflowError``,
  ``MemoryError``, ``RecursionError``, ``AttributeError``, ...);
* or return a result without NaN (unless the target documents NaN), and
  not accept an argument containing NaN;
* within :data:`SECONDS` seconds and :data:`EXTRA_MEMORY` bytes of address space.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import resource
import signal
from collections.abc import Iterator
from typing import Any

import fuzz_targets
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

#: Wall-clock limit of one call.
SECONDS = 20
#: Address space a call may add to the test process.
EXTRA_MEMORY = 6 * 2**30


class Hang(BaseException):
    """Raised by the alarm inside a call that ran past :data:`SECONDS` (a ``BaseException``: code cannot catch it)."""


def _nan_sampler(inp: Any, size: Any, rng: Any) -> np.ndarray:
    return np.full(size if isinstance(size, int) else 3, np.nan)


def _inf_sampler(inp: Any, size: Any, rng: Any) -> np.ndarray:
    return np.full(size if isinstance(size, int) else 3, np.inf)


def _scalar_density(inp: Any, x: Any) -> float:
    return 0.0


def _ragged() -> list:
    return [[1.0, 2.0], [3.0]]


#: Hostile values, built fresh for each use (some are mutable).
HOSTILE = (
    lambda: math.nan,
    lambda: math.inf,
    lambda: -math.inf,
    lambda: -1,
    lambda: -1.5,
    lambda: 0,
    lambda: 0.0,
    lambda: 1e308,
    lambda: -1e308,
    lambda: 5e-324,
    lambda: 2**63,
    lambda: 2**200,
    lambda: 10**12,
    lambda: 1e12,
    lambda: 2.5,
    lambda: None,
    lambda: True,
    lambda: "x",
    lambda: "",
    lambda: b"\xff\x00",
    lambda: [],
    lambda: (),
    lambda: {},
    lambda: [math.nan],
    lambda: [1.0, math.inf],
    lambda: [-1.0, 2.0],
    lambda: _ragged(),
    lambda: np.array([]),
    lambda: np.zeros((0, 3)),
    lambda: np.array([[1.0, 2.0], [3.0, 4.0]]),
    lambda: np.array([[[1.0]]]),
    lambda: np.array(["a", "b"]),
    lambda: np.array([1 + 2j]),
    lambda: np.float32(0.5),
    lambda: np.int64(3),
    lambda: np.float64(math.nan),
    lambda: object(),
    lambda: _nan_sampler,
    lambda: _inf_sampler,
    lambda: _scalar_density,
    lambda: np.random.default_rng(1),
    lambda: 12345,
)


def _contains_nan(value: Any, depth: int = 0) -> bool:
    """Whether ``value`` holds a NaN anywhere (arrays, numbers, containers, dataclass records)."""
    if depth > 6:
        return False
    if isinstance(value, (float, np.floating)):
        return bool(np.isnan(value))
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fc" and bool(np.isnan(value).any())
    if isinstance(value, dict):
        return any(_contains_nan(v, depth + 1) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_contains_nan(v, depth + 1) for v in value[:1000])
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(_contains_nan(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value))
    return False


def _extreme(valid: Any, how: int) -> Any:
    """The valid value pushed to an extreme: scaled by 1e300 or 1e-300, negated, with a NaN inserted, reversed, or
    (whole numbers: ids, indices, counts) raised by 10^9."""
    if isinstance(valid, (bool, np.bool_)) or not isinstance(valid, (int, float, np.number, list, tuple, np.ndarray)):
        return valid
    if how == 4 and isinstance(valid, np.ndarray) and valid.ndim >= 1 and valid.shape[0] > 1:
        return valid[::-1].copy()  # unsorted timestamps, reversed orders
    if how == 5 and np.asarray(valid).dtype.kind in "iu":
        return np.asarray(valid) + 10**9 if isinstance(valid, (list, tuple, np.ndarray)) else valid + 10**9
    try:
        arr = np.asarray(valid, dtype=float)
    except (TypeError, ValueError):
        return valid
    if how == 0:
        out = arr * 1e300
    elif how == 1:
        out = arr * 1e-300
    elif how == 2:
        out = -arr
    else:
        out = arr.copy()
        if out.size:
            out.flat[-1] = math.nan
        else:
            out = np.array([math.nan])
    return float(out) if out.ndim == 0 else out


@st.composite
def mutated_calls(draw: st.DrawFn, name: str) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """A target's valid call with some arguments replaced; returns ``(function, kwargs, replaced)``."""
    fn, kwargs = fuzz_targets.TARGETS[name]()
    keys = sorted(kwargs)
    if not keys:
        return fn, kwargs, {}
    chosen = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=min(3, len(keys)), unique=True))
    replaced = {}
    for key in chosen:
        kind = draw(st.integers(0, 2))
        if kind == 0:
            value = HOSTILE[draw(st.integers(0, len(HOSTILE) - 1))]()
        elif kind == 1:
            value = _extreme(kwargs[key], draw(st.integers(0, 5)))
        else:
            value = draw(
                st.one_of(
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.integers(-(2**70), 2**70),
                    st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=4),
                    st.text(max_size=3),
                )
            )
        kwargs[key] = replaced[key] = value
    return fn, kwargs, replaced


@contextlib.contextmanager
def bounded(seconds: int = SECONDS, extra_memory: int = EXTRA_MEMORY) -> Iterator[None]:
    """Run the body under a wall-clock alarm and a cap on the address space, restoring both after."""

    def alarm(signum: int, frame: Any) -> None:
        raise Hang(f"the call ran past {seconds} s")

    with open("/proc/self/statm") as f:
        used = int(f.read().split()[0]) * resource.getpagesize()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = used + extra_memory
    resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def check_contract(name: str, fn: Any, kwargs: dict[str, Any], replaced: dict[str, Any]) -> Any:
    """Call ``fn(**kwargs)`` and assert the contract; returns the result (``None`` if it raised ``ValueError``)."""
    try:
        with bounded(), np.errstate(divide="raise", over="raise", invalid="raise"):
            out = fn(**kwargs)
    except ValueError as err:
        assert str(err), f"{name}: a ValueError without a message for {replaced!r}"
        return None
    except fuzz_targets.DOCUMENTED_ERRORS.get(name, ()) as err:
        assert str(err), f"{name}: a {type(err).__name__} without a message for {replaced!r}"
        return None
    except Hang as err:
        raise AssertionError(f"{name} hung with {replaced!r}: {err}") from None
    except FloatingPointError as err:
        raise AssertionError(f"{name}: floating-point {err} with {replaced!r}") from err
    except Exception as err:
        raise AssertionError(f"{name} raised {type(err).__name__} ({err}) with {replaced!r}") from err
    nan_in = [k for k, v in replaced.items() if _contains_nan(v) or _is_nan_sampler(v)]
    assert not nan_in, f"{name} accepted NaN in {nan_in} ({replaced!r}) and returned {out!r:.200}"
    if name not in fuzz_targets.NAN_DOCUMENTED:
        assert not _contains_nan(out), f"{name} returned NaN for {replaced!r}: {out!r:.300}"
    if callable(out) and not isinstance(out, type) and name.startswith("privacy.mechanisms:") and "sampler" in name:
        check_sampler(name, out)
    return out


def _is_nan_sampler(value: Any) -> bool:
    return value is _nan_sampler


def check_sampler(name: str, sampler: Any) -> None:
    """A sampler returned by a factory must itself keep the contract on a valid input."""
    data = {"privacy.mechanisms:election_sampler": np.array([1.0, 2.0, 3.0])}.get(name, 20.0)
    try:
        with bounded(), np.errstate(divide="raise", over="raise", invalid="raise"):
            out = sampler(data, 5, np.random.default_rng(0))
    except ValueError:
        return  # e.g. an ask above the bid given here: refused, as documented
    assert not _contains_nan(out), f"the sampler of {name} returned NaN"


def fuzz(name: str, max_examples: int) -> None:
    """Fuzz one target with ``max_examples`` mutated calls (deterministic: the CI profile derandomizes)."""

    @settings(max_examples=max_examples)
    @given(mutated_calls(name))
    def run(call: tuple[Any, dict[str, Any], dict[str, Any]]) -> None:
        fn, kwargs, replaced = call
        check_contract(name, fn, kwargs, replaced)

    run()
