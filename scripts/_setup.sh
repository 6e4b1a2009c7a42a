# Sourced by scripts/book and scripts/test: create .venv with the pinned dependencies.
# Needs only Python 3.11 and access to the package index.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

find_python() {
  for candidate in "${PYTHON:-}" python3.11 python3 python; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "error: Python 3.11 is needed (set PYTHON=/path/to/python3.11)" >&2
  return 1
}

if [ ! -x .venv/bin/python ] || ! cmp -s requirements.lock .venv/.installed-lock; then
  py=$(find_python)
  echo "setting up .venv with $($py --version) and requirements.lock ..."
  rm -rf .venv
  "$py" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  .venv/bin/python -m pip check --disable-pip-version-check
  cp requirements.lock .venv/.installed-lock
fi

# SymPy and set ordering: the kernels inherit this, so stored outputs are reproducible.
export PYTHONHASHSEED=0
export PYDEVD_DISABLE_FILE_VALIDATION=1
unset VPT_HOUSEHOLDS  # the stored outputs are those of the shipped data
