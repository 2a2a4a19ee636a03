# feedd's log lines: a plain "TIME LEVEL: message" form on stderr, or the
# journald "<N>message" form when JOURNAL_STREAM names stderr (as systemd
# sets it); [feedd] log_level and -v choose what is written; one line
# per poll naming the feed; log_syslog = yes copies lines to syslog.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"

# write_config LINE...: a config with one good and one failing feed, the
# given lines added to [feedd].
write_config() {
	{
		printf '[feedd]\ndatabase = feedd.db\n'
		for _l in "$@"; do
			printf '%s\n' "$_l"
		done
		printf '\n[output]\ndirectory = out\n'
		printf '\n[feed good]\nurl = %s/files/feeds/rss2.xml\n' \
		    "$SERVER_URL"
		printf '\n[feed bad]\nurl = %s/script?status=404\n' \
		    "$SERVER_URL"
	} >"$T/feedd.conf"
}

# levels NAME: the levels of the plain lines of $T/NAME.err, sorted.
levels() {
	sed -n 's/^[^ ]* \([a-z]*\): .*$/\1/p' "$T/$1.err" | sort -u |
	    tr '\n' ' '
}

write_config
run_feedd plain once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once exits 0"
[ -s "$T/plain.err" ] || fail "feedd wrote no log lines"
STAMP='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'
LEVEL='(error|warning|notice|info|debug)'
if grep -v -E "^$STAMP $LEVEL: [^ ]" "$T/plain.err"; then
	fail "lines above are not 'TIME LEVEL: message'"
fi
ok "every line is 'TIME LEVEL: message' off systemd"
grep -q ' info: feed good: ok, 4 new' "$T/plain.err" ||
    fail "no info line for the good feed's poll"
ok "one info line names the good feed and counts its entries"
grep -q ' warning: feed bad: transient error: .*404' "$T/plain.err" ||
    fail "no warning line naming the failing feed"
ok "one warning line names the failing feed and why"
check_eq 1 "$(grep -c 'feed good: ok' "$T/plain.err")" \
    "a poll is told on one line"

# The journal form, when JOURNAL_STREAM is the device:inode of stderr.
: >"$T/journal.err"
stream=$(stat -c '%d:%i' "$T/journal.err")
JOURNAL_STREAM=$stream "$FEEDD" once -c "$T/feedd.conf" \
    >"$T/journal.out" 2>>"$T/journal.err" || fail "feedd once failed"
if grep -v -E '^<[3-7]>[^ <]' "$T/journal.err"; then
	fail "lines above lack a journald priority prefix"
fi
ok "every line starts with a journald priority under systemd"
grep -q '^<6>feed good: ok' "$T/journal.err" ||
    fail "the poll line is not at priority 6 (info)"
grep -q '^<4>feed bad: ' "$T/journal.err" ||
    fail "the failure is not at priority 4 (warning)"
ok "info is <6> and warning <4>"

# A JOURNAL_STREAM naming another file (stderr was redirected): plain.
JOURNAL_STREAM=$stream "$FEEDD" once -c "$T/feedd.conf" \
    >"$T/other.out" 2>"$T/other.err" || fail "feedd once failed"
if grep -q '^<' "$T/other.err"; then
	fail "a stale JOURNAL_STREAM still gave journald prefixes"
fi
ok "a JOURNAL_STREAM that is not stderr gives the plain form"

# Levels: the config sets the least level written, -v raises it.
write_config 'log_level = warning'
run_feedd warning once -c "$T/feedd.conf"
check_eq 'warning ' "$(levels warning)" \
    "log_level = warning writes warnings only"
write_config 'log_level = error'
run_feedd error once -c "$T/feedd.conf"
check_eq '' "$(levels error)" "log_level = error hides the warning"
write_config 'log_level = warning'
run_feedd warnv once -v -v -c "$T/feedd.conf"
check_eq 'info notice warning ' "$(levels warnv)" \
    "-v -v raises log_level = warning to info"
write_config
run_feedd info once -c "$T/feedd.conf"
check_eq 'info notice warning ' "$(levels info)" "info is the default"
run_feedd debug once -v -c "$T/feedd.conf"
grep -q ' debug: feed good: polling ' "$T/debug.err" ||
    not_ok "-v does not add debug lines"
check_eq 'debug info notice warning ' "$(levels debug)" "-v adds debug"

write_config 'log_level = loud'
run_feedd badlevel check -c "$T/feedd.conf"
[ "$RC" != 0 ] || fail "feedd check accepted log_level = loud"
grep -qF "$T/feedd.conf:3: bad value \"loud\" for log_level" \
    "$T/badlevel.err" "$T/badlevel.out" ||
    fail "log_level = loud is not reported at FILE:3"
ok "a bad log_level is reported with FILE:LINE"

# SIGUSR2 toggles debug, then back to log_level.
# A database of its own, so feed bad is due at once (its failing poll
# tells that the daemon is up).
write_config 'log_level = warning'
sed 's/^database = feedd.db$/database = usr2.db/' "$T/feedd.conf" \
    >"$T/usr2.conf"
start_bg usr2 "$FEEDD" run -c "$T/usr2.conf"
USR2_PID=$BG_PID
# usr2_logged TEXT: the daemon's log has TEXT.
usr2_logged() {
	grep -q -- "$1" "$T/usr2.err"
}
wait_for 30 usr2_logged 'warning: feed bad: ' || fail "the daemon did not poll"
kill -USR2 "$USR2_PID"
wait_for 30 usr2_logged ' notice: log level now debug' ||
    fail "SIGUSR2 did not turn on debug"
ok "SIGUSR2 turns on debug"
kill -USR2 "$USR2_PID"
wait_for 30 usr2_logged 'log level back to warning' ||
    fail "a second SIGUSR2 did not go back to log_level = warning"
ok "a second SIGUSR2 goes back to log_level"
kill -TERM "$USR2_PID"
wait_pid 30 "$USR2_PID"

# log_syslog = yes: lines reach /dev/log.  A mount namespace puts a stub
# syslog socket at /dev/log for feedd alone (scripts/test.sh runs as
# root in the build container; without unshare this check fails).
mkdir "$T/dev"
start_dgram_stub syslog "$T/dev/log" "$T/syslog.log"
write_config 'log_syslog = yes'
: >"$T/dev/null"
unshare -m sh -c 'mount --bind /dev/null "$1/dev/null" &&
    mount --bind "$1/dev" /dev && exec "$2" once -c "$1/feedd.conf"' sh \
    "$T" "$FEEDD" >"$T/sys.out" 2>"$T/sys.err" ||
    fail "feedd once in a mount namespace failed (unshare -m needs root)"
# logged_to_syslog: the stub got the poll line at daemon.info.
logged_to_syslog() {
	grep -q '^<30>.*feedd\[[0-9]*\]: feed good: ok' "$T/syslog.log"
}
wait_for 10 logged_to_syslog ||
    fail "no 'feed good: ok' at <30> (daemon.info) in syslog"
ok "log_syslog = yes copies lines to syslog at their priority"
grep -q '^<28>.*feed bad: ' "$T/syslog.log" ||
    fail "the failure did not reach syslog as daemon.warning"
ok "warnings reach syslog as daemon.warning"
grep -q 'feed good: ok' "$T/sys.err" || fail "stderr lost its lines"
ok "stderr keeps its lines with syslog on"
finish
