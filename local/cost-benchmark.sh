#!/usr/bin/env bash
# Platform cost benchmark: N tasks per scenario (default 10) through the local runtime.
# Usage: local/cost-benchmark.sh [N]   (prints per task: transitions, Lambda invocations and GB-s, DynamoDB units, S3 requests; $ per 1,000 tasks)
# MVN_ARGS: extra Maven arguments for both builds, e.g. MVN_ARGS=-Dmaven.repo.local=/path/to/repo
# shellcheck disable=SC2086 # MVN_ARGS is split into words on purpose
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B ${MVN_ARGS:-} install -DskipTests
./mvnw -q -B ${MVN_ARGS:-} -pl local dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/benchmark.classpath
exec java -Xmx2g -cp "local/target/test-classes:local/target/classes:$(cat local/target/benchmark.classpath)" \
  io.stepwise.local.bench.PlatformCostBenchmark "${1:-10}"
