"""``python -m vpt.book``: say which data the chapters will run on, or why the settings do not work."""

from vpt.book.settings import main

if __name__ == "__main__":  # pragma: no cover - the scripts' up-front check
    raise SystemExit(main())
