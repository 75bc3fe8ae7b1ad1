#!/usr/bin/env python3
"""Issue 12: HTTPS plaintext, Sluice http-server vs Netty's HTTP codec + SslHandler (JDK provider, one
loop), both serving "Hello, World!" on /, under http-bench -t 1 -c CONNS -k (TLS handshakes before the
clock). Server on CPU 0, http-bench on CPU 1. Fresh server per round, order flipped; a warm-up run of
WARM s, then DUR s measured. Server CPU over the measured run from /proc, divided by requests.
Usage: https.py OUT.jsonl ROUNDS   env: JMH_JAR, SAMPLES_JAR, CONNS=256 WARM=5 DUR=10"""
import subprocess, time, os, json, sys
TICK = os.sysconf("SC_CLK_TCK")
JJ = os.environ.get("JMH_JAR", "jmh/target/benchmarks.jar")
SJ = os.environ.get("SAMPLES_JAR", "samples/target/sluice-samples.jar")
CONNS = int(os.environ.get("CONNS", "256"))
WARM, DUR = int(os.environ.get("WARM", "5")), int(os.environ.get("DUR", "10"))
CERTS = os.environ.get("CERTS", "target/peer-bench-certs")  # java -cp jmh/target/benchmarks.jar dev.sluice.study.SelfSignedCert DIR
CERT, KEY = CERTS + "/cert.pem", CERTS + "/key.pem"
JVM = ["-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"]
out = open(sys.argv[1], "a"); rounds = int(sys.argv[2])
def cpu_ns(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1_000_000_000 // TICK
def start(kind):
    if kind == "sluice":
        cmd = ["java", *JVM, "-jar", SJ, "http-server", "-p", "18295", "--tls-cert", CERT, "--tls-key", KEY]; port = 18295
    else:
        cmd = ["java", *JVM, "-cp", JJ, "dev.sluice.study.NettyHttpServer", "--port", "18296", "--tls-cert", CERT, "--tls-key", KEY]; port = 18296
    p = subprocess.Popen(["taskset", "-c", "0", *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if subprocess.run(["curl", "-sk", "-o", "/dev/null", f"https://127.0.0.1:{port}/"]).returncode == 0:
            return p, port
        time.sleep(0.1)
    raise RuntimeError(kind + " did not start")
TOOL = os.environ.get("TOOL", "http-bench")
def wrk(port, d):
    import re
    r = subprocess.run(["/usr/bin/time", "-f", "CPU %U %S", "taskset", "-c", "1", "wrk", "-t1", f"-c{CONNS}", f"-d{d}s",
                        f"https://127.0.0.1:{port}/"], capture_output=True, text=True, timeout=180)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", r.stdout).group(1))
    req = int(re.search(r"(\d+) requests in", r.stdout).group(1))
    errs = re.search(r"Socket errors:.*", r.stdout)
    u, s = [float(x) for x in r.stderr.split("CPU")[-1].split()]
    return {"requests_per_s": rps, "requests": req, "errors": errs.group(0) if errs else {}, "connects": None,
            "loop_cpu_pct": 100 * (u + s) / d, "latency": re.search(r"Latency.*", r.stdout).group(0)}
def bench(port, d, jf=None):
    cmd = ["taskset", "-c", "1", "java", *JVM, "-jar", SJ, "http-bench", "-t", "1", "-c", str(CONNS), "-d", f"{d}s", "-k",
           "--no-progress"] + (["--json", jf] if jf else []) + [f"https://127.0.0.1:{port}/"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)
for rnd in range(1, rounds + 1):
    for k in (["sluice", "netty"] if rnd % 2 else ["netty", "sluice"]):
        p, port = start(k)
        try:
            bench(port, WARM) if TOOL == "http-bench" else wrk(port, WARM)
            jf = f"/tmp/https-{k}-{rnd}.json"
            c0 = cpu_ns(p.pid)
            if TOOL == "http-bench":
                r = bench(port, DUR, jf)
            else:
                j = wrk(port, DUR)
            c1 = cpu_ns(p.pid)
            if TOOL == "http-bench":
                j = json.load(open(jf))
            else:
                r = subprocess.CompletedProcess([], 0, "", "")
            print(json.dumps({"round": rnd, "kind": k, "tool": TOOL, "conns": CONNS, "bench": j, "server_cpu_ns_total": c1 - c0,
                              "stderr": r.stderr[-300:], "loadavg": os.getloadavg()[0],
                              "psi": open("/proc/pressure/cpu").read().split()[1]}), file=out, flush=True)
        finally:
            p.terminate(); p.wait()
