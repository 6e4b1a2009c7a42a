"""The data the chapters run on: the shipped set by default, a reader's file by environment, checked up front."""

import pytest

from vpt import data
from vpt.book.settings import ENVIRONMENT, book_data


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("homes")
    big = d / "homes-120.csv"
    small = d / "homes-50.csv.gz"
    data.write_ausgrid(data.generate_households(n_homes=120, n_days=14, seed=5), big)
    data.write_ausgrid(data.generate_households(n_homes=50, n_days=3, seed=5), small)
    return big, small


def test_default_is_the_shipped_month_of_the_paper():
    book = book_data()
    assert (book.homes.n_homes, book.homes.n_days, book.synthetic) == (100, 31, True)
    assert book.period == "January 2013"
    assert "shipped synthetic" in book.describe()


def test_a_file_named_by_the_environment_is_used_and_described(files, monkeypatch):
    monkeypatch.setenv("VPT_HOUSEHOLDS", str(files[0]))
    book = book_data()
    assert (book.homes.n_homes, book.homes.n_days, book.synthetic, book.file_homes) == (100, 14, False, 120)
    text = book.describe()
    assert "homes-120.csv" in text and "the first 100 of its 120 homes" in text and "14 days" in text
    assert "synthetic" not in text


def test_a_file_with_too_few_homes_stops_with_what_to_set(files, monkeypatch):
    monkeypatch.setenv("VPT_HOUSEHOLDS", str(files[1]))
    with pytest.raises(ValueError, match=r"has 50 homes; the chapters need at least 100 .* set VPT_HOMES"):
        book_data()


def test_fewer_homes_need_vpp_sizes_that_add_up(files, monkeypatch):
    monkeypatch.setenv("VPT_HOUSEHOLDS", str(files[1]))
    monkeypatch.setenv("VPT_HOMES", "50")
    with pytest.raises(ValueError, match="set VPT_VPP_SIZES"):
        book_data()
    monkeypatch.setenv("VPT_VPP_SIZES", "10,10,10,10,5")
    with pytest.raises(ValueError, match="add up to 45, not to the 50 homes"):
        book_data()
    monkeypatch.setenv("VPT_VPP_SIZES", "10,10,10,10,10")
    book = book_data()
    assert book.vpp_sizes == (10,) * 5 and book.homes.n_days == 3


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("VPT_START", "2014-01-01", "outside the file"),
        ("VPT_START", "27-01-2013", r"give YYYY-MM-DD \(e.g. 2013-01-27\) or Ausgrid's D/MM/YYYY"),
        ("VPT_DAYS", "40", "has 31 days"),
        ("VPT_DAYS", "two", "not a whole number"),
        ("VPT_VPP_SIZES", "3,x", "comma-separated"),
        ("VPT_HOUSEHOLDS", "/nonexistent/file.csv", "cannot open"),
    ],
)
def test_bad_settings_are_refused_with_a_message(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        book_data()


@pytest.mark.parametrize("start", ["2013-01-10", "10/01/2013"])  # ISO, and Ausgrid's own day/month/year
def test_period_and_start_can_be_chosen(monkeypatch, start):
    monkeypatch.setenv("VPT_START", start)
    monkeypatch.setenv("VPT_DAYS", "7")
    book = book_data()
    assert book.period == "the 7 days from 2013-01-10 to 2013-01-16"
