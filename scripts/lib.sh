# Shared by the scripts that drive `vouch mock serve` with a Python tool (schemathesis.sh,
# generated-clients.sh). Source it after `cd` to the repository root; it sets nothing on its own.

venv=target/ci-venv

# ensure_pip PACKAGE VERSION: PACKAGE==VERSION in the CI venv, installed when missing.
# `python -m pip` rather than bin/pip: a venv copied from another checkout keeps that
# checkout's path in its scripts' #! lines.
ensure_pip() {
  local package=$1 version=$2
  if ! "$venv/bin/python" -c "import importlib.metadata as m; assert m.version('$package') == '$version'" 2>/dev/null; then
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$package==$version"
  fi
}

# vouch_binary SCRIPT PROFILE [BINARY]: sets `vouch` to BINARY when given (it must be an
# executable), else builds PROFILE (debug or release; a no-op when up to date, and it makes the
# embedded contracts this checkout's) and uses target/PROFILE/vouch.
vouch_binary() {
  local script=$1 profile=$2
  if [ $# -ge 3 ]; then
    vouch=$3
    [ -x "$vouch" ] || { echo "$script: $vouch is not an executable" >&2; exit 2; }
  elif [ "$profile" = release ]; then
    cargo build --release --quiet
    vouch=target/release/vouch
  else
    cargo build --quiet
    vouch=target/debug/vouch
  fi
}
