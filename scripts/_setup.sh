# Sourced by scripts/book and scripts/test: create .venv with the pinned dependencies.
# Needs only Python 3.11 (3.11.5 or newer), 3.12 or 3.13 and access to the package index.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

find_python() {
  for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11 python; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; v = sys.version_info; sys.exit(not ((3, 11, 5) <= v[:3] and v[:2] <= (3, 13)))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "error: Python 3.11 (3.11.5 or newer), 3.12 or 3.13 is needed (set PYTHON=/path/to/python3.x)" >&2
  return 1
}

if [ ! -x .venv/bin/python ] || ! cmp -s requirements.lock .venv/.installed-lock; then
  py=$(find_python)
  echo "setting up .venv with $($py --version) and requirements.lock ..."
  rm -rf .venv
  "$py" -m venv .venv
  # Every file is checked against the lock's hashes: the index cannot serve anything else under these versions.
  # pip installs uv (its own entry of the lock), uv the rest: in parallel, and byte-compiled on all cores, since
  # Python may not write bytecode itself (PYTHONDONTWRITEBYTECODE) and every kernel would compile SymPy anew.
  awk '/^uv==/{p=1; print; next} /^[^ #]/{p=0} p' requirements.lock > .venv/uv-lock.txt
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r .venv/uv-lock.txt
  .venv/bin/uv pip install --quiet --python .venv/bin/python --no-deps --require-hashes --compile-bytecode \
    -r requirements.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  .venv/bin/python -m pip check --disable-pip-version-check
  cp requirements.lock .venv/.installed-lock
fi

# SymPy and set ordering: the kernels inherit this, so stored outputs are reproducible.
export PYTHONHASHSEED=0
export PYDEVD_DISABLE_FILE_VALIDATION=1
# VPT_HOUSEHOLDS, VPT_HOMES, VPT_VPP_SIZES, VPT_START, VPT_DAYS choose the data the notebooks run on
# (vpt.book); scripts/book and scripts/chapter honour them, scripts/test says what it does with them.
VPT_DATA_VARS=(VPT_HOUSEHOLDS VPT_HOMES VPT_VPP_SIZES VPT_START VPT_DAYS)

# The VPT_* data settings in force, one NAME=value per line (empty: the shipped data and the defaults).
vpt_settings() {
  local v
  for v in "${VPT_DATA_VARS[@]}"; do
    [ -z "${!v:-}" ] || printf '%s=%s\n' "$v" "${!v}"
  done
}

# The browser test (scripts/test) drives Debian's Chromium through its ChromeDriver.
# Installed here when missing and possible; VPT_SKIP_BROWSER_TEST=1 skips the test, loudly.
ensure_browser() {
  if [ "${VPT_SKIP_BROWSER_TEST:-0}" = 1 ]; then
    return 0
  fi
  export CHROMIUM="${CHROMIUM:-$(command -v chromium || true)}"
  export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver || true)}"
  if [ -n "$CHROMIUM" ] && [ -n "$CHROMEDRIVER" ]; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium and chromium-driver for the browser test ..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    export CHROMIUM=$(command -v chromium) CHROMEDRIVER=$(command -v chromedriver)
    return 0
  fi
  cat >&2 <<'MSG'
error: the browser test needs Chromium and its ChromeDriver, and they cannot be installed here.
  Debian/Ubuntu, as root:  apt-get install chromium chromium-driver
  Installed elsewhere:     CHROMIUM=/path/to/chromium CHROMEDRIVER=/path/to/chromedriver ./scripts/test
  No browser at all:       VPT_SKIP_BROWSER_TEST=1 ./scripts/test   (the rendered pages are then NOT tested)
MSG
  exit 1
}
