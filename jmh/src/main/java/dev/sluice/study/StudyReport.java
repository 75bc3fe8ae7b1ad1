package dev.sluice.study;

import dev.sluice.samples.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes what the study measured: {@code results.csv} (one line per point), {@code results.md} (the tables,
 * ratios against Sluice, the open-loop points, and the idle-connection costs) and SVG charts of throughput,
 * p99 latency (log scale), server memory and server CPU per message against connection count, per shape.
 *
 * <p>Thread: one caller.
 */
final class StudyReport {
    private StudyReport() {
    }

    static void write(StudyPlan plan, List<StudyRow> rows, List<IdleRow> idle, Path out) throws IOException {
        Files.writeString(out.resolve("results.csv"), csv(rows));
        Files.writeString(out.resolve("results.md"), markdown(plan, rows, idle));
        for (Study.Shape shape : plan.shapes()) {
            SvgChart tput = new SvgChart("Throughput, " + describe(shape), "connections", "messages per second");
            SvgChart p99 = new SvgChart("p99 latency, " + describe(shape) + " (log scale)", "connections",
                    "p99 latency (us)").logY();
            SvgChart mem = new SvgChart("Server memory, " + describe(shape), "connections", "peak RSS (MiB)");
            SvgChart cpu = new SvgChart("Server CPU per message, " + describe(shape), "connections", "CPU us per message");
            for (StudyRow r : rows) {
                if (r.shape() == shape && r.errors() >= 0 && r.ratePercent() == 0) {
                    tput.add(r.server(), r.connections(), r.msgsPerSecond());
                    p99.add(r.server(), r.connections(), r.p99us());
                    mem.add(r.server(), r.connections(), r.rssMiB());
                    cpu.add(r.server(), r.connections(), r.cpuUsPerMsg());
                }
            }
            Files.writeString(out.resolve("throughput-" + shape + ".svg"), tput.render());
            Files.writeString(out.resolve("p99-" + shape + ".svg"), p99.render());
            Files.writeString(out.resolve("memory-" + shape + ".svg"), mem.render());
            Files.writeString(out.resolve("cpu-" + shape + ".svg"), cpu.render());
        }
    }

    static String describe(Study.Shape shape) {
        return switch (shape) {
            case pingpong -> "64 B ping-pong";
            case pipelined -> "64 B, 16 in flight";
            case stream -> "16 KiB, 4 in flight";
        };
    }

