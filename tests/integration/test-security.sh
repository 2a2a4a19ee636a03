# systemd/feedd.service is hardened: systemd-analyze security, offline
# (no running systemd needed), rates its exposure 2.0 or lower, and the
# unit keeps the settings the daemon relies on.
set -eu
. "$(dirname "$0")/lib.sh"

UNIT=$FEEDD_SOURCE_DIR/systemd/feedd.service
[ -f "$UNIT" ] || fail "no $UNIT"
# scripts/deps.sh installs systemd; a missing analyzer is a failure.
command -v systemd-analyze >/dev/null 2>&1 ||
    fail "systemd-analyze is not installed"

systemd-analyze security --offline=true --no-pager "$UNIT" \
    >"$T/security.out" 2>"$T/security.err" ||
    fail "systemd-analyze security failed"
score=$(sed -n 's/^.*Overall exposure level for [^:]*: \([0-9.]*\) .*$/\1/p' \
    "$T/security.out")
[ -n "$score" ] || fail "no exposure level in systemd-analyze's output"
if awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
	ok "exposure level $score is 2.0 or lower"
else
	fail "exposure level $score is above 2.0: $(grep '✗' "$T/security.out")"
fi

# unit_has KEY=VALUE: the unit sets KEY to exactly VALUE.
unit_has() {
	if grep -qx "$1" "$UNIT"; then
		ok "unit sets $1"
	else
		not_ok "unit does not set $1"
	fi
}
unit_has 'Type=notify'
unit_has 'ExecStart=/usr/bin/feedd run -c /etc/feedd/feedd.conf'
unit_has 'ExecReload=/bin/kill -HUP $MAINPID'
unit_has 'ConfigurationDirectory=feedd'
unit_has 'StateDirectory=feedd'
unit_has 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX'
finish
