#!/usr/bin/env python3
"""Polls URL until it answers 200; prints the seconds since START_NS (a time.time_ns() value).

    wait200.py URL START_NS [TIMEOUT_S]
"""
import http.client
import sys
import time
import urllib.parse

url = urllib.parse.urlsplit(sys.argv[1])
start_ns = int(sys.argv[2])
deadline = time.time() + (float(sys.argv[3]) if len(sys.argv) > 3 else 60)
while time.time() < deadline:
    try:
        c = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
        c.request("GET", url.path or "/")
        if c.getresponse().status == 200:
            print("%.3f" % ((time.time_ns() - start_ns) / 1e9))
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.005)
sys.exit("no 200 from %s in time" % sys.argv[1])
