#!/usr/bin/env bash
# The .doc reader against antiword (Debian), the oracle pytest skips when it is not
# installed: installs it when missing (as root, apt-get), then runs those tests.
# A few seconds; called by tests/ci_extra.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v antiword >/dev/null; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        echo "doc oracle: antiword is missing and cannot be installed"; exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends antiword >/dev/null ||
        { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends antiword >/dev/null; }
fi
pytest -q -p no:cacheprovider tests/test_doc.py -k antiword -rs
