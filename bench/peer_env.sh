#!/usr/bin/env sh
# Build the peer's own virtualenv (bench/.peer-venv) for bench/mastery.py.
#
# pyBKT 1.4.3 from PyPI installs its pure-Python build (the source archive lacks the C++
# files) and fails at import with scikit-learn >= 1.8, so the peer runs in a separate
# environment pinned to scikit-learn 1.7.2. Set PYBKT_SRC to a checkout of CAHLR/pyBKT to
# try its C++ build instead (never committed here).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
VENV="$HERE/.peer-venv"
PYTHON=${PYTHON:-python3}
"$PYTHON" -m venv --clear "$VENV"
"$VENV/bin/pip" install --quiet --upgrade pip
"$VENV/bin/pip" install --quiet "numpy<2.3" "pandas" "requests" "scikit-learn==1.7.2"
if [ -n "${PYBKT_SRC:-}" ]; then
    # setup.py needs numpy's headers at build time, and silently falls back to the pure
    # Python build when compiling fails: the check below says which build is installed.
    "$VENV/bin/pip" install --quiet setuptools wheel
    "$VENV/bin/pip" install --quiet --no-build-isolation "$PYBKT_SRC"
else
    "$VENV/bin/pip" install --quiet "pyBKT==1.4.3"
fi
"$VENV/bin/python" - <<'PY'
import importlib.util, sklearn, pyBKT.models
spec = importlib.util.find_spec("pyBKT.fit.E_step")
build = "C++" if spec and spec.origin and spec.origin.endswith(".so") else "pure Python"
print(f"pyBKT ready ({build} build); scikit-learn {sklearn.__version__}")
PY
