#!/usr/bin/env python3
"""Issue 14: echo servers under the C load generator, 64 B ping-pong (or SIZE/DEPTH), at CONNS points.
Server on CPU 0, load on CPU 1. Per round each kind gets a fresh process (order rotated every round); in
it each point warms WARM s, then measures DUR s. Server CPU per message from /proc/PID/stat (utime+stime)
over the measured window (sampled every 50 ms), the load generator's own CPU the same way.
Usage: echo.py OUT.jsonl ROUNDS   env: JAR, KINDS=sluice,netty,c-epoll CONNS=1,100,1000,5000 WARM=5 DUR=6"""
import subprocess, time, os, json, sys
PEERS = os.environ.get("PEERS", "target/peers")  # built as ../shared/peers/README says
TICK = os.sysconf("SC_CLK_TCK")
JAR = os.environ.get("JAR", "jmh/target/benchmarks.jar")
KINDS = os.environ.get("KINDS", "sluice,netty,c-epoll").split(",")
CONNS = [int(x) for x in os.environ.get("CONNS", "1,100,1000,5000").split(",")]
WARM, DUR = int(os.environ.get("WARM", "5")), int(os.environ.get("DUR", "6"))
SIZE, DEPTH = os.environ.get("SIZE", "64"), os.environ.get("DEPTH", "1")
out = open(sys.argv[1], "a"); rounds = int(sys.argv[2])
def cpu_ns(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1_000_000_000 // TICK
def start(kind):
    if kind == "c-epoll":
        p = subprocess.Popen(["taskset", "-c", "0", PEERS + "/echo_server", "7412"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.3); return p, 7412
    p = subprocess.Popen(["taskset", "-c", "0", "java", "-Xms512m", "-Xmx512m", "-XX:+UseParallelGC", "-cp", JAR,
                          "dev.sluice.study.StudyServer", kind], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    return p, int(p.stdout.readline().split()[1])
def interp(samples, t):
    """Linear interpolation of (time, cpu_ns) samples at time t."""
    for (ta, ca), (tb, cb) in zip(samples, samples[1:]):
        if ta <= t <= tb:
            return ca + (cb - ca) * (t - ta) / (tb - ta) if tb > ta else ca
    return samples[0][1] if t < samples[0][0] else samples[-1][1]
def load(port, conns, dur, warm=0, server_pid=None):
    """Runs the C load generator; samples the server's and the load's CPU every 50 ms so that both can be
    taken over exactly the measured window (the last DUR seconds before the load generator exits)."""
    p = subprocess.Popen(["taskset", "-c", "1", PEERS + "/echo_load", "127.0.0.1", str(port),
                          str(conns), str(dur), SIZE, DEPTH, str(warm)], stdout=subprocess.PIPE, text=True)
    srv, ld = [], []
    while p.poll() is None:
        t = time.time()
        try:
            ld.append((t, cpu_ns(p.pid)))
            if server_pid: srv.append((t, cpu_ns(server_pid)))
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
        time.sleep(0.05)
    t_end = time.time()
    d = dict(kv.split("=") for kv in p.stdout.read().split())
    if server_pid and len(srv) > 2:
        d["server_cpu_ns"] = interp(srv, t_end) - interp(srv, t_end - dur)
        d["load_cpu_pct"] = 100 * (interp(ld, t_end) - interp(ld, t_end - dur)) / (dur * 1e9)
    return d
def stop(p):
    try:
        if p.stdin: p.stdin.write("quit\n"); p.stdin.flush()
        p.wait(10)
    except Exception:
        p.kill(); p.wait()
for rnd in range(1, rounds + 1):
    order = KINDS[rnd % len(KINDS):] + KINDS[:rnd % len(KINDS)]
    for k in order:
        p, port = start(k)
        try:
            for n in CONNS:
                load(port, n, WARM)  # warm-up run (its own connections, closed after)
                time.sleep(0.5)
                r = load(port, n, DUR, 1, p.pid)  # 1 s of the load generator's own warm-up before its window
                msgs = float(r["msgs_per_s"]) * DUR
                row = {"round": rnd, "kind": k, "conns": n, "size": SIZE, "depth": DEPTH, "msgs_per_s": float(r["msgs_per_s"]),
                       "p99_us": float(r["p99_us"]), "server_cpu_us_per_msg": r["server_cpu_ns"] / 1000 / msgs if msgs else None,
                       "load_cpu_pct": r["load_cpu_pct"], "errors": r.get("errors"),
                       "loadavg": os.getloadavg()[0], "psi": open("/proc/pressure/cpu").read().split()[1]}
                print(json.dumps(row), file=out, flush=True)
        finally:
            stop(p)
