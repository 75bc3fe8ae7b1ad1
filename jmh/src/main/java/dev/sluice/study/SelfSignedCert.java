package dev.sluice.study;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * The study's TLS certificate: self-signed, EC P-256, for {@code localhost} and {@code 127.0.0.1}, made
 * by the JDK's own {@code keytool} (from {@code java.home}) in a directory, and exported as the PEM files
 * every TLS peer loads: the certificate and its PKCS#8 private key. This is how the engine's tests make
 * theirs ({@code dev.sluice.testing.TestCerts}, in the engine's test jar, which the benchmark jar does
 * not carry); the study, its peers and the jmh tests share this one copy.
 *
 * <p>EC P-256 rather than RSA-2048: it is the engine's tests' default, and its signature is the cheaper
 * one for the server, which matters when 10,000 idle clients handshake with one loop on a shared core.
 * Both TLS servers of a run load the same two files, so the key type never differs between them.
 *
 * <p>Run {@code java -cp jmh/target/benchmarks.jar dev.sluice.study.SelfSignedCert DIR} to make one for
 * the HTTPS peers by hand; it prints the two paths.
 *
 * <p>Thread: any (immutable once made).
 */
public final class SelfSignedCert implements AutoCloseable {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final String ALIAS = "server";

    /** The directory holding the key store and the PEM files. */
    final Path dir;
    /** PEM certificate, {@code -----BEGIN CERTIFICATE-----}. */
    final Path certPem;
    /** PEM PKCS#8 private key, {@code -----BEGIN PRIVATE KEY-----}, what {@code --tls-key} takes. */
    final Path keyPem;
    private final Path keyStore;
    private final boolean ownsDir;

    private SelfSignedCert(Path dir, boolean ownsDir) {
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.keyStore = dir.resolve("server.p12");
        this.certPem = dir.resolve("cert.pem");
        this.keyPem = dir.resolve("key.pem");
    }

    /**
     * Makes the certificate in a new temporary directory, which {@link #close()} deletes.
     *
     * <p>Thread: any.
     *
     * @return the PEM files
     * @throws IOException when keytool fails or the files cannot be written
     */
    static SelfSignedCert inTempDir() throws IOException {
        return make(Files.createTempDirectory("sluice-study-tls"), true);
    }

    /**
     * Makes the certificate in {@code dir}, which must exist; {@link #close()} leaves it alone.
     *
     * <p>Thread: any.
     *
     * @param dir where the files go
     * @return the PEM files
     * @throws IOException when keytool fails or the files cannot be written
     */
    static SelfSignedCert in(Path dir) throws IOException {
        return make(dir, false);
    }

    private static SelfSignedCert make(Path dir, boolean ownsDir) throws IOException {
        SelfSignedCert c = new SelfSignedCert(dir, ownsDir);
        Path log = dir.resolve("keytool.log");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        ProcessBuilder pb = new ProcessBuilder(keytool, "-genkeypair", "-alias", ALIAS, "-keyalg", "EC",
                "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "7", "-storetype", "PKCS12",
                "-keystore", c.keyStore.toString(), "-storepass", new String(PASSWORD));
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Files.deleteIfExists(c.keyStore); // keytool refuses to add the alias to an existing store
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("keytool failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
        try (InputStream in = Files.newInputStream(c.keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD);
            PrivateKey key = (PrivateKey) ks.getKey(ALIAS, PASSWORD);
            Files.writeString(c.certPem, pem("CERTIFICATE", ks.getCertificate(ALIAS).getEncoded()), StandardCharsets.US_ASCII);
            Files.writeString(c.keyPem, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key store keytool wrote: " + e.getMessage(), e);
        }
        return c;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /**
     * Thread: any, once the servers that loaded the files have started (they keep what they read).
     * Deletes the files, and the directory when {@link #inTempDir()} made it.
     */
    @Override
    public void close() throws IOException {
        for (Path p : new Path[] {certPem, keyPem, keyStore, dir.resolve("keytool.log")}) {
            Files.deleteIfExists(p);
        }
        if (ownsDir) {
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Thread: the main thread. Usage: {@code SelfSignedCert DIR}; prints the certificate's and the key's
     * paths, one a line.
     *
     * @param args the directory
     * @throws IOException when the files cannot be made
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SelfSignedCert DIR   (writes DIR/cert.pem and DIR/key.pem, EC P-256, CN=localhost)");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        SelfSignedCert c = in(dir);
        Files.deleteIfExists(c.keyStore);
        Files.deleteIfExists(dir.resolve("keytool.log"));
        System.out.println(c.certPem.toAbsolutePath());
        System.out.println(c.keyPem.toAbsolutePath());
    }
}
