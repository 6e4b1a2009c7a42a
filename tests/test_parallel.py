"""One executor for the book's parallel computations: serial, a local Dask cluster and a scheduler agree exactly."""

import pytest

from vpt.book import sweep
from vpt.book.parallel import run_tasks
from vpt.seeds import seed_sets


def test_the_sweep_command_writes_identical_files_serially_and_on_a_two_worker_cluster(tmp_path):
    common = ["--seed-sets", "1", "--checks", "integrity", "negative_welfare"]
    assert sweep.main(["--serial", *common, "--out", str(tmp_path / "serial.json")]) == 0
    assert sweep.main(["--workers", "2", *common, "--out", str(tmp_path / "dask.json")]) == 0
    serial = (tmp_path / "serial.json").read_bytes()
    assert serial == (tmp_path / "dask.json").read_bytes()
    assert b'"replicates"' in serial and serial.count(b'"data":') == 1


def test_run_tasks_keeps_the_order_of_the_tasks_on_a_cluster():
    tasks = [(b, 3) for b in range(12)]
    assert run_tasks(pow, tasks, workers=2) == run_tasks(pow, tasks, serial=True) == [b**3 for b in range(12)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"serial": True, "workers": 2}, "give one of serial, workers and scheduler"),
        ({"workers": 0}, "workers"),
        ({"scheduler": " "}, "scheduler must be a Dask scheduler's address"),
        ({"serial": "yes"}, "serial and progress must be True or False"),
    ],
)
def test_run_tasks_refuses_an_ambiguous_or_invalid_executor(kwargs, message):
    with pytest.raises(ValueError, match=message):
        run_tasks(pow, [(2, 3)], **kwargs)


def test_the_sweep_command_names_the_checks_when_one_is_unknown(capsys):
    with pytest.raises(SystemExit):
        sweep.main(["--serial", "--checks", "nosuch"])
    assert "no seed check is named 'nosuch'; the names are:" in capsys.readouterr().err


def test_the_stored_sweep_has_at_least_fifty_seed_sets():
    assert len(seed_sets()) >= 50


def test_the_stored_published_size_benchmark_is_fresh_and_a_chunk_recomputes_to_it():
    import numpy as np

    from vpt.book import published
    from vpt.market.incentives import market_columns

    stored, payload = published.cached_benchmark()
    assert stored is not None, "data/published-benchmark.json is stale: run python -m vpt.book.published"
    assert payload["n_markets"] >= 50_000 and set(stored) == set(published.MECHANISMS)
    first = market_columns("mcafee", published.SIZES[0], published.CHUNK, published.chunk_seeds(published.SIZES[0])[0])
    np.testing.assert_allclose(first.sum(axis=1), payload["chunk_sums"][0], rtol=1e-9)


@pytest.fixture(scope="module")
def cluster():
    """One local two-worker Dask cluster for the library's runner= tests (started once: it takes seconds)."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0", silence_logs=40) as c:
        yield c.scheduler_address


def test_the_auditor_certifies_the_same_bound_serially_and_on_a_cluster(cluster):
    import numpy as np

    from vpt.book.parallel import runner
    from vpt.privacy.audit import epsilon_lower_bound
    from vpt.privacy.mechanisms import laplace

    mech = laplace(0.5)

    def audit(run):
        rng = np.random.default_rng(4)
        return epsilon_lower_bound(
            mech.sampler,
            mech.data,
            mech.neighbour,
            n=60_000,
            rng=rng,
            log_density=mech.log_density,
            chunk=20_000,
            runner=run,
        )

    serial, dask = audit(runner(serial=True)), audit(runner(scheduler=cluster))
    assert serial == dask
    assert 0 < serial.epsilon_lower <= mech.true_epsilon


def test_the_incentive_audit_and_the_dq2_map_are_the_same_serially_and_on_a_cluster(cluster):
    import numpy as np

    from vpt.book.parallel import runner
    from vpt.market import incentives, stability

    rng = np.random.default_rng(5)
    markets = [(rng.uniform(0, 10, 4), rng.uniform(0, 10, 4)) for _ in range(4)]
    run = runner(scheduler=cluster)
    params = {"mcafee": {}, "sbba": {}, "ppoem": {"eps1": 0.5, "eps2": 0.5, "length": 10}}
    for name, kw in params.items():
        here = incentives.audit_markets(markets, name, seed=3, **kw)
        there = incentives.audit_markets(markets, name, seed=3, runner=run, **kw)
        assert repr(here) == repr(there)
    rows = rng.uniform(0, 5, (6, 4))
    here = stability.dq2_map(rows, 1000, dq2_wh=(1000, 100, 10))
    assert here == stability.dq2_map(rows, 1000, dq2_wh=(1000, 100, 10), runner=run)


def test_a_runner_that_loses_tasks_is_refused():
    import numpy as np

    from vpt.market import incentives

    with pytest.raises(ValueError, match="runner returned 0 results for 1 tasks"):
        incentives.audit_markets([(np.array([5.0]), np.array([1.0]))], "mcafee", runner=lambda fn, tasks: [])


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], {"workers": "cores"}),
        (["--serial"], {"serial": True}),
        (["--workers", "3"], {"workers": 3}),
        (["--scheduler", "tcp://127.0.0.1:8786"], {"scheduler": "tcp://127.0.0.1:8786"}),
    ],
)
def test_the_executor_options_of_a_command_line(argv, expected):
    import argparse
    import os

    from vpt.book.parallel import add_executor_arguments, executor_of

    parser = argparse.ArgumentParser()
    add_executor_arguments(parser)
    got = executor_of(parser.parse_args(argv))
    assert got.pop("progress") is False  # no terminal under pytest: no progress bar
    if expected.get("workers") == "cores":
        expected = {"workers": os.cpu_count() or 1}
    assert got == expected


def test_a_command_line_refuses_two_executors_and_arguments_that_are_not_strings(capsys):
    with pytest.raises(SystemExit):
        sweep.main(["--serial", "--workers", "2"])
    assert "not allowed with argument" in capsys.readouterr().err
    with pytest.raises(ValueError, match="argv must be a list of strings"):
        sweep.main("--serial")
