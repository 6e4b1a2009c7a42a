"""Household data: the seeded generator, its calibration, and the Ausgrid reader/writer."""

import gzip
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vpt import data
from vpt.data import (
    AUSGRID_SUMMARY,
    CALIBRATION_TOLERANCE,
    HALF_HOURS,
    Households,
    annual_summary,
    generate_households,
    read_ausgrid,
    read_net,
    write_ausgrid,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def year():
    """The shipped homes over Ausgrid's year 2012-13."""
    return generate_households(100, "2012-07-01", 365, data.SHIPPED["seed"])


def test_shapes_units_and_timestamps():
    h = generate_households(n_homes=4, start_date="2013-01-30", n_days=3, seed=7)
    assert h.consumption.shape == h.generation.shape == h.controlled_load.shape == (4, 3 * HALF_HOURS)
    assert h.timestamps[0] == np.datetime64("2013-01-30T00:00")
    assert h.timestamps[-1] == np.datetime64("2013-02-01T23:30")
    assert np.all(np.diff(h.timestamps) == np.timedelta64(30, "m"))
    # readings are whole watt-hours
    np.testing.assert_array_equal(np.round(h.consumption * 1000) / 1000, h.consumption)


def test_same_seed_same_data_and_other_seed_other_data():
    a = generate_households(5, "2013-01-01", 2, seed=3)
    b = generate_households(5, "2013-01-01", 2, seed=3)
    c = generate_households(5, "2013-01-01", 2, seed=4)
    np.testing.assert_array_equal(a.consumption, b.consumption)
    assert not np.array_equal(a.consumption, c.consumption)


def test_a_short_period_is_a_window_of_a_long_one():
    long = generate_households(6, "2013-01-01", 10, seed=11)
    short = generate_households(6, "2013-01-04", 3, seed=11)
    window = slice(3 * HALF_HOURS, 6 * HALF_HOURS)
    np.testing.assert_array_equal(short.consumption, long.consumption[:, window])
    np.testing.assert_array_equal(short.generation, long.generation[:, window])


def test_no_generation_at_night_and_never_above_the_inverter_rating():
    h = generate_households(20, "2013-01-01", 7, seed=1)
    hour = (h.timestamps - h.timestamps.astype("datetime64[D]")).astype(int) / 60
    night = (hour < 4) | (hour >= 21)
    assert h.generation[:, night].max() == 0
    assert np.all(h.generation <= 0.5 * h.capacity_kwp[:, None] + 1e-12)


def test_southern_hemisphere_seasons(year):
    month = year.timestamps.astype("datetime64[M]").astype(int) % 12 + 1
    hour = (year.timestamps - year.timestamps.astype("datetime64[D]")).astype(int) / 60

    def total(values, months, hours=(0, 24)):
        mask = np.isin(month, months) & (hour >= hours[0]) & (hour < hours[1])
        return values[:, mask].sum() / mask.sum()

    # PV peaks in summer (Dec-Feb), about 1.5x winter (Jun-Aug) at Sydney
    assert total(year.generation, [12, 1, 2]) > 1.3 * total(year.generation, [6, 7, 8])
    # heating: winter consumption above summer's
    assert total(year.consumption, [6, 7, 8]) > 1.1 * total(year.consumption, [12, 1, 2])
    # air-conditioning: summer afternoons (15:00-19:00) above mild spring afternoons
    summer_pm = total(year.general_consumption, [12, 1, 2], (15, 19))
    spring_pm = total(year.general_consumption, [9, 10, 11], (15, 19))
    assert summer_pm > 1.05 * spring_pm


def test_households_are_heterogeneous():
    h = generate_households(100, "2013-01-01", 7, seed=2)
    daily = h.consumption.sum(axis=1) / 7
    assert daily.max() > 2.5 * daily.min()
    assert 30 <= (h.controlled_load.sum(axis=1) > 0).sum() <= 70


@pytest.mark.parametrize("name", list(AUSGRID_SUMMARY))
def test_calibration_against_ausgrid_summary(year, name):
    ours = annual_summary(year)[name]
    for j in range(2):
        published = AUSGRID_SUMMARY[name][j]
        assert abs(ours[j] / published - 1) <= CALIBRATION_TOLERANCE[name][j], (name, j, ours[j], published)


def test_mean_yield_against_ausgrid_summary(year):
    assert abs(annual_summary(year)["yield (kWh/kWp)"][0] / data.AUSGRID_MEAN_YIELD - 1) <= 0.10


def test_data_readme_states_the_current_calibration():
    readme = (ROOT / "data" / "README.md").read_text()
    for row in data.calibration_table():
        assert row in readme, f"data/README.md is stale; expected the row\n{row}"


def test_shipped_file_is_what_the_generator_makes():
    shipped = read_ausgrid(ROOT / "vpt" / "_data" / data.SHIPPED_FILE)  # package data, in the clone
    fresh = generate_households(**data.SHIPPED)
    for field in ("customer", "postcode", "capacity_kwp", "timestamps", "consumption", "controlled_load", "generation"):
        np.testing.assert_array_equal(getattr(shipped, field), getattr(fresh, field), err_msg=field)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_homes": 0}, "n_homes"),
        ({"n_days": 0}, "n_days"),
        ({"n_days": 1.5}, "n_days"),
        ({"seed": -1}, "seed"),
        ({"start_date": "2013-13-45"}, "start_date"),
    ],
)
def test_generator_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        generate_households(**{"n_homes": 2, "n_days": 1, "seed": 0, **kwargs})


