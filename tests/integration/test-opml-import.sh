# feedd opml import: an OPML subscription list becomes [feed NAME]
# sections on stdout that check accepts: nested categories and the
# category attribute become tags, names are unique and safe, a repeated
# xmlUrl merges, outlines without an http(s) xmlUrl are skipped with a
# FILE:LINE warning.  Titles cannot inject config lines; the parser
# reaches no network and refuses declared entities.  Round trip: opml
# export, then import, gives a config that exports the same list.
set -eu
. "$(dirname "$0")/lib.sh"

start_server "$T"
mkdir -p "$T/etc/feeds.d"
printf '[feedd]\ndatabase = feedd.db\ninclude = feeds.d/*.conf\n[output]\ntitle = River\n[http]\nlisten =\n' \
    >"$T/etc/feedd.conf"

cat >"$T/subs.opml" <<'OPML'
<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
<head><title>My subscriptions</title></head>
<body>
  <outline text="Tech News" title="Tech News">
    <outline text="Linux">
      <outline type="rss" text="LWN.net" xmlUrl="https://lwn.net/headlines/rss" htmlUrl="https://lwn.net/"/>
      <outline type="rss" text="Kernel ; Planet" xmlUrl="https://planet.kernel.org/rss20.xml"/>
    </outline>
    <outline type="rss" text="LWN.net" xmlUrl="https://lwn.net/headlines/rss"/>
  </outline>
  <outline type="rss" text="" xmlurl="http://www.example.com:8080/feed" category="/news,/world/europe"/>
  <outline type="rss" title="lwn.net" xmlUrl="https://lwn.net/other.rss"/>
  <outline type="rss" text="Two&#10;[feed evil]&#10;url = http://evil/" xmlUrl="https://example.org/two.xml"/>
  <outline type="rss" text="Injected url" xmlUrl="https://example.org/x&#10;[feedd]"/>
  <outline type="rss" text="Old" xmlUrl="ftp://example.org/old.xml"/>
  <outline text="Just a note"/>
</body>
</opml>
OPML
run_feedd imp opml import "$T/subs.opml"
assert_eq 0 "$RC" "opml import exits 0"
check_eq "; 5 feeds imported from $T/subs.opml by feedd opml import.

[feed lwn-net]
url = https://lwn.net/headlines/rss
title = LWN.net
tags = Tech-News, Linux
; site: https://lwn.net/

[feed kernel-planet]
url = https://planet.kernel.org/rss20.xml
title = Kernel , Planet
tags = Tech-News, Linux

[feed example-com]
url = http://www.example.com:8080/feed
tags = news, world, europe

[feed lwn-net-2]
url = https://lwn.net/other.rss
title = lwn.net

[feed two-feed-evil-url-http-evil]
url = https://example.org/two.xml
title = Two [feed evil] url = http://evil/" "$(cat "$T/imp.out")" \
    "the sections: tags from categories, unique safe names, merged URL"
check_eq "$T/subs.opml:15: xmlUrl \"https://example.org/x [feedd]\" is not an http or https URL: skipped
$T/subs.opml:16: xmlUrl \"ftp://example.org/old.xml\" is not an http or https URL: skipped
$T/subs.opml:17: outline \"Just a note\" has no xmlUrl: skipped" \
    "$(cat "$T/imp.err")" "skipped outlines are warned about with FILE:LINE"
cp "$T/imp.out" "$T/etc/feeds.d/imported.conf"
run_feedd check check -c "$T/etc/feedd.conf"
assert_eq 0 "$RC" "check accepts the imported feeds"
check_eq "$T/etc/feedd.conf: ok, 5 feeds" "$(cat "$T/check.out")" \
    "check sees the five imported feeds and no injected one"

# Standard input works the same.
"$FEEDD" opml import - <"$T/subs.opml" >"$T/stdin.out" 2>"$T/stdin.err" ||
    fail "opml import - exits $?"
sed 1d "$T/stdin.out" >"$T/stdin.body"
sed 1d "$T/imp.out" >"$T/imp.body"
cmp -s "$T/stdin.body" "$T/imp.body" || fail "import from stdin differs"
ok "import reads standard input with -"

