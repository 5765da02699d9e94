#!/usr/bin/env bash
# Cold-start benchmark: a fresh JVM per handler on the package it deploys, median of N rounds.
# Usage: bundle/bench/cold-start.sh [rounds] [JVM flags...]   (default: 5 rounds, the stack's JAVA_TOOL_OPTIONS)
# MVN_ARGS is passed to both Maven runs (e.g. MVN_ARGS=-Dmaven.repo.local=/path/to/repo).
# Prints figures; asserts nothing about them. See io.stepwise.bench.ColdStartBenchmark.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"; shift || true
./mvnw -q -B ${MVN_ARGS:-} -pl bundle -am package -DskipTests
./mvnw -q -B ${MVN_ARGS:-} -pl bundle -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/bundle/target/bench-classpath.txt"
cd bundle
exec java -Dorg.sqlite.tmpdir=target -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.stepwise.bench.ColdStartBenchmark target/stepwise-functions.jar "$rounds" "$@"
