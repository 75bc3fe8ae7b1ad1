package dev.sluice.samples.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The hot paths allocate nothing: body bytes through the parser (fixed-length and chunked, chunk-size
 * lines included) and a request written into the caller's buffer. Measured with the JDK's per-thread
 * allocation counter; JMH's {@code -prof gc} is the finer tool, this keeps the property from regressing.
 */
final class HttpCodecAllocationTest {

    private static final int WARMUP = 20_000;
    private static final int MEASURED = 10_000;

    @Test
    void shouldNotAllocateWhileParsingChunkedBodyBytes() throws Exception {
        CountingListener counter = new CountingListener();
        HttpResponseParser parser = new HttpResponseParser(counter);
        parser.parse(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
        ByteBuffer chunks = ByteBuffer.allocateDirect(8 * (8 + 255 + 2));
        for (int i = 0; i < 8; i++) {
            chunks.put("FF;x=y\r\n".getBytes(US_ASCII)).put(new byte[255]).put("\r\n".getBytes(US_ASCII));
        }
        long allocated = allocatedWhile(() -> {
            chunks.clear();
            parser.parse(chunks);
        });
        assertEquals((long) (WARMUP + MEASURED) * 8 * 255, counter.bytes);
        assertTrue(allocated < MEASURED, "allocated " + allocated + " bytes in " + MEASURED + " parse calls");
    }

    @Test
    void shouldNotAllocateWhileParsingAFixedLengthBody() throws Exception {
        CountingListener counter = new CountingListener();
        HttpResponseParser parser = new HttpResponseParser(counter);
        parser.parse(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + Long.MAX_VALUE + "\r\n\r\n"));
        ByteBuffer read = ByteBuffer.allocate(4096);
        long allocated = allocatedWhile(() -> {
            read.clear();
            parser.parse(read);
        });
        assertTrue(allocated < MEASURED, "allocated " + allocated + " bytes in " + MEASURED + " parse calls");
    }

    @Test
    void shouldNotAllocateWhileWritingARequestIntoAGivenBuffer() throws Exception {
        HttpUrl url = HttpUrl.parse("http://[::1]:8080/some/path?q=1");
        ByteBuffer dst = ByteBuffer.allocateDirect(256);
        long allocated = allocatedWhile(() -> {
            dst.clear();
            HttpRequestWriter.write(dst, HttpMethod.GET, url, true);
        });
        assertTrue(allocated < MEASURED, "allocated " + allocated + " bytes in " + MEASURED + " writes");
    }

    private interface Step {
        void run() throws Exception;
    }

    private static long allocatedWhile(Step step) throws Exception {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        long id = Thread.currentThread().getId();
        for (int i = 0; i < WARMUP; i++) {
            step.run();
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < MEASURED; i++) {
            step.run();
        }
        return threads.getThreadAllocatedBytes(id) - before;
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(US_ASCII));
    }

    /** Counts body bytes without touching the heap. */
    private static final class CountingListener extends HttpResponseParserTest.IgnoringListener {
        long bytes;

        @Override
        public void onBody(ByteBuffer chunk) {
            bytes += chunk.remaining();
        }
    }
}