# Round trip: export a config, import it, export again: the same list.
rm "$T/etc/feeds.d/imported.conf"
mkdir -p "$T/orig"
cat >"$T/orig/feedd.conf" <<'CONF'
[feedd]
database = feedd.db
[output]
title = River
[http]
listen =
[feed news]
url = https://example.org/news.xml
title = The News
tags = news, daily
[feed moved]
url = http://example.net/moved.rss
[feed Tech.Blog_1]
url = https://blog.example.com/atom.xml
title = Tech blog
tags = Tech, a.b_c-9
CONF
run_feedd exp1 opml export -c "$T/orig/feedd.conf"
assert_eq 0 "$RC" "opml export of the original exits 0"
run_feedd rt opml import "$T/exp1.out"
assert_eq 0 "$RC" "opml import of the export exits 0"
[ ! -s "$T/rt.err" ] || fail "import of an export warns: $(cat "$T/rt.err")"
cp "$T/rt.out" "$T/etc/feeds.d/rt.conf"
run_feedd rtcheck check -c "$T/etc/feedd.conf"
assert_eq 0 "$RC" "check accepts the round-tripped config"
run_feedd exp2 opml export -c "$T/etc/feedd.conf"
assert_eq 0 "$RC" "opml export of the imported config exits 0"
check_eq "$(cat "$T/exp1.out")" "$(cat "$T/exp2.out")" \
    "the round trip keeps every feed, title, URL and tag"

# Declared entities are refused (no expansion, no billion laughs), and
# neither a DTD nor an external entity is fetched.
cat >"$T/laughs.opml" <<'OPML'
<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>
<opml version="2.0"><body><outline text="&b;" xmlUrl="http://x.example/&b;"/></body></opml>
OPML
run_feedd laughs opml import "$T/laughs.opml"
assert_eq 1 "$RC" "a list declaring entities is refused"
grep -qF "$T/laughs.opml: declares entities" "$T/laughs.err" ||
    fail "the refusal does not say why: $(cat "$T/laughs.err")"
[ ! -s "$T/laughs.out" ] || fail "a refused list printed sections"
ok "declared entities are refused, nothing printed"
cat >"$T/xxe.opml" <<OPML
<?xml version="1.0"?>
<!DOCTYPE opml SYSTEM "$SERVER_URL/files/opml.dtd">
<opml version="2.0"><body><outline text="x" xmlUrl="https://x.example/"/></body></opml>
OPML
run_feedd xxe opml import "$T/xxe.opml"
assert_eq 0 "$RC" "a list naming an external DTD is read"
cat >"$T/xxe2.opml" <<OPML
<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY e SYSTEM "$SERVER_URL/files/entity.txt">]>
<opml version="2.0"><body><outline text="&e;" xmlUrl="https://x.example/"/></body></opml>
OPML
run_feedd xxe2 opml import "$T/xxe2.opml"
assert_eq 1 "$RC" "a list declaring an external entity is refused"
check_eq 0 "$(server_hits /files/opml.dtd)" "the external DTD was not fetched"
check_eq 0 "$(server_hits /files/entity.txt)" \
    "the external entity was not fetched"

# Not well-formed: FILE:LINE and exit 1; a missing file: exit 1.
printf '<opml version="2.0"><body>\n<outline text="x" xmlUrl="http://x/">\n</body></opml>\n' \
    >"$T/broken.opml"
run_feedd broken opml import "$T/broken.opml"
assert_eq 1 "$RC" "a broken list exits 1"
grep -q "^$T/broken.opml:3: " "$T/broken.err" ||
    fail "a broken list is not reported as FILE:LINE: $(cat "$T/broken.err")"
ok "a broken list is reported as FILE:LINE"
run_feedd missing opml import "$T/no-such.opml"
assert_eq 1 "$RC" "a missing list exits 1"
printf '<rss/>' >"$T/notopml.xml"
run_feedd notopml opml import "$T/notopml.xml"
assert_eq 1 "$RC" "a document that is not OPML exits 1"
finish
