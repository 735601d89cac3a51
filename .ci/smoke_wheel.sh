#!/usr/bin/env bash
# The package as a user gets it: build the sdist and, from the sdist alone, the wheel; install the
# wheel into a fresh virtual environment outside the source tree (as pipx or a package index would);
# then, from a folder where the checkout cannot be imported, check that the program validates,
# simulates, builds maps, previews, plays and serves with only what the wheel carries
# (.ci/smoke_installed.py).  Usage: .ci/smoke_wheel.sh [PYTHON]  (default: python3)
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$PWD
python=${1:-python3}
work=$(mktemp -d "${TMPDIR:-/tmp}/backchannel-wheel.XXXXXX")
trap 'rm -rf "$work"' EXIT

start=$SECONDS
if ! .venv/bin/python -m build --outdir "$work/dist" . >"$work/build.log" 2>&1; then
    cat "$work/build.log" >&2
    exit 1
fi
wheel=$(ls "$work"/dist/backchannel-*.whl)
echo "== wheel: $(basename "$wheel"), $(du -k "$wheel" | cut -f1) KiB (sdist $(du -k "$work"/dist/backchannel-*.tar.gz | cut -f1) KiB), built in $((SECONDS - start)) s"
"$python" -m venv "$work/venv"
if ! "$work/venv/bin/pip" install -q "$wheel" >"$work/install.log" 2>&1; then
    cat "$work/install.log" >&2
    exit 1
fi
echo "== installed into a fresh venv in $((SECONDS - start)) s; the smoke test, from $work"
cd "$work"
"$work/venv/bin/python" "$checkout/.ci/smoke_installed.py" "$checkout"
echo "== the wheel's smoke test took $((SECONDS - start)) s"