# ------------------------------------------------------------------ Ausgrid files


def _small(seed=0, n_homes=3, n_days=2):
    return generate_households(n_homes, "2012-12-31", n_days, seed)


@given(st.integers(0, 2**32 - 1), st.integers(1, 4), st.integers(1, 3), st.booleans())
def test_written_file_reads_back_identically(tmp_path_factory, seed, n_homes, n_days, gz):
    h = _small(seed, n_homes, n_days)
    path = tmp_path_factory.mktemp("rt") / ("f.csv.gz" if gz else "f.csv")
    write_ausgrid(h, path)
    back = read_ausgrid(path)
    for field in ("customer", "postcode", "capacity_kwp", "timestamps", "consumption", "controlled_load", "generation"):
        np.testing.assert_array_equal(getattr(back, field), getattr(h, field), err_msg=field)


def test_gzip_output_is_byte_reproducible(tmp_path):
    h = _small()
    write_ausgrid(h, tmp_path / "a.csv.gz")
    write_ausgrid(h, tmp_path / "b.csv.gz")
    assert (tmp_path / "a.csv.gz").read_bytes() == (tmp_path / "b.csv.gz").read_bytes()


def _lines(tmp_path):
    path = tmp_path / "good.csv"
    write_ausgrid(_small(), path)
    return path.read_text().splitlines()


