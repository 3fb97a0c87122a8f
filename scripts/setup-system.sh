#!/usr/bin/env bash
# Installs the few system packages the test suite needs (Debian's Chromium for the dashboard's
# browser tests) when the machine lacks them. Safe to run again; does nothing when all are present.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: Chromium is missing; install Debian's 'chromium' package to run the browser tests." >&2
  exit 0
fi
echo "setup: installing Debian's chromium for the browser tests"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
