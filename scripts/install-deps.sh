#!/usr/bin/env bash
# Installs what the LivePulse test suite needs and the machine may lack, from Debian's packages:
# redis-server, influxd and influx (InfluxDB 1.x), docker-compose (only to validate the
# compose file; no Docker engine is needed) and chromium (the recap report's browser test).
# JDK 17 and Maven are assumed. Safe to run again: it only installs what is missing.
set -euo pipefail

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v influxd >/dev/null 2>&1 || need+=(influxdb)
command -v influx >/dev/null 2>&1 || need+=(influxdb-client)
# Validates docker-compose.yml without a Docker engine (the test suite runs `docker-compose config -q`).
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
# Opens the recap's HTML report headless and takes a screenshot (RecapRealServicesTest).
[ -x /usr/bin/chromium ] || need+=(chromium)
# ... with a font for the report's Chinese labels.
{ command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; } || need+=(fonts-wqy-microhei)

if [ ${#need[@]} -eq 0 ]; then
  echo "install-deps: redis-server, influxd, influx, docker-compose, chromium and a Chinese font are present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=sudo
  else
    echo "install-deps: missing ${need[*]}; run as root or install them: apt-get install ${need[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi

echo "install-deps: installing ${need[*]} from Debian's packages"
# The tests start their own servers on free loopback ports; the packages' system services
# must not start (and hold 6379/8086): policy-rc.d exit 101 tells invoke-rc.d to skip them.
policy=/usr/sbin/policy-rc.d
restore_policy=
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  restore_policy=yes
fi
trap '[ -n "$restore_policy" ] && $SUDO rm -f "$policy"' EXIT

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${need[@]}"

command -v redis-server >/dev/null && command -v influxd >/dev/null && command -v docker-compose >/dev/null \
  && [ -x /usr/bin/chromium ] || {
  echo "install-deps: redis-server, influxd, docker-compose or chromium still missing after apt-get install" >&2
  exit 1
}
echo "install-deps: done"
