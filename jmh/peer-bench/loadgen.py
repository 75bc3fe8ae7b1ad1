#!/usr/bin/env python3
"""Issue 14: the project's `load` vs the C load generator, both driving the C echo server (CPU 0), the
tool on CPU 1. Points: 100 and 1000 connections 64 B ping-pong, and 100 connections 64 B x16 (depth 16).
Each repeat runs both tools at every point, order flipped every repeat. Warm-up WARM s, measured DUR s.
The tool's CPU per message over the whole run (connect + warm-up + window) from rusage, and the C
server's CPU over the measured window is not needed here: the server is the same for both.
The third tool, raw-nio, is the JDK's floor: dev.sluice.study.RawNioLoad (benchmarks.jar), the C
generator's loop on a Selector with no engine; its CPU is the process's, from /usr/bin/time.
Usage: loadgen.py OUT.jsonl ROUNDS   env: SAMPLES_JAR, BENCH_JAR, TOOLS=c,java,raw-nio WARM=3 DUR=6"""
import subprocess, time, os, json, sys
PEERS = os.environ.get("PEERS", "target/peers")  # built as ../shared/peers/README says
JAR = os.environ.get("SAMPLES_JAR", "samples/target/sluice-samples.jar")
BENCH_JAR = os.environ.get("BENCH_JAR", "jmh/target/benchmarks.jar")
TOOLS = os.environ.get("TOOLS", "c,java,raw-nio").split(",")
WARM, DUR = int(os.environ.get("WARM", "3")), int(os.environ.get("DUR", "6"))
POINTS = [tuple(map(int, p.split("x"))) for p in os.environ.get("POINTS", "100x1,1000x1,100x16").split(",")]
out = open(sys.argv[1], "a"); rounds = int(sys.argv[2])
srv = subprocess.Popen(["taskset", "-c", "0", PEERS + "/echo_server", "7413"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(0.3)
def c_tool(n, depth, raw=False):
    tool = (["java", "-Xms512m", "-Xmx512m", "-XX:+UseParallelGC", "-cp", BENCH_JAR, "dev.sluice.study.RawNioLoad"] if raw
            else [PEERS + "/echo_load"])
    r = subprocess.run(["/usr/bin/time", "-f", "CPU %U %S", "taskset", "-c", "1"] + tool + ["127.0.0.1", "7413",
                        str(n), str(DUR), "64", str(depth), str(WARM)], capture_output=True, text=True, timeout=120)
    d = dict(kv.split("=") for kv in r.stdout.split())
    u, s = [float(x) for x in r.stderr.split("CPU")[-1].split()]
    return float(d["msgs_per_s"]), float(d["p99_us"]), u + s, int(d["errors"])
def java_tool(n, depth):
    r = subprocess.run(["/usr/bin/time", "-f", "CPU %U %S", "taskset", "-c", "1", "java", "-Xms512m", "-Xmx512m", "-XX:+UseParallelGC",
                        "-jar", JAR, "load", "127.0.0.1:7413", "-c", str(n), "-s", "64", "--depth", str(depth),
                        "-w", f"{WARM}s", "-d", f"{DUR}s", "--no-progress", "--json", "-"], capture_output=True, text=True, timeout=120)
    j = json.loads(r.stdout[r.stdout.index("{"):r.stdout.rindex("}") + 1])
    u, s = [float(x) for x in r.stderr.split("CPU")[-1].split()]
    return j, u + s
try:
    for rnd in range(1, rounds + 1):
        for n, depth in POINTS:
            k = rnd % len(TOOLS)
            for tool in TOOLS[k:] + TOOLS[:k]:  # the order rotates every round
                if tool in ("c", "raw-nio"):
                    m, p99, cpu, err = c_tool(n, depth, tool == "raw-nio")
                    row = {"round": rnd, "tool": "echo_load" if tool == "c" else "raw-nio", "conns": n, "depth": depth,
                           "msgs_per_s": m, "p99_us": p99, "tool_cpu_s": cpu, "errors": err}
                else:
                    j, cpu = java_tool(n, depth)
                    row = {"round": rnd, "tool": "load", "conns": n, "depth": depth, "json": j, "tool_cpu_s": cpu}
                row["loadavg"] = os.getloadavg()[0]; row["psi"] = open("/proc/pressure/cpu").read().split()[1]
                print(json.dumps(row), file=out, flush=True)
finally:
    srv.kill(); srv.wait()
