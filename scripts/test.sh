#!/bin/sh
# Install what is missing, build, and run the whole test suite: once in a
# normal build, once under AddressSanitizer and UndefinedBehaviorSanitizer.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"

run_suite() {
	dir=$1
	shift
	"$top/scripts/build.sh" "$dir" "$@"
	(cd "$dir" && ctest --output-on-failure --timeout 300 -j 2)
}

echo "== build and test: $top/build"
run_suite "$top/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFEEDD_SANITIZE=OFF

echo "== build and test under ASan + UBSan: $top/build-asan"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    run_suite "$top/build-asan" -DCMAKE_BUILD_TYPE=Debug -DFEEDD_SANITIZE=ON
