#!/bin/sh
# Install what is missing, build, and run feedd in the foreground on the
# bundled demo: three sample feeds read through file: URLs, so no
# internet is needed.  The combined feed is then at
# http://127.0.0.1:8080/feed.atom and in build/demo/out/feed.atom.
# Stop it with Ctrl-C.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
"$top/scripts/build.sh" "$top/build"
rm -rf "$top/build/demo"
cp -R "$top/etc/demo" "$top/build/demo"
echo "feedd demo: serving http://127.0.0.1:8080/feed.atom (Ctrl-C stops)" >&2
exec "$top/build/feedd" run -c "$top/build/demo/demo.conf"
