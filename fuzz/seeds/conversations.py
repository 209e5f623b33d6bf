# SPDX-License-Identifier: Apache-2.0
"""conversations.py: multi-message client streams for server_dispatch_fuzzer,
built from the golden vectors' all-zero valid message of each arm (its wire
and field layout) in one framing profile: serial and fields written in, the
header kept as the profile frames it.

The daemon under the fuzzer is a HypervisorModel with uuid seed 1
(fuzz/dispatch/dispatch_check.cpp); its uuids come from splitmix64 in a
documented order (docs/PEERS.md: `--seed N` reproduces every uuid), so a
conversation can address by uuid what it defined a moment before. Were the
generator to change, the seeds stay valid inputs: the calls by uuid get
FAILURE (no-such-domain) instead of reaching deeper states.
"""

MASK = (1 << 64) - 1
MODEL_SEED = 1


def uuids(seed=MODEL_SEED):
    """The uuids the model generates, in order (HypervisorModel::new_uuid)."""
    state = seed
    while True:
        out = bytearray()
        for _ in range(2):
            state = (state + 0x9E3779B97F4A7C15) & MASK
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            z ^= z >> 31
            out += z.to_bytes(8, "little")
        out[6] = (out[6] & 0x0F) | 0x40
        out[8] = (out[8] & 0x3F) | 0x80
        yield bytes(out)


def templates(groups):
    """arm name (without QEMUD_CLIENT_PKT_) -> (wire, {field: (offset, size)})
    of its all-zero valid message."""
    out = {}
    for group in groups:
        for test in group["tests"]:
            if test["result"] == "valid" and "zeros" in test["flags"]:
                fields = {path.split(".")[-1]: (at, size) for at, size, path in test["layout"]}
                out[group["arm"].removeprefix("QEMUD_CLIENT_PKT_")] = (bytes.fromhex(test["wire"]), fields)
                break
    return out


def message(templates, serial, arm, **fields):
    """The framed call `arm` with `serial`; str fields are char arrays
    (NUL-padded), bytes fields unsigned char arrays, ints words."""
    wire, layout = templates[arm]
    wire = bytearray(wire)
    wire[8:12] = serial.to_bytes(4, "big")
    for name, value in fields.items():
        at, size = layout[name]
        if isinstance(value, int):
            wire[at:at + 4] = (value & 0xFFFFFFFF).to_bytes(4, "big")
            continue
        raw = value.encode() if isinstance(value, str) else value
        assert len(raw) * 4 <= size, (arm, name)
        for i, ch in enumerate(raw):  # one word per element
            wire[at + 4 * i:at + 4 * i + 4] = ch.to_bytes(4, "big")
    return bytes(wire)


def domain_xml(name, memory=65536, vcpu=2):
    return f"<domain type='qemu'><name>{name}</name><memory>{memory}</memory><vcpu>{vcpu}</vcpu></domain>"


def network_xml(name, bridge=None):
    b = f"<bridge name='{bridge}'/>" if bridge else ""
    return f"<network><name>{name}</name>{b}</network>"


def streams(t):
    """(name, stream) of each conversation."""
    u = uuids()
    serial = iter(range(1, 1 << 20))

    def m(arm, **fields):
        return message(t, next(serial), arm, **fields)

    # A persistent domain through its life: define, start, pause, resume,
    # inspect, destroy, undefine (the model's domain ids count from 1).
    d1 = next(u)
    yield "domain-lifecycle", b"".join([
        m("DOMAIN_DEFINE", xml=domain_xml("fuzz1")),
        m("NUM_DEFINED_DOMAINS"), m("LIST_DEFINED_DOMAINS"),
        m("DOMAIN_START", uuid=d1),
        m("LIST_DOMAINS"), m("NUM_DOMAINS"),
        m("DOMAIN_SUSPEND", id=1), m("DOMAIN_GET_INFO", uuid=d1), m("DOMAIN_RESUME", id=1),
        m("DOMAIN_LOOKUP_BY_ID", id=1), m("DOMAIN_LOOKUP_BY_NAME", name="fuzz1"),
        m("DOMAIN_LOOKUP_BY_UUID", uuid=d1), m("DUMP_XML", uuid=d1),
        m("DOMAIN_SET_AUTOSTART", uuid=d1, autostart=1), m("DOMAIN_GET_AUTOSTART", uuid=d1),
        m("DOMAIN_START", uuid=d1),  # already running: invalid-state
        m("DOMAIN_UNDEFINE", uuid=d1),  # running: invalid-state
        m("DOMAIN_DESTROY", id=1), m("DOMAIN_UNDEFINE", uuid=d1), m("LIST_DEFINED_DOMAINS"),
    ])

    # A transient domain saved to an image and restored.
    u = uuids()
    d1 = next(u)
    yield "domain-save-restore", b"".join([
        m("DOMAIN_CREATE", xml=domain_xml("fuzz2", memory=1024, vcpu=1)),
        m("DOMAIN_SAVE", id=1, file="/var/lib/fuzz2.img"),
        m("LIST_DOMAINS"), m("DOMAIN_LOOKUP_BY_UUID", uuid=d1),
        m("DOMAIN_RESTORE", file="/var/lib/fuzz2.img"),
        m("DOMAIN_GET_INFO", uuid=d1), m("DOMAIN_SET_AUTOSTART", uuid=d1, autostart=1),
    ])

    # A persistent network, with and without a bridge name; then a transient one.
    u = uuids()
    n1, n2 = next(u), next(u)
    yield "network-lifecycle", b"".join([
        m("NETWORK_DEFINE", xml=network_xml("net1", bridge="br7")),
        m("NUM_DEFINED_NETWORKS"), m("LIST_DEFINED_NETWORKS"),
        m("NETWORK_START", uuid=n1), m("NETWORK_GET_BRIDGE_NAME", uuid=n1),
        m("NETWORK_SET_AUTOSTART", uuid=n1, autostart=1), m("NETWORK_GET_AUTOSTART", uuid=n1),
        m("NUM_NETWORKS"), m("LIST_NETWORKS"), m("NETWORK_LOOKUP_BY_NAME", name="net1"),
        m("NETWORK_CREATE", xml=network_xml("net2")),
        m("NETWORK_GET_BRIDGE_NAME", uuid=n2), m("NETWORK_DUMP_XML", uuid=n2),
        m("NETWORK_LOOKUP_BY_UUID", uuid=n2),
        m("NETWORK_DESTROY", uuid=n1), m("NETWORK_UNDEFINE", uuid=n1), m("NETWORK_DESTROY", uuid=n2),
    ])

    # What a client asks first, then a name defined twice and a bad XML.
    yield "host-and-refusals", b"".join([
        m("GET_VERSION"), m("GET_NODEINFO"), m("GET_CAPABILITIES"),
        m("DOMAIN_DEFINE", xml=domain_xml("twice")),
        m("DOMAIN_DEFINE", xml=domain_xml("twice")),  # duplicate-name
        m("DOMAIN_CREATE", xml="<domain><name></name></domain>"),  # invalid-xml
        m("DOMAIN_LOOKUP_BY_NAME", name="nosuch"), m("DOMAIN_SUSPEND", id=42),
    ])

    # Calls, then a header of the wrong constant: FAILURE (inReplyTo 0) and close.
    yield "then-broken-header", b"".join([
        m("GET_VERSION"), m("NUM_DOMAINS"), bytes.fromhex("1234567800000008"), m("GET_VERSION"),
    ])
