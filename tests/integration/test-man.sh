# The manual: feedd(8) and feedd.conf(5) render with groff -ww without a
# single warning; every command and option of the binary is in feedd(8);
# every key in config.c's key table is documented in feedd.conf(5) and
# shown in the example etc/feedd.conf, and the example shows no key that
# config.c does not know.
set -eu
. "$(dirname "$0")/lib.sh"

command -v groff >/dev/null 2>&1 ||
    fail "groff is not installed (scripts/deps.sh installs groff-base)"
SRC=$FEEDD_SOURCE_DIR
for page in docs/feedd.8 docs/feedd.conf.5; do
	groff -ww -man -Tutf8 "$SRC/$page" >"$T/page.txt" 2>"$T/groff.err" ||
	    fail "groff fails on $page"
	[ ! -s "$T/groff.err" ] ||
	    fail "groff -ww warns on $page: $(cat "$T/groff.err")"
	[ -s "$T/page.txt" ] || fail "$page renders empty"
	ok "$page renders without warnings"
done
check_eq 8 "$(sed -n 's/^\.TH FEEDD \([0-9]\) .*/\1/p' "$SRC/docs/feedd.8")" \
    "feedd.8 is in section 8"
check_eq 5 "$(sed -n 's/^\.TH FEEDD.CONF \([0-9]\) .*/\1/p' \
    "$SRC/docs/feedd.conf.5")" "feedd.conf.5 is in section 5"

# Every command in the usage text has an entry in feedd(8)'s COMMANDS.
"$FEEDD" --help >"$T/usage.txt"
sed -n 's/^ *\(usage: \)\{0,1\}feedd \[\{0,1\}\([a-z][a-z]*\( export\| import\)\{0,1\}\).*/\2/p' \
    "$T/usage.txt" | sort -u >"$T/commands"
[ "$(wc -l <"$T/commands")" -ge 9 ] ||
    fail "too few commands found in --help: $(cat "$T/commands")"
sed -n '/^\.SH COMMANDS/,/^\.SH /p' "$SRC/docs/feedd.8" >"$T/commands.8"
while read -r cmd; do
	grep -qE "^\.B $cmd( |$)" "$T/commands.8" ||
	    fail "feedd.8's COMMANDS does not describe the command $cmd"
done <"$T/commands"
ok "feedd.8 describes every command: $(tr '\n' ' ' <"$T/commands")"

# Every long option in main.c and main-verbs.c is in feedd(8).
sed -n 's/.*{ "\([a-z-]*\)", \(no\|required\)_argument.*/\1/p' \
    "$SRC/src/main.c" "$SRC/src/main-verbs.c" | sort -u >"$T/options"
[ "$(wc -l <"$T/options")" -ge 8 ] || fail "too few options found"
while read -r opt; do
	o=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
	grep -qF -- "\\-\\-$o" "$SRC/docs/feedd.8" ||
	    fail "feedd.8 does not document --$opt"
done <"$T/options"
ok "feedd.8 documents every option: $(tr '\n' ' ' <"$T/options")"

# Every key config.c accepts is in feedd.conf(5) and etc/feedd.conf.
sed -n 's/.*{ CONFIG_SECTION_[A-Z_]*, "\([a-z_]*\)",.*/\1/p' \
    "$SRC/src/config.c" | sort -u >"$T/keys"
[ "$(wc -l <"$T/keys")" -ge 30 ] ||
    fail "too few keys found in config.c: $(wc -l <"$T/keys")"
missing=
while read -r k; do
	grep -qE "^\.BI? \"?$k = " "$SRC/docs/feedd.conf.5" ||
	    missing="$missing feedd.conf.5:$k"
	grep -qE "^;?$k = " "$SRC/etc/feedd.conf" ||
	    missing="$missing etc/feedd.conf:$k"
done <"$T/keys"
[ -z "$missing" ] || fail "keys not documented:$missing"
ok "feedd.conf.5 and etc/feedd.conf show all $(wc -l <"$T/keys") keys"
sed -n 's/^;\{0,1\}\([a-z_]*\) = .*/\1/p' "$SRC/etc/feedd.conf" | sort -u |
    while read -r k; do
	grep -qx "$k" "$T/keys" ||
	    { echo "$k" >>"$T/unknown"; }
done
[ ! -s "$T/unknown" ] ||
    fail "etc/feedd.conf shows keys config.c does not know: $(cat "$T/unknown")"
ok "etc/feedd.conf shows no unknown key"
finish
