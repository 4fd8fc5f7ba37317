#!/usr/bin/env bash
# Installs the Debian packages techmatch needs to build, test and bind.
#
# Idempotent: when every package is already installed it does nothing (no
# `apt-get update`, no network).  Non-interactive.  Runs as root (as CI does);
# otherwise uses sudo when it is available.
#
#   scripts/install-deps.sh            install what is missing
#   scripts/install-deps.sh --check    exit 1 (and list them) if any is missing
set -euo pipefail

PACKAGES=(
  build-essential
  cmake
  pkg-config
  libglib2.0-dev
  libjson-glib-dev
  libcmocka-dev
  valgrind
  # fuzzing (scripts/fuzz.sh: clang with libFuzzer, ASan, UBSan) and the
  # ThreadSanitizer runtime
  clang
  libclang-rt-14-dev
  # static analysis (scripts/analyse.sh)
  cppcheck
  clang-tidy
  # Python bindings (SWIG module, tested with Debian's /usr/bin/python3)
  swig
  python3-dev
  python3-numpy
  python3-pytest
  python3-venv          # the README's install path (a venv, pip --no-index)
  python3-pip
  python3-setuptools
  python3-wheel
  python3-pandas        # DataFrames in and out (imported lazily by the package)
  python3-matplotlib    # the notebook's figures
  python3-nbclient      # executing the notebook headless in ctest
  python3-nbformat
  python3-ipykernel
  python3-jsonschema    # docs.schemas: outputs checked against docs/schema/
  python3-dask          # techmatch.parallel: many jobs on a Dask cluster (issue 13)
  python3-distributed   #   (dask.distributed: Client, LocalCluster)
  python3-tqdm          #   its progress bar outside notebooks
  # the man page's test (consumer.manpage: groff -ww, man -l)
  groff-base
  man-db
  # the office's outputs (issue 11): xlsx written with libxlsxwriter, read
  # with libzip + libxml2 (Debian has no C xlsx reader); HTML from Markdown
  # with cmark-gfm; the printable page checked in headless Chromium with the
  # CJK fonts it declares; python3-openpyxl reads assignments.xlsx in tests
  libxlsxwriter-dev
  libzip-dev
  libxml2-dev
  libcmark-gfm-dev
  libcmark-gfm-extensions-dev
  chromium
  fonts-noto-cjk
  python3-openpyxl
)

is_installed() {
  local status
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null) || return 1
  [[ "${status}" == ii* ]]
}

missing=()
for p in "${PACKAGES[@]}"; do
  is_installed "$p" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

echo "install-deps: missing: ${missing[*]}"
if [[ "${1:-}" == "--check" ]]; then
  exit 1
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "install-deps: not root and sudo is not available; install as root:" >&2
    echo "  apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
  --no-install-recommends "${missing[@]}"

still=()
for p in "${missing[@]}"; do
  is_installed "$p" || still+=("$p")
done
if ((${#still[@]} > 0)); then
  echo "install-deps: failed to install: ${still[*]}" >&2
  exit 1
fi
echo "install-deps: installed ${missing[*]}"
