#!/usr/bin/env bash
# Runs the LivePulse live metrics job in a local Flink MiniCluster (no cluster, no Docker).
#   scripts/run-local.sh            the embedded demo: simulator (whitepaper) -> job -> console board
#   scripts/run-local.sh --help     every option
#   scripts/run-local.sh --kafka.bootstrap-servers 127.0.0.1:9092 --redis.uri redis://127.0.0.1:6379 \
#                        --influx.url http://127.0.0.1:8086      the same job against real services
# Builds what is needed on first use (JDK 17 and Maven required).
set -euo pipefail
cd "$(dirname "$0")/.."

cp_file=flink-jobs/target/classpath.txt
stale=$(find pom.xml events simulator flink-jobs -path '*/target' -prune -o -path '*/src/test' -prune -o -type f -newer "$cp_file" -print 2>/dev/null | head -1 || true)
if [ ! -s "$cp_file" ] || [ -n "$stale" ]; then
  echo "run-local: building the job (the first build downloads dependencies and takes a few minutes)..." >&2
  mvn -B -q -ntp -Dstyle.color=never -DskipTests -Dspotless.check.skip=true install -pl flink-jobs -am
  # compile scope here includes Flink itself (provided in the job jar): the MiniCluster needs it.
  mvn -B -q -ntp -Dstyle.color=never -pl flink-jobs dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -DincludeScope=compile
fi

exec java -Xmx2g -Dlog4j2.configurationFile=scripts/log4j2-local.xml \
  -cp "flink-jobs/target/classes:$(cat "$cp_file")" io.livepulse.jobs.LiveMetricsJob "$@"
