#!/usr/bin/env python3
"""Issue 14: http-server vs nginx (one worker) vs Netty 4.2's HTTP codec on one loop, under wrk -t1 at 16
and 256 connections. Server on CPU 0, wrk on CPU 1. Each round starts every server fresh (order rotated),
warms it with wrk for WARM s, then runs each connection count for DUR s. Server CPU over the wrk run
from /proc (utime+stime), divided by requests.
Usage: http.py OUT.jsonl ROUNDS   env: SAMPLES_JAR, JMH_JAR, KINDS=sluice,nginx,netty WARM=5 DUR=10"""
import subprocess, time, os, json, sys, re
TICK = os.sysconf("SC_CLK_TCK")
SJ = os.environ.get("SAMPLES_JAR", "samples/target/sluice-samples.jar")
JJ = os.environ.get("JMH_JAR", "jmh/target/benchmarks.jar")
KINDS = os.environ.get("KINDS", "sluice,nginx,netty").split(",")
WARM, DUR = int(os.environ.get("WARM", "5")), int(os.environ.get("DUR", "10"))
CONNS = [int(x) for x in os.environ.get("CONNS", "16,256").split(",")]
JVM = ["-Xms512m", "-Xmx512m", "-XX:+UseParallelGC"]
out = open(sys.argv[1], "a"); rounds = int(sys.argv[2])
def cpu_ns(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1_000_000_000 // TICK
def tree_cpu(pid):  # nginx: the master forks the worker
    kids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return cpu_ns(pid) + sum(cpu_ns(int(k)) for k in kids)
def start(kind):
    if kind == "nginx":
        p = subprocess.Popen(["taskset", "-c", "0", "nginx", "-c", os.path.abspath("jmh/peer-bench/nginx.conf")])
        time.sleep(1); return p, 18292
    if kind == "sluice":
        p = subprocess.Popen(["taskset", "-c", "0", "java", *JVM, "-jar", SJ, "http-server", "-p", "18293"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = 18293
    else:
        p = subprocess.Popen(["taskset", "-c", "0", "java", *JVM, "-cp", JJ, "dev.sluice.study.NettyHttpServer", "--port", "18294"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = 18294
    for _ in range(100):
        if subprocess.run(["curl", "-s", "-o", "/dev/null", f"http://127.0.0.1:{port}/"]).returncode == 0:
            return p, port
        time.sleep(0.1)
    raise RuntimeError(kind + " did not start")
def wrk(port, c, d):
    r = subprocess.run(["/usr/bin/time", "-f", "CPU %U %S", "taskset", "-c", "1", "wrk", "-t1", f"-c{c}", f"-d{d}s",
                        f"http://127.0.0.1:{port}/"], capture_output=True, text=True, timeout=120)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", r.stdout).group(1))
    req = int(re.search(r"(\d+) requests in", r.stdout).group(1))
    lat = re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", r.stdout).groups()
    errs = re.search(r"Socket errors:.*", r.stdout)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", r.stdout)
    u, s = [float(x) for x in r.stderr.split("CPU")[-1].split()]
    return rps, req, lat, errs.group(0) if errs else "", int(non2xx.group(1)) if non2xx else 0, u + s
for rnd in range(1, rounds + 1):
    order = KINDS[rnd % len(KINDS):] + KINDS[:rnd % len(KINDS)]
    for k in order:
        p, port = start(k)
        try:
            wrk(port, 256, WARM)
            for c in CONNS:
                c0 = tree_cpu(p.pid)
                rps, req, lat, errs, non2xx, wcpu = wrk(port, c, DUR)
                c1 = tree_cpu(p.pid)
                print(json.dumps({"round": rnd, "kind": k, "conns": c, "rps": rps, "requests": req, "latency_avg_stdev_max": lat,
                                  "socket_errors": errs, "non2xx": non2xx, "server_cpu_ns_per_req": (c1 - c0) / req,
                                  "wrk_cpu_pct": 100 * wcpu / DUR, "loadavg": os.getloadavg()[0],
                                  "psi": open("/proc/pressure/cpu").read().split()[1]}), file=out, flush=True)
        finally:
            p.terminate(); p.wait()
            if k == "nginx":
                subprocess.run(["pkill", "-f", "nginx -c " + os.path.abspath("jmh/peer-bench")]); time.sleep(0.5)
