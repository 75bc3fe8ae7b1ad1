package dev.sluice.samples.file;

import dev.sluice.samples.support.BackgroundCommand;
import dev.sluice.samples.support.Output;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileCommandTest {

    @Test
    void shouldSendTwoFilesAtOnceFromCommandToCommand(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path dir = Files.createDirectory(tmp.resolve("in"));
        Path a = src.resolve("a.bin");
        Path b = src.resolve("b.bin");
        FileTransferTest.writeRandomFile(a, 5 * 1024 * 1024, 1);
        FileTransferTest.writeRandomFile(b, 300_000, 2);
        Output recvOut = new Output();
        Output recvErr = new Output();
        BackgroundCommand recv = BackgroundCommand.start(new FileRecvCommand(recvOut.stream, recvErr.stream),
                "--dir", dir.toString(), "--port", "0", "--count", "2");
        String port = recvOut.await("on 127\\.0\\.0\\.1:(\\d+)");
        Output out = new Output();
        Output err = new Output();

        int exit = new CommandLine(new FileSendCommand(out.stream, err.stream))
                .execute(a.toString(), b.toString(), "localhost:" + port);

        assertEquals(0, exit, err.text());
        assertEquals(0, recv.await(), recvErr.text());
        assertEquals(-1, Files.mismatch(a, dir.resolve("a.bin")));
        assertEquals(-1, Files.mismatch(b, dir.resolve("b.bin")));
        assertTrue(out.text().contains("sent a.bin: 5.0 MiB in "), out.text());
        assertTrue(out.text().contains("sent b.bin: 293.0 KiB in "), out.text());
        assertTrue(recvOut.text().contains("received a.bin: 5.0 MiB in "), recvOut.text());
        assertTrue(recvOut.text().endsWith("file-recv: 2 received, 0 failed\n"), recvOut.text());
        assertEquals("", err.text(), "no progress bar when not asked for and not on a terminal");
        assertEquals("", recvErr.text());
    }

    @Test
    void shouldExitOneWithOneLineWhenTheReceiverRefuses(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path dir = Files.createDirectory(tmp.resolve("in"));
        Files.writeString(dir.resolve("x.txt"), "keep me");
        Path x = Files.writeString(src.resolve("x.txt"), "replacement");
        Output recvOut = new Output();
        Output recvErr = new Output();
        BackgroundCommand recv = BackgroundCommand.start(new FileRecvCommand(recvOut.stream, recvErr.stream),
                "--dir", dir.toString(), "--port", "0");
        String port = recvOut.await("on 127\\.0\\.0\\.1:(\\d+)");
        Output out = new Output();
        Output err = new Output();

        int exit = new CommandLine(new FileSendCommand(out.stream, err.stream)).execute(x.toString(), "127.0.0.1:" + port);

        assertEquals(1, exit);
        assertEquals("file-send: x.txt: FAILED: the receiver refused: x.txt exists (the receiver needs --force "
                + "to overwrite)\n", err.text());
        assertEquals("", out.text());
        assertEquals("keep me", Files.readString(dir.resolve("x.txt")));
        recvErr.await("x.txt: FAILED: x.txt exists");
        assertEquals(0, recv.stop());
        assertTrue(recvOut.text().endsWith("file-recv: 0 received, 1 failed\n"), recvOut.text());
    }

    @Test
    void shouldShowAProgressBarWhenAskedTo(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path dir = Files.createDirectory(tmp.resolve("in"));
        Path a = src.resolve("p.bin");
        FileTransferTest.writeRandomFile(a, 64 * 1024 * 1024, 5);
        Output recvOut = new Output();
        Output recvErr = new Output();
        BackgroundCommand recv = BackgroundCommand.start(new FileRecvCommand(recvOut.stream, recvErr.stream),
                "--dir", dir.toString(), "--port", "0", "--count", "1", "--progress");
        String port = recvOut.await("on 127\\.0\\.0\\.1:(\\d+)");
        Output out = new Output();
        Output err = new Output();

        int exit = new CommandLine(new FileSendCommand(out.stream, err.stream))
                .execute("--progress", "--stall-timeout", "5s", a.toString(), "127.0.0.1:" + port);

        assertEquals(0, exit, err.text());
        assertEquals(0, recv.await());
        // The transfer may beat the first redraw (250 ms); whatever was drawn was erased again.
        String drawn = err.text().replace("\r", "").trim();
        assertTrue(drawn.isEmpty() || drawn.startsWith("p.bin ["), err.text());
    }

    @Test
    void shouldExitWithOneLineOnBadArguments(@TempDir Path tmp) throws Exception {
        Output out = new Output();
        Output err = new Output();
        int missing = new CommandLine(new FileSendCommand(out.stream, err.stream))
                .execute(tmp.resolve("nope.bin").toString(), "127.0.0.1:1");
        assertEquals(1, missing);
        assertTrue(err.text().startsWith("file-send: cannot send " + tmp.resolve("nope.bin") + ": "), err.text());
        assertEquals(1, err.text().lines().count());

        Output err2 = new Output();
        int badTarget = new CommandLine(new FileSendCommand(out.stream, err2.stream)).execute("a", "nohostport:x");
        assertEquals(2, badTarget);
        assertEquals("file-send: expected HOST:PORT with a port 1..65535, got 'nohostport:x'\n", err2.text());

        Output err3 = new Output();
        int noDir = new CommandLine(new FileRecvCommand(out.stream, err3.stream))
                .execute("--dir", tmp.resolve("missing").toString(), "--port", "0");
        assertEquals(1, noDir);
        assertEquals("file-recv: " + tmp.resolve("missing") + " is not a writable directory\n", err3.text());
    }
}
