"""Fuzz every public callable of vpt (the contract is in tests/fuzzing.py); the suite covers every public name."""

import importlib

import fuzz_targets
import fuzzing
import pytest

#: Targets that run a simulation or a numerical integration per call get fewer examples.
HEAVY = {
    "privacy.audit:epsilon_lower_bound": 15,
    "book.settings:book_data": 15,
    "market.incentives:utility": 15,
    "market.incentives:best_misreport": 15,
    "market.incentives:audit_markets": 10,
    "market.incentives:audit_traders": 15,
    "market.incentives:best_responses": 15,
    "market.incentives:gain_from_trade": 15,
    "market.incentives:wash_trading_gain": 15,
    "market.incentives:best_wash_trade": 15,
    "data:generate_households": 10,
    "chain.day_chain:build_day_chain": 10,
    "chain.day_chain:build_trading_day_chain": 10,
    "market.experiments:month_of_rounds": 10,
    "market.experiments:run_elections": 15,
    "market.rounds:auction_welfare": 15,
    "market.rounds:run_rounds": 10,
    "privacy.audit:find_stress_pair": 15,
    "privacy.mechanisms:report_noisy_max": 10,
    "privacy.mechanisms:report_noisy_max_law": 15,
    "chain.recovery:fault_injection": 15,
    "market.stability:assignment_leaders": 10,
    "privacy.accounting:pld_epsilon": 15,
    "market.experiments:home_slots_traded": 10,
    "privacy.repair:price_law": 15,
    "privacy.laws:bare_ppoem_price_loss": 15,
    "privacy.laws:bare_ppoem_price_density": 15,
    "privacy.repair:repaired_round": 15,
    "market.stability:fig5_grid": 15,
    "market.stability:price_scale_shares": 15,
    "market.stability:top_seller_curve": 15,
    "market.stability:dq2_map": 15,
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
ALWAYS_REFUSED = {"chain.coin:Wallets.transfer"}

#: Targets that return None by design (they act on an object or a file).
NONE_RESULTS = {
    "chain.coin:Wallets.trade",
    "chain.coin:Wallets.exchange",
    "chain.coin:Wallets.transfer",
    "chain.coin:Wallets.check_conservation",
    "data:write_ausgrid",
    "chain.ledger:Chain.validate",
    "chain.ledger:Transaction.check",
}


def test_every_module_of_vpt_is_fuzzed():
    import pkgutil

    import vpt

    leaves = set()
    for m in pkgutil.walk_packages(vpt.__path__, "vpt."):
        if not m.ispkg and not m.name.rsplit(".", 1)[-1].startswith("_"):
            leaves.add(m.name)
    assert leaves == {m.__name__ for m in fuzz_targets.MODULES}
    assert {"vpt.market.auction", "vpt.privacy.audit", "vpt.chain.ledger", "vpt.data"} <= leaves


def test_every_public_name_is_fuzzed_or_accounted_for():
    covered = set()
    for name in fuzz_targets.TARGETS:
        module, rest = name.split(":")
        covered.add(f"{module}:{rest.split('.')[0]}")
    missing = [
        n
        for n in fuzz_targets.public_names()
        if n not in covered
        and n not in fuzz_targets.RECORDS
        and n not in fuzz_targets.EXCEPTIONS
        and n not in fuzz_targets.COMMANDS
        and not _is_constant(n)
    ]
    assert not missing, f"public names with no fuzz target: {missing}"


def _is_constant(qualified):
    module, name = qualified.split(":")
    obj = getattr(importlib.import_module(f"vpt.{module}"), name)
    return not callable(obj)


@pytest.mark.parametrize("record", sorted(fuzz_targets.RECORDS))
def test_every_record_comes_out_of_its_target(record):
    module, name = record.split(":")
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
    module, cls = name.split(":")
    assert issubclass(getattr(importlib.import_module(f"vpt.{module}"), cls), ValueError)