def _write(tmp_path, lines, name="bad.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


def _edit(line, column, value):
    cells = line.split(",")
    cells[column] = value
    return ",".join(cells)


def test_reader_accepts_the_real_layout_with_row_quality_and_title(tmp_path):
    lines = _lines(tmp_path)
    assert lines[1].startswith("Customer,Generator Capacity,Postcode,Consumption Category,date,0:30,1:00")
    assert lines[1].endswith("23:30,0:00,Row Quality")
    lines[0] = "Solar home electricity data from 1 July 2012 to 30 June 2013,,,"
    lines[2] = _edit(lines[2], -1, "NoGG")
    h = read_ausgrid(_write(tmp_path, lines))
    assert h.n_homes == 3 and h.n_days == 2


def test_reader_accepts_a_file_without_its_title_line_and_names_only_the_missing_columns(tmp_path):
    lines = _lines(tmp_path)
    with_title = read_ausgrid(_write(tmp_path, lines, "titled.csv"))
    without = read_ausgrid(_write(tmp_path, lines[1:], "untitled.csv"))
    assert np.array_equal(without.consumption, with_title.consumption)
    assert np.array_equal(without.customer, with_title.customer)
    bad = [lines[1].replace(",Postcode", ",PostCode"), *lines[2:]]
    with pytest.raises(ValueError, match=r"line 1: missing column\(s\) Postcode \(found 52 of the 53 needed") as info:
        read_ausgrid(_write(tmp_path, bad, "untitled-bad.csv"))
    assert "0:30" not in str(info.value).split("(found")[0]
    with pytest.raises(ValueError, match=r"untitled-bad2.csv, line 3, column '3:00': 'n/a' is not a number"):
        read_ausgrid(
            _write(tmp_path, [lines[1], lines[2], _edit(lines[3], 10, "n/a"), *lines[4:]], "untitled-bad2.csv")
        )


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda L: [L[0], L[1].replace(",Postcode", ",PostCode"), *L[2:]], r"line 2: missing column\(s\) Postcode"),
        (lambda L: [L[0], L[1].replace(",23:30", ""), *L[2:]], r"missing column\(s\) 23:30"),
        (lambda L: [*L[:3], _edit(L[3], 10, "n/a"), *L[4:]], r"line 4, column '3:00': 'n/a' is not a number"),
        (lambda L: [*L[:3], _edit(L[3], 10, "-0.1"), *L[4:]], r"line 4, column '3:00'.*non-negative"),
        (lambda L: [*L[:3], _edit(L[3], 3, "XX"), *L[4:]], r"line 4, column 'Consumption Category'.*'XX'"),
        (lambda L: [*L[:3], _edit(L[3], 0, "abc"), *L[4:]], r"line 4, column 'Customer'"),
        (lambda L: [*L[:3], _edit(L[3], 4, "2012-12-31"), *L[4:]], r"line 4, column 'date'"),
        (lambda L: [*L[:3], ",".join(L[3].split(",")[:-3]), *L[4:]], r"line 4: 51 fields, expected 54"),
        (lambda L: [*L[:3], L[3] + ",1.0", *L[4:]], r"line 4: 55 fields"),
        (lambda L: [*L, L[2]], r"duplicate row for customer 1"),
        (lambda L: L[:2] + L[3:], r"customer 1 has no (GC|GG|CL) row"),
        (lambda L: [*L[:3], _edit(L[3], 1, "9.99"), *L[4:]], r"line 4: customer 1 has capacity/postcode"),
        (lambda L: L[:1], r"no header line"),
        (lambda L: L[:2], r"no data rows"),
    ],
)
def test_reader_names_file_line_and_column_of_bad_input(tmp_path, mutate, message):
    path = _write(tmp_path, mutate(_lines(tmp_path)))
    with pytest.raises(ValueError, match=message) as info:
        read_ausgrid(path)
    assert str(path) in str(info.value)


def test_reader_refuses_gaps_between_days(tmp_path):
    path = tmp_path / "gap.csv"
    write_ausgrid(generate_households(2, "2013-01-01", 3, 0), path)
    lines = [ln for ln in path.read_text().splitlines() if ",2/01/2013," not in ln]
    with pytest.raises(ValueError, match="not consecutive"):
        read_ausgrid(_write(tmp_path, lines))


def test_reader_refuses_missing_file(tmp_path):
    with pytest.raises(ValueError, match="cannot open"):
        read_ausgrid(tmp_path / "nope.csv")


def test_reader_reads_gzip(tmp_path):
    h = _small()
    path = tmp_path / "x.csv.gz"
    with gzip.open(path, "wt", newline="") as fh:
        write_path = tmp_path / "x.csv"
        write_ausgrid(h, write_path)
        fh.write(write_path.read_text())
    np.testing.assert_array_equal(read_ausgrid(path).generation, h.generation)


def test_households_container_refuses_inconsistent_arrays():
    h = _small()
    with pytest.raises(ValueError, match="consumption must have shape"):
        Households(
            h.customer, h.postcode, h.capacity_kwp, h.timestamps, h.consumption[:, :-1], h.controlled_load, h.generation
        )
    with pytest.raises(ValueError, match="non-negative"):
        Households(
            h.customer, h.postcode, h.capacity_kwp, h.timestamps, -h.consumption, h.controlled_load, h.generation
        )
    with pytest.raises(ValueError, match="whole days"):
        Households(
            h.customer,
            h.postcode,
            h.capacity_kwp,
            h.timestamps[:-1],
            h.consumption[:, :-1],
            h.controlled_load[:, :-1],
            h.generation[:, :-1],
        )


