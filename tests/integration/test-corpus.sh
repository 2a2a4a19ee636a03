# The Universal Feed Parser's own test suite (../shared/corpus) run
# through `feedd parse` by the project's grader: the core pass rate must
# stay at or above FEEDD_CORPUS_BAR percent (see docs/parsing.md for the
# cases where feedd knowingly differs).
set -eu
. "$(dirname "$0")/lib.sh"

BAR=${FEEDD_CORPUS_BAR:-95}
GRADER=$FEEDD_SHARED/corpus/grade.py
[ -f "$GRADER" ] || fail "no grader at $GRADER"
# The grader's --cmd runs through a shell from this directory.
cd "$T"
"$PYTHON" "$GRADER" --cmd "'$FEEDD' parse {url_arg} {header_args} {file}" \
    --min-pass "$BAR" -j 2 --timeout 30 >"$T/grade.out" 2>&1 || {
	cat "$T/grade.out"
	fail "the corpus pass rate is below $BAR%"
}
cat "$T/grade.out"
ok "$(tail -n 1 "$T/grade.out") (bar: $BAR%)"
finish