    private static String csv(List<StudyRow> rows) {
        StringBuilder s = new StringBuilder("server,shape,size,depth,connections,rate_pct_of_peak,target_rate,msgs_per_s,"
                + "mib_per_s,p50_us,p99_us,p999_us,errors,rss_mib,threads,cpu_us_per_msg,syscalls_per_msg,partial_writes,"
                + "load_cpu_pct,saturated\n");
        for (StudyRow r : rows) {
            s.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%.1f,%.3f,%.1f,%.1f,%.1f,%d,%.1f,%d,%.3f,%.3f,%d,%.1f,%s%n",
                    r.server(), r.shape(), r.shape().size, r.shape().depth, r.connections(), r.ratePercent(), r.targetRate(),
                    r.msgsPerSecond(), r.mibPerSecond(), r.p50us(), r.p99us(), r.p999us(), r.errors(), r.rssMiB(),
                    r.threads(), r.cpuUsPerMsg(), r.syscallsPerMsg(), r.partialWrites(), r.loadCpuPct(),
                    r.saturation() == null ? "" : r.saturation()));
        }
        return s.toString();
    }

    private static String markdown(StudyPlan plan, List<StudyRow> rows, List<IdleRow> idle) {
        StringBuilder s = new StringBuilder("# Study results\n\n");
        s.append(StudyMachine.describe(plan)).append('\n');
        s.append(String.format(Locale.ROOT, "Servers: %s. Warm-up %s, measured %s per point. Open-loop points at %s%% of "
                        + "each server's closed-loop peak. %s A point marked **sat.** did not measure the server alone: the "
                        + "load generator's loop was at %.0f%% of a core or more, or an open-loop point fell short of its "
                        + "rate by over 5%%.%n%n",
                String.join(", ", plan.servers()), Durations.format(plan.warmup()), Durations.format(plan.duration()),
                plan.rates(), plan.pin() ? "Server pinned to CPU 0, load generator to CPU 1 (taskset)." : "Not pinned.",
                StudyRow.SATURATED_CPU_PCT));
        for (Study.Shape shape : plan.shapes()) {
            s.append("## ").append(describe(shape)).append("\n\n");
            s.append("Closed loop (each reply sends the next message):\n\n");
            s.append("| connections | server | msgs/s | MiB/s | p50 µs | p99 µs | p99.9 µs | RSS MiB | threads | CPU µs/msg | syscalls/msg | partial writes | load CPU % | errors |\n");
            s.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (int n : plan.connections()) {
                for (StudyRow r : rows) {
                    if (r.shape() == shape && r.connections() == n && r.ratePercent() == 0) {
                        s.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %.1f | %.1f | %.1f | %.1f | %.0f | %d | %.2f | %s | %s | %s | %d |%n",
                                n, r.server(), r.msgsPerSecond(), r.mibPerSecond(), r.p50us(), r.p99us(), r.p999us(),
                                r.rssMiB(), r.threads(), r.cpuUsPerMsg(),
                                Double.isNaN(r.syscallsPerMsg()) ? "–" : String.format(Locale.ROOT, "%.2f", r.syscallsPerMsg()),
                                r.partialWrites() < 0 ? "–" : Long.toString(r.partialWrites()), loadCpu(r), r.errors()));
                    }
                }
            }
            s.append('\n');
            openLoop(s, rows, shape);
            ratios(s, plan, rows, shape);
            s.append(String.format("Charts: `throughput-%1$s.svg`, `p99-%1$s.svg` (log scale), `memory-%1$s.svg`, "
                    + "`cpu-%1$s.svg` (server CPU per message).%n%n", shape));
        }
        if (!idle.isEmpty()) {
            idleTable(s, idle);
        }
        return s.toString();
    }

    /**
     * What idle connections cost; a TLS kind's row also shows its heap beyond its plain kind's
     * ({@code sluice-tls} over {@code sluice}) when both ran. TLS idle clients handshook and echoed one
     * byte; plain ones only connected.
     */
    private static void idleTable(StringBuilder s, List<IdleRow> idle) {
        boolean tls = idle.stream().anyMatch(r -> StudyServer.isTls(r.server()));
        s.append("## Idle connections\n\n| server | idle connections | live heap bytes/conn |")
                .append(tls ? " TLS heap bytes/conn over plain |" : "")
                .append(" RSS bytes/conn | threads |\n|---|---:|---:|").append(tls ? "---:|" : "").append("---:|---:|\n");
        for (IdleRow r : idle) {
            s.append(String.format(Locale.ROOT, "| %s | %d | %,.0f |", r.server(), r.connections(), r.heapBytesPerConnection()));
            if (tls) {
                IdleRow base = StudyServer.isTls(r.server()) ? plainOf(r, idle) : null;
                s.append(base == null ? " – |" : String.format(Locale.ROOT, " %,.0f |",
                        r.heapBytesPerConnection() - base.heapBytesPerConnection()));
            }
            s.append(String.format(Locale.ROOT, " %,.0f | %d |%n", r.rssBytesPerConnection(), r.threads()));
        }
        if (tls) {
            s.append("\nTLS idle clients completed a handshake (JDK SSLSocket, EC P-256 certificate) and echoed one byte, "
                    + "which proves the server finished its side; plain idle clients only connected.\n");
        }
        s.append('\n');
    }

    /** The plain kind's row for a TLS kind's ({@code sluice} for {@code sluice-tls}), or null. */
    private static IdleRow plainOf(IdleRow tls, List<IdleRow> idle) {
        String plain = tls.server().substring(0, tls.server().length() - "-tls".length());
        return idle.stream().filter(p -> p.server().equals(plain) && p.connections() == tls.connections())
                .findFirst().orElse(null);
    }

    /** The fixed-rate points: latency at a given rate, which is what users compare. */
    private static void openLoop(StringBuilder s, List<StudyRow> rows, Study.Shape shape) {
        List<StudyRow> open = rows.stream().filter(r -> r.shape() == shape && r.ratePercent() > 0).toList();
        if (open.isEmpty()) {
            return;
        }
        s.append("Open loop (a fixed rate, latency from each message's intended send time, as wrk2):\n\n");
        s.append("| server | connections | % of peak | target msgs/s | achieved msgs/s | p50 µs | p99 µs | p99.9 µs | CPU µs/msg | load CPU % | errors |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (StudyRow r : open) {
            s.append(String.format(Locale.ROOT, "| %s | %d | %d | %,d | %,.0f | %.1f | %.1f | %.1f | %.2f | %s | %d |%n",
                    r.server(), r.connections(), r.ratePercent(), r.targetRate(), r.msgsPerSecond(), r.p50us(), r.p99us(),
                    r.p999us(), r.cpuUsPerMsg(), loadCpu(r), r.errors()));
        }
        s.append('\n');
    }

    private static String loadCpu(StudyRow r) {
        String cpu = Double.isNaN(r.loadCpuPct()) ? "–" : String.format(Locale.ROOT, "%.0f", r.loadCpuPct());
        return r.saturation() == null ? cpu : cpu + " **sat.**";
    }

    /** Sluice's throughput over every other server's, point by point, measured in the same run. */
    private static void ratios(StringBuilder s, StudyPlan plan, List<StudyRow> rows, Study.Shape shape) {
        if (!plan.servers().contains("sluice") || plan.servers().size() < 2) {
            return;
        }
        s.append("Sluice throughput ÷ other server's, same run:\n\n| connections |");
        for (String other : plan.servers()) {
            if (!other.equals("sluice")) {
                s.append(" vs ").append(other).append(" |");
            }
        }
        s.append("\n|---:|");
        plan.servers().stream().filter(o -> !o.equals("sluice")).forEach(o -> s.append("---:|"));
        s.append('\n');
        for (int n : plan.connections()) {
            Optional<StudyRow> mine = find(rows, "sluice", shape, n);
            s.append("| ").append(n).append(" |");
            for (String other : plan.servers()) {
                if (other.equals("sluice")) {
                    continue;
                }
                Optional<StudyRow> theirs = find(rows, other, shape, n);
                if (mine.isPresent() && theirs.isPresent() && theirs.get().msgsPerSecond() > 0) {
                    s.append(String.format(Locale.ROOT, " %.2fx |", mine.get().msgsPerSecond() / theirs.get().msgsPerSecond()));
                } else {
                    s.append(" – |");
                }
            }
            s.append('\n');
        }
        s.append('\n');
    }

    private static Optional<StudyRow> find(List<StudyRow> rows, String server, Study.Shape shape, int n) {
        return rows.stream().filter(r -> r.server().equals(server) && r.shape() == shape && r.connections() == n
                && r.ratePercent() == 0).findFirst();
    }
}
