#!/usr/bin/env python3
"""Summary of echo.py output: per point, each kind's msgs/s and server CPU per message (median, range,
every repeat, the spread max/min), the repeats where the C load generator was saturated (its own CPU at
SAT % or more: there the throughput is partly the generator's, and CPU per message tells the servers
apart), and per-round ratios sluice/c, netty/c, sluice/netty, raw-nio/c, sluice/raw-nio."""
import json, os, sys, statistics as st
SAT = float(os.environ.get("SAT", "90"))
rows = [json.loads(l) for l in open(sys.argv[1])]
kinds = sorted({r["kind"] for r in rows}); conns = sorted({r["conns"] for r in rows})
def fmt(xs, f="{:,.0f}"):
    return f"{f.format(st.median(xs))} ({f.format(min(xs))}–{f.format(max(xs))})" if xs else "-"
for n in conns:
    print(f"\n### {n} connections")
    by = {(r["kind"], r["round"]): r for r in rows if r["conns"] == n}
    rounds = sorted({r for (_, r) in by})
    for k in kinds:
        m = [by[(k, r)]["msgs_per_s"] for r in rounds if (k, r) in by]
        c = [by[(k, r)]["server_cpu_us_per_msg"] for r in rounds if (k, r) in by]
        lc = [by[(k, r)]["load_cpu_pct"] for r in rounds if (k, r) in by]
        print(f"{k:8s} msgs/s {fmt(m)}  every: {', '.join(f'{x:,.0f}' for x in m)}")
        sat = sum(1 for x in lc if x >= SAT)
        print(f"{'':8s} cpu us/msg {fmt(c, '{:.2f}')}  every: {', '.join(f'{x:.2f}' for x in c)};  load cpu % {fmt(lc)}"
              + (f", saturated (>= {SAT:.0f} %) in {sat} of {len(lc)}" if sat else "")
              + (f";  spread max/min {max(m) / min(m):.2f}" if m else ""))
    for a, b in (("sluice", "c-epoll"), ("netty", "c-epoll"), ("sluice", "netty"), ("raw-nio", "c-epoll"), ("sluice", "raw-nio")):
        rt = [by[(a, r)]["msgs_per_s"] / by[(b, r)]["msgs_per_s"] for r in rounds if (a, r) in by and (b, r) in by]
        rc = [by[(a, r)]["server_cpu_us_per_msg"] / by[(b, r)]["server_cpu_us_per_msg"] for r in rounds if (a, r) in by and (b, r) in by]
        if rt:
            print(f"{a}/{b}: throughput {fmt(rt, '{:.2f}')} every {', '.join(f'{x:.2f}' for x in rt)};  cpu/msg {fmt(rc, '{:.2f}')}")
