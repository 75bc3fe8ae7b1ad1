#!/usr/bin/env python3
"""Loop-group benchmark (docs/scaling.md): echo servers under the C load generator, interleaved repeats.

Build the peers into /tmp/peers (never commit them):
  gcc -O2 -Wall -o /tmp/peers/echo_load ../shared/peers/echo_load.c     (and echo_server.c)
build jmh/target/benchmarks.jar, then from the project root:
  python3 jmh/group-bench.py A    # one loop vs a group of one: server on CPU 0, load on CPU 1
  python3 jmh/group-bench.py B    # two loops, every process on CPUs 0 and 1
Each measurement appends one JSON line to group-bench-SECTION.jsonl.
Environment: JAR, LOAD, CSERVER, CONNS (100), WARM (5 s), DUR (5 s), REPEATS (5).
"""
import subprocess, sys, time, os, re, json, resource

JAR = os.environ.get("JAR", "jmh/target/benchmarks.jar")
LOAD = os.environ.get("LOAD", "/tmp/peers/echo_load")
CSERVER = os.environ.get("CSERVER", "/tmp/peers/echo_server")
JVM = ["java", "-Xms1g", "-Xmx1g", "-XX:+UseG1GC"]
CONNS, SIZE, DEPTH = int(os.environ.get("CONNS", "100")), 64, 1
WARM, DUR = float(os.environ.get("WARM", "5")), float(os.environ.get("DUR", "5"))
REPEATS = int(os.environ.get("REPEATS", "5"))
TICK = os.sysconf("SC_CLK_TCK")

def cpu_ns(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1_000_000_000 // TICK  # utime, stime (fields 14, 15)

def start(kind, cpus):
    if kind == "c-epoll":
        port = 7411
        p = subprocess.Popen(["taskset", "-c", cpus, CSERVER, str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.3)
        return p, port
    p = subprocess.Popen(["taskset", "-c", cpus] + JVM + ["-cp", JAR, "dev.sluice.study.StudyServer", kind],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline()
    return p, int(line.split()[1])

def stop(p):
    try:
        if p.stdin:
            p.stdin.write("quit\n"); p.stdin.flush()
        p.wait(10)
    except Exception:
        p.kill(); p.wait()

def load(port, cpus, dur, warm):
    out = subprocess.run(["taskset", "-c", cpus, LOAD, "127.0.0.1", str(port), str(CONNS), str(dur), str(SIZE), str(DEPTH), str(warm)],
                         capture_output=True, text=True, timeout=120).stdout
    return dict(kv.split("=") for kv in out.split())

def run(kind, scpus, lcpus):
    p, port = start(kind, scpus)
    try:
        load(port, lcpus, WARM, 0)            # JIT warm-up, not measured
        ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        c0, t0 = cpu_ns(p.pid), time.time()
        r = load(port, lcpus, DUR, 0)
        c1, t1 = cpu_ns(p.pid), time.time()
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        load_cpu = (ru1.ru_utime + ru1.ru_stime - ru0.ru_utime - ru0.ru_stime) / (t1 - t0)
    finally:
        stop(p)
    msgs = float(r["msgs_per_s"])
    cpu = (c1 - c0) / 1e9 / (t1 - t0)         # server CPU-seconds per second
    return {"kind": kind, "server_cpus": scpus, "load_cpus": lcpus, "msgs_per_s": msgs,
            "p50_us": float(r["p50_us"]), "p99_us": float(r["p99_us"]), "errors": int(r["errors"]),
            "server_cores_busy": round(cpu, 3), "server_cpu_ns_per_msg": round(cpu * 1e9 / msgs, 1),
            "load_cores_busy": round(load_cpu, 3), "load_cpu_ns_per_msg": round(load_cpu * 1e9 / msgs, 1),
            "loadavg": open("/proc/loadavg").read().split()[0]}

def main():
    section = sys.argv[1]
    if section.startswith("A"):   # pinned: server on CPU 0, load on CPU 1
        configs = [(k, "0", "1") for k in ["sluice", "sluice-handoff-1", "sluice-reuseport-1"]]
    else:                # both processes share both cores
        configs = [(k, "0,1", "0,1") for k in ["sluice", "sluice-handoff-2", "sluice-reuseport-2", "netty-2", "netty-1", "c-epoll"]]
    out = open(f"group-bench-{section}.jsonl", "a")
    for rep in range(REPEATS):
        order = configs[rep % len(configs):] + configs[:rep % len(configs)]   # rotate: interleaved
        for kind, s, l in order:
            r = run(kind, s, l)
            r["repeat"] = rep + 1
            print(json.dumps(r), flush=True)
            out.write(json.dumps(r) + "\n"); out.flush()

main()
