package dev.sluice.samples.http;

import static dev.sluice.samples.http.HttpBenchTest.print;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testing.LoopFixture;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What http-bench writes for machines: .hgrm, CSV, JSON; and the request -H builds. */
@Timeout(30)
final class HttpBenchFilesTest {

    /** A data line of HdrHistogram's outputPercentileDistribution: value, percentile, total count, 1/(1-p). */
    private static final Pattern HGRM_LINE =
            Pattern.compile(" *(\\d+\\.\\d{3}) (\\d\\.\\d{12}) +(\\d+)( +(\\d+\\.\\d{2}|Infinity))?");
    private static final Pattern HGRM_MEAN = Pattern.compile("#\\[Mean += +(\\d+\\.\\d{3}), StdDeviation += +(\\d+\\.\\d{3})\\]");
    private static final Pattern HGRM_MAX = Pattern.compile("#\\[Max += +(\\d+\\.\\d{3}), Total count += +(\\d+)\\]");
    private static final Pattern HGRM_BUCKETS = Pattern.compile("#\\[Buckets += +(\\d+), SubBuckets += +(\\d+)\\]");

    @Test
    void shouldWriteAnHgrmThatParsesAsHdrHistogramPercentileOutputPlusCsvAndJson(@TempDir Path dir) throws Exception {
        Path hgrm = dir.resolve("run.hgrm");
        Path csv = dir.resolve("runs.csv");
        Path json = dir.resolve("run.json");
        try (LoopFixture f = new LoopFixture("bench-files")) {
            HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, null, HttpServer.Limits.defaults());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            for (int run = 0; run < 2; run++) {
                int code = new CommandLine(new HttpBenchCommand(print(out), print(err))).execute("-t", "1", "-c", "2",
                        "-d", "200ms", "--warmup", "0", "--hgrm", hgrm.toString(), "--csv", csv.toString(),
                        "--json", json.toString(), "http://127.0.0.1:" + server.port() + "/");
                assertEquals(0, code, out.toString(UTF_8) + err.toString(UTF_8));
            }
        }
        long requests = checkHgrm(Files.readAllLines(hgrm));

        List<String> csvLines = Files.readAllLines(csv);
        assertEquals(3, csvLines.size(), "a header once, then a line per run: " + csvLines);
        assertEquals(BenchReport.csvHeader(), csvLines.get(0));
        int columns = csvLines.get(0).split(",").length;
        assertEquals(columns, csvLines.get(2).split(",").length);
        assertEquals(requests, Long.parseLong(csvLines.get(2).split(",")[6]), "the last run's requests, in both files");

        String object = Files.readString(json).trim();
        assertTrue(object.matches("\\{\"url\":\"http://127\\.0\\.0\\.1:\\d+/\",\"threads\":1,\"connections\":2,"
                + "\"pipeline\":1,\"rate\":0,\"duration_s\":[\\d.]+,\"requests\":" + requests + ",.*"
                + "\"percentiles\":\\{\"50\":\\d+,\"75\":\\d+,\"90\":\\d+,\"99\":\\d+,\"99.9\":\\d+,\"99.99\":\\d+,"
                + "\"99.999\":\\d+,\"100\":\\d+}},\"status\":\\{\"200\":" + requests + "},\"errors\":\\{},\"connects\":2,"
                + "\"loop_cpu_pct\":[\\d.]+,\"loop_cpu_ns_per_request\":\\d+}"),
                object);
    }

    /** A strict reading of the format's columns and footer; returns the total count. */
    private static long checkHgrm(List<String> lines) {
        assertEquals("       Value     Percentile TotalCount 1/(1-Percentile)", lines.get(0));
        assertEquals("", lines.get(1));
        double lastValue = -1;
        double lastPercentile = -1;
        long lastCount = -1;
        int i = 2;
        for (; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
            Matcher m = HGRM_LINE.matcher(lines.get(i));
            assertTrue(m.matches(), "line " + i + ": '" + lines.get(i) + "'");
            double value = Double.parseDouble(m.group(1));
            double percentile = Double.parseDouble(m.group(2));
            long count = Long.parseLong(m.group(3));
            assertTrue(value >= lastValue && percentile >= lastPercentile && count >= lastCount, "monotonic at line " + i);
            if (m.group(5) != null && percentile < 1) {
                assertEquals(1 / (1 - percentile), Double.parseDouble(m.group(5)), 0.01, "1/(1-p) at line " + i);
            }
            lastValue = value;
            lastPercentile = percentile;
            lastCount = count;
        }
        assertEquals(1.0, lastPercentile, "the spectrum ends at the 100th percentile");
        Matcher mean = HGRM_MEAN.matcher(lines.get(i));
        Matcher max = HGRM_MAX.matcher(lines.get(i + 1));
        assertTrue(mean.matches(), lines.get(i));
        assertTrue(max.matches(), lines.get(i + 1));
        assertTrue(HGRM_BUCKETS.matcher(lines.get(i + 2)).matches(), lines.get(i + 2));
        assertEquals(i + 3, lines.size());
        assertEquals(lastCount, Long.parseLong(max.group(2)), "the last line counts every value");
        assertTrue(lastCount > 0);
        assertEquals(lastValue, Double.parseDouble(max.group(1)), 0.001 + lastValue * 0.001, "max in milliseconds");
        return lastCount;
    }

    @Test
    void shouldAddHeadersAndLetThemReplaceTheDefaultFields() {
        BenchConfig config = BenchConfig.of(HttpUrl.parse("http://127.0.0.1:8080/a?b=c"), 1, 1)
                .withHeaders(List.of("Host: example.test", "X-Trace:  42 ", "connection: close"));
        assertEquals("GET /a?b=c HTTP/1.1\r\nUser-Agent: " + HttpRequestWriter.USER_AGENT + "\r\nAccept: */*\r\n"
                + "Host: example.test\r\nX-Trace: 42\r\nconnection: close\r\n\r\n", new String(config.requestBytes(), ISO_8859_1));
        assertEquals("GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: " + HttpRequestWriter.USER_AGENT
                + "\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n",
                new String(BenchConfig.of(HttpUrl.parse("http://127.0.0.1:8080/"), 1, 1).requestBytes(), ISO_8859_1));
    }

    @Test
    void shouldRefuseAHeaderThatIsNotNameColonValue() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CommandLine(new HttpBenchCommand(print(new ByteArrayOutputStream()), print(err)))
                .execute("-H", "no colon here", "http://127.0.0.1:1/");
        assertEquals(2, code);
        assertEquals("http-bench: a header is 'Name: value', got 'no colon here'\n", err.toString(UTF_8));
    }
}
