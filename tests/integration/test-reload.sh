# SIGHUP reloads the config while transfers run: a feed added is polled
# and its entries appear; a feed removed is no longer polled and what it
# stored stays; a removed feed's poll in flight is dropped cleanly; a
# feed kept keeps its conditional state and its poll in flight, whose
# entries are stored; the listener moves to a new address, and stays put
# if the new one cannot be bound.  A config with an error is reported
# with FILE:LINE and the running one kept.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"

SLOW=/script?body=feeds/rss2.xml\&delay_ms=4000
OLDSLOW=/script?body=feeds/rss2-v2.xml\&delay_ms=4000
OLD=/script?body=feeds/noguid.xml
TICK=/script?body=feeds/atom.xml\&etag=tick1
NEW=/files/feeds/noguid.xml
MOVED1=/files/feeds/atom.xml
LAZY=/script?body=feeds/atom.xml\&lazy=1
MOVED2=/script?body=feeds/atom.xml\&moved=2
PORT1=$(free_port)
PORT2=$(free_port)

# write_config PORT FEED...: the config with those of the feeds above.
write_config() {
	{
		printf '[feedd]\ndatabase = feedd.db\nper_host = 10\n\n'
		printf '[output]\ndirectory = out\ntitle = River %s\n\n' "$1"
		printf '[http]\nlisten = 127.0.0.1:%s\n' "$1"
		shift
		for _f in "$@"; do
			case $_f in
			slow) _u=$SLOW; _i=1h ;;
			oldslow) _u=$OLDSLOW; _i=1h ;;
			old) _u=$OLD; _i=1s ;;
			tick) _u=$TICK; _i=1s ;;
			new) _u=$NEW; _i=1h ;;
			lazy1h) _f=lazy; _u=$LAZY; _i=1h ;;
			lazy1s) _f=lazy; _u=$LAZY; _i=1s ;;
			moved1) _f=moved; _u=$MOVED1; _i=1h ;;
			moved2) _f=moved; _u=$MOVED2; _i=1h ;;
			esac
			printf '\n[feed %s]\nurl = %s%s\ninterval = %s\n' \
			    "$_f" "$SERVER_URL" "$_u" "$_i"
		done
	} >"$T/feedd.conf.new"
	mv "$T/feedd.conf.new" "$T/feedd.conf"
}

# has N FEED: the store holds N entries of FEED.
has() {
	[ "$(stored "$T/feedd.conf" "$2")" = "$1" ]
}

# logged TEXT: feedd's log has a line with TEXT.
logged() {
	grep -qF -- "$1" "$T/feedd.err"
}

# serves PORT: feedd serves /feed.atom there.
serves() {
	curl -fsS -m 5 -o /dev/null "http://127.0.0.1:$1/feed.atom" 2>/dev/null
}

write_config "$PORT1" slow oldslow old tick moved1 lazy1h
start_bg feedd "$FEEDD" run -c "$T/feedd.conf"
FEEDD_PID=$BG_PID

wait_for 30 has 3 old || fail "feed old stored no entries"
wait_for 30 has 3 moved || fail "feed moved stored no entries"
wait_for 30 has 3 lazy || fail "feed lazy stored no entries"
wait_for 30 hits_at_least 1 "$SLOW" || fail "feed slow was not polled"
wait_for 30 hits_at_least 1 "$OLDSLOW" || fail "feed oldslow was not polled"
wait_for 30 serves "$PORT1" || fail "nothing served on port $PORT1"
has 0 slow || fail "feed slow ended before the reload: raise its delay"
ok "polls of slow and oldslow in flight, old stored 3 entries"

write_config "$PORT2" slow tick new moved2 lazy1s
kill -HUP "$FEEDD_PID"
wait_for 30 logged "reloaded $T/feedd.conf" || fail "no reload logged"
ok "SIGHUP reloads: $(grep -F reloaded "$T/feedd.err" | tail -n 1)"
hits_old=$(server_hits "$OLD")
hits_tick=$(server_hits "$TICK")

wait_for 30 has 4 slow || fail "feed slow's poll in flight was not stored"
ok "the poll in flight across the reload is stored (4 entries of slow)"
check_eq 1 "$(server_hits "$SLOW")" "the poll in flight was not started anew"
wait_for 30 has 3 new || fail "the added feed new stored nothing"
ok "the added feed is polled and its 3 entries stored"
wait_for 30 hits_at_least 2 "$LAZY" ||
    fail "feed lazy's new interval of 1s did not bring its next poll forward"
ok "a new interval takes effect at once"
wait_for 30 hits_at_least 1 "$MOVED2" ||
    fail "the feed whose url changed was not polled at its new url"
ok "a feed with a new url is polled there"
wait_for 30 logged "feed oldslow: removed from the config; result of" ||
    fail "the removed feed's poll in flight did not end cleanly"
ok "the removed feed's poll in flight ends, its result dropped"
wait_for 30 hits_at_least $((hits_tick + 3)) "$TICK" ||
    fail "feed tick is no longer polled after the reload"
check_eq "$hits_old" "$(server_hits "$OLD")" \
    "the removed feed old is no longer polled"
check_eq 3 "$(stored "$T/feedd.conf" old)" \
    "the removed feed's stored entries stay"
if server_log | awk -F '\t' -v u="GET $TICK" '$1 == u' | tail -n 1 |
    grep -qF 'If-None-Match: "tick1"'; then
	ok "feed tick keeps its ETag across the reload"
else
	not_ok "feed tick lost its ETag: $(server_log | grep -F tick1 | tail -n 2)"
fi
wait_for 30 serves "$PORT2" || fail "nothing served on the new port $PORT2"
ok "the listener moved to port $PORT2"
# river_title: the title of the river written to out/feed.atom.
river_title() {
	xpath "$T/out/feed.atom" "string(/*/*[local-name()='title'])"
}
check_eq "River $PORT2" "$(river_title)" \
    "the outputs are rebuilt with the new title"
if serves "$PORT1"; then
	not_ok "the old port $PORT1 still serves"
else
	ok "the old port $PORT1 is closed"
fi

# A config with an error: reported with FILE:LINE, the running one kept.
printf '[feedd]\ndatabase = feedd.db\nno_such_key = 1\n' >"$T/feedd.conf"
kill -HUP "$FEEDD_PID"
wait_for 30 logged "$T/feedd.conf:3: " ||
    fail "the bad config was not reported with FILE:LINE"
ok "the bad config is reported: $(grep -F "feedd.conf:3:" "$T/feedd.err")"
logged "keeping the running config" || fail "no word on keeping the config"
alive "$FEEDD_PID" || fail "feedd exited on a bad config"
hits_tick=$(server_hits "$TICK")
wait_for 30 hits_at_least $((hits_tick + 2)) "$TICK" ||
    fail "feed tick is not polled after the bad config"
serves "$PORT2" || fail "port $PORT2 no longer serves after the bad config"
ok "feedd keeps running with the config it had"

# A listen address that cannot be bound: the old listener stays.
write_config "$SERVER_PORT" slow tick new moved2 lazy1s
kill -HUP "$FEEDD_PID"
wait_for 30 logged "still listening on 127.0.0.1:$PORT2" ||
    fail "a failed bind was not reported"
serves "$PORT2" || fail "port $PORT2 stopped serving after a failed bind"
ok "a failed bind keeps the old listener"

kill -TERM "$FEEDD_PID"
wait_pid 30 "$FEEDD_PID"
assert_eq 0 "$WAIT_RC" "feedd exits 0 on SIGTERM after reloads"
finish
