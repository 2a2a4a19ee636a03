-- A database written by feedd's schema version 1 (commit f55c7e4, feedd
-- once on v1-pod.xml), dumped with the sqlite3 shell: test-migrate.sh
-- opens it with the current feedd.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE feeds ( name TEXT PRIMARY KEY, url TEXT NOT NULL, title TEXT, title_override TEXT, link TEXT, feed_id TEXT, updated INTEGER, last_attempt INTEGER NOT NULL DEFAULT 0, next_poll INTEGER NOT NULL DEFAULT 0, etag TEXT, last_modified TEXT, is_gone INTEGER NOT NULL DEFAULT 0, fetch_url TEXT, moved_to TEXT, moved_count INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0, last_error TEXT, last_status INTEGER NOT NULL DEFAULT 0, body_hash TEXT, next_reason TEXT, state_since INTEGER NOT NULL DEFAULT 0, feed_interval INTEGER NOT NULL DEFAULT 0, skip_hours INTEGER NOT NULL DEFAULT 0, skip_days INTEGER NOT NULL DEFAULT 0, is_discovered INTEGER NOT NULL DEFAULT 0);
INSERT INTO feeds VALUES('pod','file:///tmp/v1mk/pod.xml','Pod',NULL,'http://example.org/pod/',NULL,NULL,1795529791,1795533564,NULL,'Tue, 24 Nov 2026 14:16:31 GMT',0,NULL,NULL,0,0,NULL,0,'7dc9ebe6fed83ec59f9889814ab4f2c98f763d0511d968bee88b15e7a252a7ec','interval',1795529791,0,0,0,0);
CREATE TABLE entries ( feed TEXT NOT NULL REFERENCES feeds(name), key TEXT NOT NULL, digest TEXT NOT NULL, entry_id TEXT, title TEXT, title_type TEXT, link TEXT, summary TEXT, summary_type TEXT, content TEXT, content_type TEXT, author_name TEXT, author_email TEXT, author_uri TEXT, published_raw TEXT, published INTEGER, updated_raw TEXT, updated INTEGER, first_seen INTEGER NOT NULL, changed INTEGER NOT NULL, sort_time INTEGER NOT NULL, PRIMARY KEY (feed, key));
INSERT INTO entries VALUES('pod','id:pod-1','d32d42d6e75650fbe2cfc3db6cfca92de7cc96a7616c5b049492c7c52bb17339','pod-1','Episode 1','text/plain','http://example.org/pod/1.html','First, plain','text/html',NULL,NULL,'Ann','ann@example.org',NULL,'Fri, 09 Feb 2024 09:00:00 GMT',1707469200,NULL,NULL,1795529791,1795529791,1707469200);
INSERT INTO entries VALUES('pod','id:pod-2','4c1848e89a423f2907bedbb892d4f16e481cf623365219db8f13d094ec3f0ba7','pod-2','Episode 2','text/plain','http://example.org/pod/2.html','Second, with an enclosure','text/html',NULL,NULL,'Ann','ann@example.org',NULL,'Sat, 10 Feb 2024 09:00:00 GMT',1707555600,NULL,NULL,1795529791,1795529791,1707555600);
CREATE TABLE tombstones ( feed TEXT NOT NULL, key TEXT NOT NULL, seen INTEGER NOT NULL, PRIMARY KEY (feed, key));
CREATE INDEX entries_sort ON entries (sort_time DESC);
CREATE INDEX entries_link ON entries (feed, link);
CREATE INDEX entries_first_seen ON entries (first_seen);
CREATE INDEX entries_feed_sort ON entries (feed, sort_time);
COMMIT;
PRAGMA user_version=1;
