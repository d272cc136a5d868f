#!/usr/bin/env bash
# The one command that runs every LivePulse test on a fresh Debian machine with JDK 17 and Maven:
# installs what is missing (redis-server, influxd), then builds, checks formatting and runs the
# whole suite against real Kafka, Redis and InfluxDB started by the tests on 127.0.0.1.
# Extra arguments go to Maven, e.g. scripts/test.sh -pl simulator -am
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
command -v mvn >/dev/null || { echo "test.sh: Maven (mvn) is required: apt-get install maven" >&2; exit 1; }
java -version 2>&1 | grep -q 'version "17' || echo "test.sh: warning: the build targets Java 17; found: $(java -version 2>&1 | head -1)" >&2

mvn -B -ntp verify "$@"

# Every server a test started must be gone: a leak would hold ports and memory on the next run.
left=$(pgrep -af 'livepulse-(redis|influxdb)-|livepulse-stack|/\.stack/' | grep -v pgrep || true)
if [ -n "$left" ]; then
  echo "test.sh: tests left servers running:" >&2
  echo "$left" >&2
  exit 1
fi
echo "test.sh: no test server left running"
