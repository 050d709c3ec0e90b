#!/usr/bin/env bash
# Runs the pipeline's tests (normalize and stats on generated ACLED and
# GDELT files, compared with incidents normalize/stats) on a portable Beam
# job server, the way a Flink or Spark cluster runs them: --runner
# universal, SDK workers in LOOPBACK mode (inside the test process, no
# containers). The job server is started here, on localhost, and stopped
# at the end.
#
#   beam/jobserver-test.sh flink    # Beam's Flink job server jar from Maven Central, Java 17, embedded Flink ([local])
#   beam/jobserver-test.sh prism    # Beam's Prism job server, built from the Go module cache
#
# FLINK_VERSION (1.19) and BEAM_JOB_SERVER_VERSION (the SDK's, 2.77.0) pick the jar.
set -euo pipefail
cd "$(dirname "$0")"
kind=${1:-flink}
port=${JOB_PORT:-18099}
log=$(mktemp -t incidents-jobserver.XXXXXX.log)
case "$kind" in
flink)
  flink=${FLINK_VERSION:-1.19}
  ver=${BEAM_JOB_SERVER_VERSION:-$(awk '$1=="github.com/apache/beam/sdks/v2"{sub("v","",$2); print $2}' go.mod)}
  art=org.apache.beam:beam-runners-flink-$flink-job-server:$ver
  jar=$HOME/.m2/repository/org/apache/beam/beam-runners-flink-$flink-job-server/$ver/beam-runners-flink-$flink-job-server-$ver.jar
  args=(--job-host localhost --job-port "$port" --artifact-port 0 --expansion-port 0 --flink-master '[local]')
  if [ -f "$jar" ] || mvn -q dependency:get -Dartifact="$art" -Dtransitive=false >"$log" 2>&1; then
    java -jar "$jar" "${args[@]}" >"$log" 2>&1 &
  else
    # no shaded job-server jar: the driver from the runner's own jars (flink/pom.xml)
    echo "jobserver-test: Maven cannot resolve $art; using FlinkJobServerDriver from flink/pom.xml (Beam 2.62.0, Flink 1.19.1)" >&2
    cp=$(mktemp -t incidents-flink-cp.XXXXXX)
    if ! mvn -q -f flink/pom.xml dependency:build-classpath -Dmdep.outputFile="$cp" >"$log" 2>&1; then
      echo "jobserver-test: Maven cannot resolve flink/pom.xml either (see $log)" >&2
      exit 2
    fi
    java -Xmx4g -cp "$(cat "$cp")" org.apache.beam.runners.flink.FlinkJobServerDriver "${args[@]}" >"$log" 2>&1 &
  fi
  ;;
prism)
  bin=$(mktemp -d)/prism
  go build -o "$bin" github.com/apache/beam/sdks/v2/go/cmd/prism
  "$bin" --job_port "$port" --serve_http=false >"$log" 2>&1 &
  ;;
*)
  echo "usage: $0 flink|prism" >&2
  exit 2
  ;;
esac
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 120); do # the job server takes a few seconds (Flink's: 10-30 s) to listen
  if (exec 3<>/dev/tcp/localhost/"$port") 2>/dev/null; then break; fi
  kill -0 $pid 2>/dev/null || { echo "jobserver-test: the $kind job server died:" >&2; tail -20 "$log" >&2; exit 1; }
  sleep 1
done
start=$(date +%s)
INCIDENTS_BEAM_ENDPOINT=localhost:$port go test ./pipeline -count=1 -v 2>&1 |
  grep -E '^(=== RUN|--- |PASS|FAIL|ok)|_test.go' || { echo "jobserver-test: failed; job server log: $log" >&2; exit 1; }
echo "jobserver-test: $kind passed in $(($(date +%s) - start)) s (job server log: $log)"
