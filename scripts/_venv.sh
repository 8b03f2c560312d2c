# Sourced by scripts/test and scripts/demo: create .venv and install the project with its extras,
# skipping pip when pyproject.toml has not changed since the last install.
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then "$PYTHON" -m venv .venv; fi
# shellcheck disable=SC1091
source .venv/bin/activate
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "== installing the project and its dependencies into .venv (first run, or pyproject.toml changed: about a minute)"
  python -m pip install -q --upgrade pip
  python -m pip install -q -e ".[dev]"
  rm -f .venv/.installed-*; touch "$stamp"
fi
