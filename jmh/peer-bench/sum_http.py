#!/usr/bin/env python3
"""Summary of http.py output: per connection count, each server's req/s and CPU per request (median,
range, every repeat), wrk's own CPU, and per-round ratios sluice/nginx and netty/nginx."""
import json, sys, statistics as st
rows = [json.loads(l) for l in open(sys.argv[1])]
def fmt(xs, f="{:,.0f}"):
    return f"{f.format(st.median(xs))} ({f.format(min(xs))}–{f.format(max(xs))})" if xs else "-"
for n in sorted({r["conns"] for r in rows}):
    print(f"\n### {n} connections")
    by = {(r["kind"], r["round"]): r for r in rows if r["conns"] == n}
    rounds = sorted({r for (_, r) in by})
    for k in sorted({k for (k, _) in by}):
        rps = [by[(k, r)]["rps"] for r in rounds if (k, r) in by]
        cpu = [by[(k, r)]["server_cpu_ns_per_req"] for r in rounds if (k, r) in by]
        wrk = [by[(k, r)]["wrk_cpu_pct"] for r in rounds if (k, r) in by]
        bad = [(by[(k, r)]["socket_errors"], by[(k, r)]["non2xx"]) for r in rounds if (k, r) in by
               if by[(k, r)]["socket_errors"] or by[(k, r)]["non2xx"]]
        print(f"{k:7s} req/s {fmt(rps)} every {', '.join(f'{x:,.0f}' for x in rps)}; cpu ns/req {fmt(cpu)}; "
              f"wrk cpu % {fmt(wrk)}; errors {bad}")
    for a in ("sluice", "netty"):
        rt = [by[(a, r)]["rps"] / by[("nginx", r)]["rps"] for r in rounds if (a, r) in by and ("nginx", r) in by]
        rc = [by[(a, r)]["server_cpu_ns_per_req"] / by[("nginx", r)]["server_cpu_ns_per_req"] for r in rounds
              if (a, r) in by and ("nginx", r) in by]
        if rt:
            print(f"{a}/nginx: {fmt(rt, '{:.2f}')} every {', '.join(f'{x:.2f}' for x in rt)}; cpu/req {fmt(rc, '{:.2f}')}")
