# Packaging: a scratch build configured for /usr makes a .deb with cpack;
# the package holds the binary, both man pages, the systemd unit, the
# example config (a conffile) and the docs in their FHS places, declares
# the shared libraries it needs, and runs as a DynamicUser (or creates
# the static User= its unit names).  Unpacked with dpkg -x into a scratch
# root, its binary checks its own example config, and resolves an
# include from that config's directory.
set -eu
. "$(dirname "$0")/lib.sh"

for tool in cmake cpack dpkg-deb dpkg-shlibdeps; do
	command -v "$tool" >/dev/null 2>&1 ||
	    fail "$tool is not installed (scripts/deps.sh installs it)"
done
B=$T/build
cmake -S "$FEEDD_SOURCE_DIR" -B "$B" -DCMAKE_INSTALL_PREFIX=/usr \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFEEDD_TESTS=OFF \
    >"$T/cmake.out" 2>"$T/cmake.err" || fail "cmake failed"
cmake --build "$B" --target feedd -j 2 >"$T/build.out" 2>"$T/build.err" ||
    fail "the package build failed"
(cd "$B" && cpack -G DEB >"$T/cpack.out" 2>"$T/cpack.err") ||
    fail "cpack failed"
set -- "$B"/feedd_*.deb
[ $# = 1 ] && [ -f "$1" ] || fail "cpack made no single .deb: $*"
DEB=$1
ok "cpack built $(basename "$DEB")"

# Contents: where every part goes.
dpkg-deb -c "$DEB" | awk '{ print $6 }' >"$T/contents"
for f in ./usr/bin/feedd ./usr/share/man/man8/feedd.8 \
    ./usr/share/man/man5/feedd.conf.5 ./etc/feedd/feedd.conf \
    ./etc/feedd/feeds.d/ ./usr/lib/systemd/system/feedd.service \
    ./usr/share/doc/feedd/README.md; do
	grep -qx "$f" "$T/contents" || fail "the package lacks $f"
	ok "the package holds $f"
done
dpkg-deb -c "$DEB" | grep -q '^-rwxr-xr-x root/root .* \./usr/bin/feedd$' ||
    fail "usr/bin/feedd is not an executable owned by root"
ok "the binary is executable and owned by root"

# Control: name, version, dependencies, conffile.
VERSION=$(sed -n 's/^project(feedd VERSION \([0-9.]*\).*/\1/p' \
    "$FEEDD_SOURCE_DIR/CMakeLists.txt")
check_eq feedd "$(dpkg-deb -f "$DEB" Package)" "the package is called feedd"
check_eq "$VERSION" "$(dpkg-deb -f "$DEB" Version)" \
    "the package version is the project's"
DEPENDS=$(dpkg-deb -f "$DEB" Depends)
for lib in libc6 libcurl4 libevent-core-2.1-7 libevent-extra-2.1-7 \
    libxml2 libsqlite3-0 libinih1 libjansson4 libxxhash0 libjemalloc2 libsystemd0 zlib1g; do
	case ", $DEPENDS," in
	*", $lib "*|*", $lib,"*) ok "Depends names $lib" ;;
	*) fail "Depends lacks $lib: $DEPENDS" ;;
	esac
done
check_eq /etc/feedd/feedd.conf "$(dpkg-deb -I "$DEB" conffiles)" \
    "the example config is a conffile"

# Unpack into a scratch root: the unit, the user, the binary.
ROOT=$T/root
dpkg -x "$DEB" "$ROOT" || fail "dpkg -x failed"
UNIT=$ROOT/usr/lib/systemd/system/feedd.service
EXEC=$(sed -n 's/^ExecStart=//p' "$UNIT")
set -- $EXEC
[ -x "$ROOT$1" ] || fail "ExecStart runs $1, which the package lacks"
ok "ExecStart runs the packaged binary $1"
[ "$2" = run ] && [ "$3" = -c ] && [ -f "$ROOT$4" ] ||
    fail "ExecStart does not run the packaged config: $EXEC"
ok "ExecStart reads the packaged config $4"
if grep -qx 'DynamicUser=yes' "$UNIT"; then
	ok "the unit runs as a DynamicUser"
else
	USER_NAME=$(sed -n 's/^User=//p' "$UNIT")
	[ -n "$USER_NAME" ] || fail "the unit names no user and no DynamicUser"
	dpkg-deb -I "$DEB" postinst | grep -q 'useradd --system' ||
	    fail "the unit runs as $USER_NAME, which postinst does not create"
	ok "postinst creates the unit's system user $USER_NAME"
fi

# The unpacked binary checks the unpacked example config: no network,
# relative include resolved against the config's own directory.
FEEDD=$ROOT/usr/bin/feedd
run_feedd check check -c "$ROOT/etc/feedd/feedd.conf"
assert_eq 0 "$RC" "the packaged binary accepts the packaged example config"
check_eq "$ROOT/etc/feedd/feedd.conf: ok, 0 feeds" "$(cat "$T/check.out")" \
    "the example config has no live feed"
printf '[feed one]\nurl = https://example.org/one.xml\n' \
    >"$ROOT/etc/feedd/feeds.d/one.conf"
run_feedd check2 check -c "$ROOT/etc/feedd/feedd.conf"
assert_eq 0 "$RC" "the example config reads feeds.d"
check_eq "$ROOT/etc/feedd/feedd.conf: ok, 1 feeds" "$(cat "$T/check2.out")" \
    "a feed in the packaged feeds.d is included"
run_feedd usage --help
grep -qF "/etc/feedd/feedd.conf" "$T/usage.out" ||
    fail "the packaged binary's default config is not /etc/feedd/feedd.conf"
ok "the packaged binary's default config is /etc/feedd/feedd.conf"
finish
