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
