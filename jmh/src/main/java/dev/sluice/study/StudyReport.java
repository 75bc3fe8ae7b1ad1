package dev.sluice.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes what the study measured: {@code results.csv} (one line per point), {@code results.md} (the tables,
 * ratios against Sluice, and the idle-connection costs) and SVG charts of throughput, p99 latency and
 * server memory against connection count, one chart per traffic shape.
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
            SvgChart p99 = new SvgChart("p99 latency, " + describe(shape), "connections", "p99 latency (us)");
            SvgChart mem = new SvgChart("Server memory, " + describe(shape), "connections", "peak RSS (MiB)");
            for (StudyRow r : rows) {
                if (r.shape() == shape && r.errors() >= 0) {
                    tput.add(r.server(), r.connections(), r.msgsPerSecond());
                    p99.add(r.server(), r.connections(), r.p99us());
                    mem.add(r.server(), r.connections(), r.rssMiB());
                }
            }
            Files.writeString(out.resolve("throughput-" + shape + ".svg"), tput.render());
            Files.writeString(out.resolve("p99-" + shape + ".svg"), p99.render());
            Files.writeString(out.resolve("memory-" + shape + ".svg"), mem.render());
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
        StringBuilder s = new StringBuilder("server,shape,size,depth,connections,msgs_per_s,mib_per_s,p50_us,p99_us,p999_us,"
                + "errors,rss_mib,threads,cpu_us_per_msg,syscalls_per_msg,partial_writes\n");
        for (StudyRow r : rows) {
            s.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.1f,%.3f,%.1f,%.1f,%.1f,%d,%.1f,%d,%.3f,%.3f,%d%n",
                    r.server(), r.shape(), r.shape().size, r.shape().depth, r.connections(), r.msgsPerSecond(),
                    r.mibPerSecond(), r.p50us(), r.p99us(), r.p999us(), r.errors(), r.rssMiB(), r.threads(),
                    r.cpuUsPerMsg(), r.syscallsPerMsg(), r.partialWrites()));
        }
        return s.toString();
    }

    private static String markdown(StudyPlan plan, List<StudyRow> rows, List<IdleRow> idle) {
        StringBuilder s = new StringBuilder("# Study results\n\n");
        s.append(String.format(Locale.ROOT, "Servers: %s. Warm-up %d s, measured %d s per point. Child JVM flags: `%s`. %s%n%n",
                String.join(", ", plan.servers()), plan.warmupSeconds(), plan.durationSeconds(),
                String.join(" ", plan.jvmFlags()),
                plan.pin() ? "Server pinned to CPU 0, load generator to CPU 1 (taskset)." : "Not pinned."));
        for (Study.Shape shape : plan.shapes()) {
            s.append("## ").append(describe(shape)).append("\n\n");
            s.append("| connections | server | msgs/s | MiB/s | p50 µs | p99 µs | p99.9 µs | RSS MiB | threads | CPU µs/msg | syscalls/msg | partial writes | errors |\n");
            s.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (int n : plan.connections()) {
                for (StudyRow r : rows) {
                    if (r.shape() == shape && r.connections() == n) {
                        s.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %.1f | %.1f | %.1f | %.1f | %.0f | %d | %.2f | %s | %s | %d |%n",
                                n, r.server(), r.msgsPerSecond(), r.mibPerSecond(), r.p50us(), r.p99us(), r.p999us(),
                                r.rssMiB(), r.threads(), r.cpuUsPerMsg(),
                                Double.isNaN(r.syscallsPerMsg()) ? "–" : String.format(Locale.ROOT, "%.2f", r.syscallsPerMsg()),
                                r.partialWrites() < 0 ? "–" : Long.toString(r.partialWrites()), r.errors()));
                    }
                }
            }
            s.append('\n');
            ratios(s, plan, rows, shape);
            s.append(String.format("Charts: `throughput-%1$s.svg`, `p99-%1$s.svg`, `memory-%1$s.svg`.%n%n", shape));
        }
        if (!idle.isEmpty()) {
            s.append("## Idle connections\n\n| server | idle connections | live heap bytes/conn | RSS bytes/conn | threads |\n|---|---:|---:|---:|---:|\n");
            for (IdleRow r : idle) {
                s.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %d |%n", r.server(), r.connections(),
                        r.heapBytesPerConnection(), r.rssBytesPerConnection(), r.threads()));
            }
            s.append('\n');
        }
        return s.toString();
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
        return rows.stream().filter(r -> r.server().equals(server) && r.shape() == shape && r.connections() == n).findFirst();
    }
}
