#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, when missing. Only root can;
# anyone else is told what to install. The list grows with the real peers (snmpd, chromium, …).
set -euo pipefail

# snmp: snmpget/snmpbulkwalk (tests, bench); chromium: browser tests; wrk: bench_api load
packages=(postgresql-client snmpd snmp redis-server chromium wrk)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "installing system packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
