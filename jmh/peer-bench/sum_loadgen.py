import json, sys, statistics as st
rows = [json.loads(l) for l in open(sys.argv[1])]
def f(xs, p="{:,.0f}"):
    return p.format(st.median(xs)) + " (" + p.format(min(xs)) + "–" + p.format(max(xs)) + ")"
pts = sorted({(r["conns"], r["depth"]) for r in rows})
for n, d in pts:
    by = {(r["tool"], r["round"]): r for r in rows if r["conns"] == n and r["depth"] == d}
    rounds = sorted({r for _, r in by if ("load", r) in by and ("echo_load", r) in by})
    c = [by[("echo_load", r)]["msgs_per_s"] for r in rounds]
    j = [by[("load", r)]["json"]["msgs_per_s"] for r in rounds]
    jcpu = [by[("load", r)]["json"]["load_cpu_pct"] for r in rounds]
    errs = [by[("load", r)]["json"]["errors"] for r in rounds if by[("load", r)]["json"]["errors"]] + [by[("echo_load", r)]["errors"] for r in rounds if by[("echo_load", r)]["errors"]]
    ratio = [a / b for a, b in zip(j, c)]
    print(f"{n} conns x{d}: echo_load {f(c)} every {', '.join(f'{x:,.0f}' for x in c)}")
    print(f"   load {f(j)} every {', '.join(f'{x:,.0f}' for x in j)}; load's loop cpu % {f(jcpu)}")
    print(f"   load/echo_load {f(ratio, '{:.2f}')} every {', '.join(f'{x:.2f}' for x in ratio)}; errors {errs}")
    rr = sorted(r for r in rounds if ("raw-nio", r) in by)
    if rr:
        raw = [by[("raw-nio", r)]["msgs_per_s"] for r in rr]
        rc = [by[("raw-nio", r)]["msgs_per_s"] / by[("echo_load", r)]["msgs_per_s"] for r in rr]
        jr = [by[("load", r)]["json"]["msgs_per_s"] / by[("raw-nio", r)]["msgs_per_s"] for r in rr]
        print(f"   raw-nio {f(raw)} every {', '.join(f'{x:,.0f}' for x in raw)}")
        print(f"   raw-nio/echo_load {f(rc, '{:.2f}')} every {', '.join(f'{x:.2f}' for x in rc)}; load/raw-nio {f(jr, '{:.2f}')}")
