package dev.sluice.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.samples.Capture;
import dev.sluice.samples.Io;
import dev.sluice.samples.Main;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * One option style across the commands: every spelling that changed fails with a one-line hint naming
 * the new one (exit status 2, nothing run), and every new spelling parses to the value meant. Parsing
 * only: no server, no socket, nothing to leak.
 */
final class OptionStyleTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "load 127.0.0.1:7000 -t 10s        | Invalid value for option '--threads': -t is the number of threads now; the duration is -d 10s",
        "load 127.0.0.1:7000 -d 4          | Invalid value for option '--duration': -d is the duration now and needs a unit (-d 4s); messages in flight per connection are --depth 4",
        "load 127.0.0.1:7000 -r 100        | -r is now -R 100 (as wrk2)",
        "demo -t 3s                        | -t is now -d 3s (-t means threads in every command)",
        "demo -d 16                        | Invalid value for option '--duration': -d is the duration now and needs a unit (-d 16s); messages in flight per connection are --depth 16",
        "chat-client localhost:7100 --connect-timeout-ms 500 | --connect-timeout-ms is now --connect-timeout 500ms",
        "chat-server --stall-timeout-ms 10000                | --stall-timeout-ms is now --stall-timeout 10s",
        "file-recv --dir . --idle-timeout-ms 30000            | --idle-timeout-ms is now --idle-timeout 30s",
        "file-send a 127.0.0.1:1 --stall-timeout-ms 1500      | --stall-timeout-ms is now --stall-timeout 1.5s",
        "file-send a 127.0.0.1:1 --connect-timeout-ms 10000   | --connect-timeout-ms is now --connect-timeout 10s",
        "udp-client 127.0.0.1:1 --timeout-ms 100              | --timeout-ms is now --timeout 100ms",
        "http-bench -d 10 http://127.0.0.1:1/                 | Invalid value for option '--duration': '10' needs a unit: 10s or 10ms",
        "soak --duration 600                                  | Invalid value for option '--duration': '600' needs a unit: 600s or 600ms",
        "http-server --idle-timeout 60                        | Invalid value for option '--idle-timeout': '60' needs a unit: 60s or 60ms",
    })
    void shouldRefuseAnOldSpellingWithAOneLineHint(String args, String message) {
        Capture out = new Capture();
        Capture err = new Capture();
        String[] argv = args.trim().split(" +");
        assertEquals(2, Main.execute(new Io(new ByteArrayInputStream(new byte[0]), out.stream, err.stream), argv));
        assertEquals("sluice-samples " + argv[0] + ": " + message + " (see 'sluice-samples " + argv[0] + " --help')\n",
                err.text());
        assertEquals("", out.text());
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "load 127.0.0.1:7000 | -t        | 2          | 2",
        "load 127.0.0.1:7000 | -d        | 500ms      | PT0.5S",
        "load 127.0.0.1:7000 | --depth   | 16         | 16",
        "load 127.0.0.1:7000 | -R        | 1000       | 1000",
        "load 127.0.0.1:7000 | -s        | 4k         | 4096",
        "demo                | -d        | 2s         | PT2S",
        "demo                | --depth   | 4          | 4",
        "echo-server         | --max-line | 4k        | 4096",
        "blocking-echo-server | --max-line | 1m       | 1048576",
        "chat-server         | --max-line | 2k        | 2048",
        "chat-server         | --stall-timeout | 500ms | PT0.5S",
        "chat-client localhost:7100 | --connect-timeout | 3s | PT3S",
        "file-recv --dir .   | --idle-timeout | 30s   | PT30S",
        "file-recv --dir .   | --max-size | 2g        | 2147483648",
        "file-send a 127.0.0.1:1 | --stall-timeout | 30s | PT30S",
        "udp-client 127.0.0.1:1 | --timeout | 250ms   | PT0.25S",
        "udp-client 127.0.0.1:1 | --size | 1k         | 1024",
        "udp-echo-server     | --max-datagram | 8k    | 8192",
        "http-server         | --max-request-bytes | 16k | 16384",
        "http-server         | --max-body-bytes | 1m  | 1048576",
        "http-bench http://127.0.0.1:1/ | -t | 2      | 2",
        "http-bench http://127.0.0.1:1/ | -R | 5000   | 5000",
        "http-bench http://127.0.0.1:1/ | -w | 0      | PT0S",
        "soak                | -d        | 90s        | PT1M30S",
        "soak                | -R        | 50         | 50",
    })
    void shouldParseTheNewSpelling(String command, String option, String value, String expected) {
        String[] words = command.trim().split(" +");
        CommandLine top = new CommandLine(new Main());
        Commands.addTo(top, new Io(new ByteArrayInputStream(new byte[0]), System.out, System.err));
        top.setCaseInsensitiveEnumValuesAllowed(true);
        String[] argv = Arrays.copyOf(words, words.length + 2);
        argv[words.length] = option;
        argv[words.length + 1] = value;
        Object parsed = top.parseArgs(argv).subcommand().matchedOption(option).getValue();
        assertEquals(expected, parsed instanceof Duration ? parsed.toString() : String.valueOf(parsed),
                words[0] + " " + Arrays.toString(argv));
    }
}