def test_subset_takes_the_first_homes_and_a_window_of_days():
    h = generate_households(5, "2013-01-01", 6, seed=9)
    s = h.subset(n_homes=2, start_date="2013-01-03", n_days=2)
    assert s.n_homes == 2 and s.n_days == 2
    assert s.timestamps[0] == np.datetime64("2013-01-03T00:00")
    np.testing.assert_array_equal(s.generation, h.generation[:2, 2 * HALF_HOURS : 4 * HALF_HOURS])
    assert h.subset().n_days == 6


@pytest.mark.parametrize(
    "kwargs",
    [{"n_homes": 6}, {"n_homes": 0}, {"start_date": "2012-12-31"}, {"start_date": "2013-01-05", "n_days": 3}],
)
def test_subset_refuses_what_the_data_do_not_hold(kwargs):
    with pytest.raises(ValueError, match=r"n_homes|outside the data"):
        generate_households(5, "2013-01-01", 6, seed=9).subset(**kwargs)


def test_load_households_prefers_argument_then_environment_then_shipped(tmp_path, monkeypatch):
    small = tmp_path / "small.csv"
    write_ausgrid(_small(), small)
    monkeypatch.delenv(data.HOUSEHOLDS_ENV, raising=False)
    assert data.load_households().n_homes == 100
    monkeypatch.setenv(data.HOUSEHOLDS_ENV, str(small))
    assert data.load_households().n_homes == 3
    assert data.load_households(data.shipped_path()).n_homes == 100


def _net_file(path, homes):
    net = homes.consumption - homes.generation
    with gzip.open(path, "wt", newline="") as fh:
        fh.write("customer,timestamp,net_kwh\n")
        for i, c in enumerate(homes.customer):
            for t, v in zip(homes.timestamps, net[i], strict=True):
                fh.write(f"{c},{str(t).replace('T', ' ')},{v:.3f}\n")
    return path


def test_net_energy_reads_as_imports_and_exports_and_keeps_every_hours_net(tmp_path):
    from vpt.market.rounds import hourly_energy

    homes = generate_households(4, "2013-01-01", 2, seed=3)
    net = read_net(_net_file(tmp_path / "net.csv.gz", homes))
    assert np.array_equal(net.customer, homes.customer)
    assert np.all((net.consumption == 0) | (net.generation == 0))
    gross_surplus, gross_deficit, _ = hourly_energy(homes)
    net_surplus, net_deficit, _ = hourly_energy(net)
    # the half-hourly net is kept (to the file's three decimals), so is every hour's surplus and deficit
    assert np.allclose(net_surplus, gross_surplus, atol=2e-3) and np.allclose(net_deficit, gross_deficit, atol=2e-3)
    assert net.consumption.sum() < homes.consumption.sum()  # what the home used of its own PV is gone


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["customer,time,net"], "line 1: the header must be customer,timestamp,net_kwh"),
        (["customer,timestamp,net_kwh", "7,2013-01-01 00:00,1_000"], "'1_000' is not a plain decimal number"),
        (["customer,timestamp,net_kwh", "7,2013-01-01 00:00,nan"], "'nan' is not a plain decimal number"),
        (["customer,timestamp,net_kwh", "x7,2013-01-01 00:00,0.1"], "'x7' is not a whole number id"),
        (["customer,timestamp,net_kwh", "7,01/01/2013 00:00,0.1"], "is not YYYY-MM-DD HH:MM"),
        (["customer,timestamp,net_kwh", "7,2013-01-01 00:00,0.1", "7,2013-01-01 00:00,0.2"], "a second reading"),
        (["customer,timestamp,net_kwh", "7,2013-01-01 00:00,0.1"], "whole days of consecutive half-hours"),
        (["customer,timestamp,net_kwh"], "no data rows"),
    ],
)
def test_net_reader_names_the_line_and_what_is_wrong(tmp_path, lines, message):
    path = _write(tmp_path, lines, "net.csv")
    with pytest.raises(ValueError, match=message) as info:
        read_net(path)
    assert str(path) in str(info.value)


def test_ausgrid_reader_takes_plain_decimals_only(tmp_path):
    lines = _lines(tmp_path)
    for bad in ("1_0", "\u0661", "inf"):
        with pytest.raises(ValueError, match="is not a number"):
            read_ausgrid(_write(tmp_path, [*lines[:3], _edit(lines[3], 10, bad), *lines[4:]], "b.csv"))
