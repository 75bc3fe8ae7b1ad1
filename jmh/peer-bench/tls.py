#!/usr/bin/env python3
"""Issue 12: TLS echo, Sluice vs Netty's SslHandler (both on the JDK's SSLEngine, one loop), driven by
`load --tls -k` at 100 connections: 16 KiB streaming (depth 4, the study's stream shape) and 64 B
ping-pong. Server on CPU 0, load on CPU 1. Per round each server is a fresh process (order flipped
every round); each shape warms WARM s inside the load run, then measures DUR s. Server CPU per message
over the measured window from /proc samples (the last DUR s before the load exits).
Usage: tls.py OUT.jsonl ROUNDS   env: JMH_JAR, SAMPLES_JAR, KINDS=sluice-tls,netty-tls CONNS=100 WARM=4 DUR=6"""
import subprocess, time, os, json, sys
TICK = os.sysconf("SC_CLK_TCK")
JJ = os.environ.get("JMH_JAR", "jmh/target/benchmarks.jar")
CERTS = os.environ.get("CERTS", "target/peer-bench-certs")  # java -cp jmh/target/benchmarks.jar dev.sluice.study.SelfSignedCert DIR
SJ = os.environ.get("SAMPLES_JAR", "samples/target/sluice-samples.jar")
KINDS = os.environ.get("KINDS", "sluice-tls,netty-tls").split(",")
CONNS = int(os.environ.get("CONNS", "100"))
WARM, DUR = int(os.environ.get("WARM", "4")), int(os.environ.get("DUR", "6"))
SHAPES = [("stream", "16k", 4), ("pingpong", "64", 1)]
JVM = ["-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"]
out = open(sys.argv[1], "a"); rounds = int(sys.argv[2])
def cpu_ns(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1_000_000_000 // TICK
def interp(samples, t):
    for (ta, ca), (tb, cb) in zip(samples, samples[1:]):
        if ta <= t <= tb:
            return ca + (cb - ca) * (t - ta) / (tb - ta) if tb > ta else ca
    return samples[0][1] if t < samples[0][0] else samples[-1][1]
def start(kind):
    p = subprocess.Popen(["taskset", "-c", "0", "java", *JVM, "-cp", JJ, "dev.sluice.study.StudyServer", kind,
                          CERTS + "/cert.pem", CERTS + "/key.pem"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return p, int(p.stdout.readline().split()[1])
def load(port, size, depth, server_pid):
    p = subprocess.Popen(["taskset", "-c", "1", "java", *JVM, "-jar", SJ, "load", f"127.0.0.1:{port}", "--tls", "-k",
                          "-c", str(CONNS), "-s", size, "--depth", str(depth), "-w", f"{WARM}s", "-d", f"{DUR}s",
                          "--no-progress", "--json", "-"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    srv, ld = [], []
    while p.poll() is None:
        t = time.time()
        try:
            srv.append((t, cpu_ns(server_pid))); ld.append((t, cpu_ns(p.pid)))
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
        time.sleep(0.05)
    t_end = time.time()
    o = p.stdout.read()
    j = json.loads(o[o.index("{"):o.rindex("}") + 1])
    j["server_cpu_ns"] = interp(srv, t_end) - interp(srv, t_end - DUR)
    j["load_process_cpu_pct"] = 100 * (interp(ld, t_end) - interp(ld, t_end - DUR)) / (DUR * 1e9)
    return j
for rnd in range(1, rounds + 1):
    order = KINDS if rnd % 2 else KINDS[::-1]
    for k in order:
        p, port = start(k)
        try:
            for shape, size, depth in SHAPES:
                j = load(port, size, depth, p.pid)
                msgs = j["messages"]
                print(json.dumps({"round": rnd, "kind": k, "shape": shape, "conns": CONNS, "msgs_per_s": j["msgs_per_s"],
                                  "mib_per_s": j["mib_per_s"], "p99_us": j["latency_us"]["p99"], "errors": j["errors"], "ok": j["ok"],
                                  "server_cpu_us_per_msg": j["server_cpu_ns"] / 1000 / msgs if msgs else None,
                                  "load_loop_cpu_pct": j.get("load_cpu_pct"), "load_process_cpu_pct": j["load_process_cpu_pct"],
                                  "loadavg": os.getloadavg()[0], "psi": open("/proc/pressure/cpu").read().split()[1]}),
                      file=out, flush=True)
        finally:
            try:
                p.stdin.write("quit\n"); p.stdin.flush(); p.wait(10)
            except Exception:
                p.kill(); p.wait()
