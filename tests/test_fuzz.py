"""Fuzz every public callable of vpt (the contract is in tests/fuzzing.py); the suite covers every public name."""

import importlib

import fuzz_targets
import fuzzing
import pytest

#: Targets that run a simulation or a numerical integration per call get fewer examples.
HEAVY = {
    "audit.epsilon_lower_bound": 15,
    "book.book_data": 15,
    "incentives.utility": 15,
    "incentives.best_misreport": 15,
    "incentives.audit_markets": 10,
    "incentives.audit_traders": 15,
    "incentives.best_responses": 15,
    "incentives.gain_from_trade": 15,
    "incentives.wash_trading_gain": 15,
    "data.generate_households": 10,
    "experiments.build_day_chain": 10,
    "experiments.month_of_rounds": 10,
    "experiments.run_elections": 15,
    "market.auction_welfare": 15,
    "market.run_rounds": 10,
    "privacy.find_stress_pair": 15,
    "privacy.report_noisy_max": 10,
    "privacy.report_noisy_max_law": 15,
    "recovery.fault_injection": 15,
    "stability.assignment_leaders": 10,
    "accounting.pld_epsilon": 15,
    "experiments.home_slots_traded": 10,
    "repair.price_law": 15,
    "repair.repaired_round": 15,
    "stability.fig5_grid": 15,
    "stability.price_scale_shares": 15,
    "stability.top_seller_curve": 15,
    "stability.dq2_map": 15,
}
EXAMPLES = 40


@pytest.mark.parametrize("name", sorted(fuzz_targets.TARGETS))
def test_public_callable_keeps_the_contract_under_hostile_arguments(name):
    fuzzing.fuzz(name, HEAVY.get(name, EXAMPLES))


@pytest.mark.parametrize("name", sorted(fuzz_targets.TARGETS))
def test_valid_call_of_each_target_succeeds(name):
    fn, kwargs = fuzz_targets.TARGETS[name]()
    if name in ALWAYS_REFUSED:
        with pytest.raises(ValueError):
            fn(**kwargs)
        return
    fuzzing.check_contract(name, fn, kwargs, {})
    fn, kwargs = fuzz_targets.TARGETS[name]()
    assert fn(**kwargs) is not None or name in NONE_RESULTS


#: Targets that refuse every call by design (the paper forbids the operation).
ALWAYS_REFUSED = {"coin.Wallets.transfer"}

#: Targets that return None by design (they act on an object or a file).
NONE_RESULTS = {
    "coin.Wallets.trade",
    "coin.Wallets.exchange",
    "coin.Wallets.transfer",
    "coin.Wallets.check_conservation",
    "data.write_ausgrid",
    "ledger.Chain.validate",
    "ledger.Transaction.check",
}


def test_every_module_of_vpt_is_listed_by_vpt_and_fuzzed():
    import pkgutil

    import vpt

    modules = {m.name for m in pkgutil.iter_modules(vpt.__path__) if not m.name.startswith("_")}
    assert modules == {m.__name__.removeprefix("vpt.") for m in fuzz_targets.MODULES}


def test_every_public_name_is_fuzzed_or_accounted_for():
    covered = set()
    for name in fuzz_targets.TARGETS:
        module, rest = name.split(".", 1)
        covered.add(f"{module}.{rest.split('.')[0]}")
    missing = [
        n
        for n in fuzz_targets.public_names()
        if n not in covered
        and n not in fuzz_targets.RECORDS
        and n not in fuzz_targets.EXCEPTIONS
        and not _is_constant(n)
    ]
    assert not missing, f"public names with no fuzz target: {missing}"


def _is_constant(qualified):
    module, name = qualified.split(".")
    obj = getattr(importlib.import_module(f"vpt.{module}"), name)
    return not callable(obj)


@pytest.mark.parametrize("record", sorted(fuzz_targets.RECORDS))
def test_every_record_comes_out_of_its_target(record):
    module, name = record.split(".")
    cls = getattr(importlib.import_module(f"vpt.{module}"), name)
    target = fuzz_targets.RECORDS[record]
    fn, kwargs = fuzz_targets.TARGETS[target]()
    out = fn(**kwargs)
    found = [out] if isinstance(out, cls) else [v for v in _values(out) if isinstance(v, cls)]
    assert found, f"{target} returned no {record}"


def _values(out):
    if isinstance(out, dict):
        return list(out.values())
    if isinstance(out, (tuple, list)):
        return list(out)
    return [getattr(out, k) for k in vars(out)] if hasattr(out, "__dict__") else []


@pytest.mark.parametrize("name", fuzz_targets.EXCEPTIONS)
def test_documented_exceptions_are_value_errors(name):
    module, cls = name.split(".")
    assert issubclass(getattr(importlib.import_module(f"vpt.{module}"), cls), ValueError)
