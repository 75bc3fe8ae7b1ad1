package dev.sluice.study;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM the study talks to line by line, optionally pinned to one CPU with {@code taskset}.
 *
 * <p>Thread: one caller at a time.
 */
final class Child implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintStream in;

    private Child(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII);
    }

    /**
     * Starts {@code java <jvmFlags> -cp <classpath> mainClass args...}, pinned to {@code cpu} if it is >= 0
     * and taskset exists. Standard error goes to {@code stderrLog}.
     */
    static Child java(String javaBin, List<String> jvmFlags, String classpath, int cpu, Path stderrLog,
                      String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (cpu >= 0 && hasTaskset()) {
            cmd.add("taskset");
            cmd.add("-c");
            cmd.add(Integer.toString(cpu));
        }
        cmd.add(javaBin);
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
        return new Child(pb.start());
    }

    static boolean hasTaskset() {
        return Files.isExecutable(Path.of("/usr/bin/taskset"));
    }

    long pid() {
        return process.pid();
    }

    /** Reads lines until one starts with {@code prefix}; fails if the child exits first. */
    String await(String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        throw new IOException("child " + process.pid() + " exited (code " + exitCode() + ") before printing " + prefix.trim());
    }

    /** Every remaining line of standard output, after waiting for the child to exit. */
    List<String> drain() throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
        }
        return lines;
    }

    void send(String command) {
        in.println(command);
    }

    void closeStdin() {
        in.close();
    }

    int waitFor(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    private String exitCode() {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    @Override
    public void close() {
        in.close();
        try {
            waitFor(10);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
