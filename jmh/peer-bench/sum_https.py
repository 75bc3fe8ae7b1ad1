import json, sys, statistics as st
rows = [json.loads(l) for l in open(sys.argv[1])]
def f(xs, p="{:,.0f}"):
    return p.format(st.median(xs)) + " (" + p.format(min(xs)) + "–" + p.format(max(xs)) + ")"
by = {(r["kind"], r["round"]): r for r in rows}
rounds = sorted({r for _, r in by})
for k in ("sluice", "netty"):
    rs = [by[(k, r)] for r in rounds if (k, r) in by]
    rps = [r["bench"]["requests_per_s"] for r in rs]
    cpu = [r["server_cpu_ns_total"] / r["bench"]["requests"] / 1000 for r in rs]
    tool = [r["bench"]["loop_cpu_pct"] for r in rs]
    print(k, "req/s", f(rps), "every", ", ".join(f"{x:,.0f}" for x in rps), "| server us/req", f(cpu, "{:.1f}"),
          "every", ", ".join(f"{x:.1f}" for x in cpu), "| tool cpu %", f(tool), "| errors", [r["bench"]["errors"] for r in rs if r["bench"]["errors"]])
rt = [by[("sluice", r)]["bench"]["requests_per_s"] / by[("netty", r)]["bench"]["requests_per_s"] for r in rounds]
rc = [(by[("sluice", r)]["server_cpu_ns_total"] / by[("sluice", r)]["bench"]["requests"]) / (by[("netty", r)]["server_cpu_ns_total"] / by[("netty", r)]["bench"]["requests"]) for r in rounds]
print("sluice/netty req/s", f(rt, "{:.2f}"), "every", ", ".join(f"{x:.2f}" for x in rt), "| server cpu/req", f(rc, "{:.2f}"), "every", ", ".join(f"{x:.2f}" for x in rc))
