package dev.sluice.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What results.md says about where and how it was measured: the machine, the JDK, the child JVMs'
 * flags and the exact command, so a reader can tell whether two result files are comparable.
 *
 * <p>Thread: any (stateless; reads /proc).
 */
final class StudyMachine {
    private StudyMachine() {
    }

    static String describe(StudyPlan plan) {
        return String.format(Locale.ROOT, "| | |%n|---|---|%n| machine | %d CPUs (%s), %s memory |%n| kernel | %s %s |%n"
                        + "| JDK | %s %s (%s) |%n| child JVM flags | `%s` |%n| command | `%s` |%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), memory(), System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vendor"), String.join(" ", plan.jvmFlags()), plan.command());
    }

    private static String cpuModel() {
        for (String line : lines("/proc/cpuinfo")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "model unknown";
    }

    private static String memory() {
        for (String line : lines("/proc/meminfo")) {
            if (line.startsWith("MemTotal:")) {
                long kib = Long.parseLong(line.replaceAll("\\D", ""));
                return String.format(Locale.ROOT, "%.0f GiB", kib / 1048576.0);
            }
        }
        return "unknown";
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
