import json, sys, statistics as st
rows = [json.loads(l) for l in open(sys.argv[1])]
def f(xs, p="{:,.0f}"):
    return p.format(st.median(xs)) + " (" + p.format(min(xs)) + "–" + p.format(max(xs)) + ")"
def every(xs, p):
    return ", ".join(p.format(x) for x in xs)
for shape in ("stream", "pingpong"):
    print("\n### " + shape)
    by = {(r["kind"], r["round"]): r for r in rows if r["shape"] == shape}
    rounds = sorted({r for _, r in by})
    for k in ("sluice-tls", "netty-tls"):
        rs = [by[(k, r)] for r in rounds if (k, r) in by]
        m = [r["msgs_per_s"] for r in rs]; c = [r["server_cpu_us_per_msg"] for r in rs]
        print(k + ": msgs/s " + f(m) + " every " + every(m, "{:,.0f}") + "; MiB/s " + f([r["mib_per_s"] for r in rs], "{:,.1f}")
              + "; server us/msg " + f(c, "{:.1f}") + " every " + every(c, "{:.1f}")
              + "; p99 ms " + f([r["p99_us"] / 1000 for r in rs], "{:.1f}")
              + "; load loop cpu % " + f([r["load_loop_cpu_pct"] for r in rs]) + ", process " + f([r["load_process_cpu_pct"] for r in rs])
              + "; errors " + str([r["errors"] for r in rs if r["errors"]]))
    rt = [by[("sluice-tls", r)]["msgs_per_s"] / by[("netty-tls", r)]["msgs_per_s"] for r in rounds]
    rc = [by[("sluice-tls", r)]["server_cpu_us_per_msg"] / by[("netty-tls", r)]["server_cpu_us_per_msg"] for r in rounds]
    print("sluice/netty throughput " + f(rt, "{:.2f}") + " every " + every(rt, "{:.2f}") + "; server cpu/msg " + f(rc, "{:.2f}") + " every " + every(rc, "{:.2f}"))
