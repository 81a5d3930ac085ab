# Browses for Offline Commons servers with python3-zeroconf (a client we did not write); DiscoveryIT runs it
# inside a network namespace. Usage: browse.py SECONDS. Prints SERVICE and TXT lines per service found.
import sys, time
from zeroconf import Zeroconf, ServiceBrowser, ServiceListener
T = "_offline-commons._tcp.local."
found = {}
class L(ServiceListener):
    def add_service(self, zc, t, name):
        info = zc.get_service_info(t, name, timeout=3000)
        if info: found[name] = info
    def update_service(self, zc, t, name):
        self.add_service(zc, t, name)
    def remove_service(self, zc, t, name): pass
zc = Zeroconf()
ServiceBrowser(zc, T, L())
deadline = time.time() + float(sys.argv[1]) if len(sys.argv) > 1 else time.time() + 10
while time.time() < deadline and not found:
    time.sleep(0.2)
time.sleep(0.5)
for name, info in found.items():
    props = {k.decode(): (v.decode() if v is not None else None) for k, v in info.properties.items()}
    print("SERVICE", name, info.port, ",".join(info.parsed_addresses()))
    for k in sorted(props): print("TXT", k, props[k])
zc.close()
