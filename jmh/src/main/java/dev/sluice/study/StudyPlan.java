package dev.sluice.study;

import java.time.Duration;

import java.util.List;

/**
 * What one study run does.
 *
 * @param servers         server kinds, each in its own JVM
 * @param connections     connection counts to sweep
 * @param shapes          traffic shapes
 * @param warmup          warm-up before each measured window
 * @param duration        measured window
 * @param rates           open-loop points, as percentages of each server's closed-loop peak
 * @param idleConnections idle connections for the heap measurement, 0 to skip
 * @param javaBin         the java for every child
 * @param java21Bin       a JDK 21+ java for the virtual-thread server, or null
 * @param jvmFlags        flags for every child JVM
 * @param pin             whether to pin server and load to separate CPUs
 * @param classpath       the classpath children run with
 * @param command         the command line that started the study, for results.md
 */
record StudyPlan(List<String> servers, List<Integer> connections, List<Study.Shape> shapes, Duration warmup,
                 Duration duration, List<Integer> rates, int idleConnections, String javaBin, String java21Bin,
                 List<String> jvmFlags, boolean pin, String classpath, String command) {

    String javaFor(String server) {
        return server.equals("blocking-virtual") && java21Bin != null ? java21Bin : javaBin;
    }
}
