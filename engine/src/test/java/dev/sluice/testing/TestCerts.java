package dev.sluice.testing;

import dev.sluice.SslContexts;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made by the JDK's own
 * {@code keytool} in a temporary directory, as a PKCS#12 key store and as PEM files (certificate and
 * PKCS#8 key) for the tools and samples that want PEM.
 *
 * <p>Thread: any (immutable once made).
 */
public final class TestCerts {
    public static final char[] PASSWORD = "changeit".toCharArray();

    public final Path dir;
    public final Path keyStore;
    public final Path certPem;
    public final Path keyPem;

    private TestCerts(Path dir) {
        this.dir = dir;
        this.keyStore = dir.resolve("server.p12");
        this.certPem = dir.resolve("cert.pem");
        this.keyPem = dir.resolve("key.pem");
    }

    /**
     * Makes the certificate in {@code dir}.
     *
     * @param dir     a temporary directory
     * @param keyAlg  "EC" or "RSA"
     * @param cn      the common name, also the DNS subject alternative name
     */
    public static TestCerts make(Path dir, String keyAlg, String cn) throws Exception {
        TestCerts c = new TestCerts(dir);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        ProcessBuilder pb = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", keyAlg,
                "-keysize", keyAlg.equals("RSA") ? "2048" : "256", "-dname", "CN=" + cn,
                "-ext", "SAN=dns:" + cn + ",ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", c.keyStore.toString(), "-storepass", new String(PASSWORD));
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("keytool.log").toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
        }
        KeyStore ks = c.load();
        Certificate cert = ks.getCertificate("server");
        PrivateKey key = (PrivateKey) ks.getKey("server", PASSWORD);
        Files.writeString(c.certPem, pem("CERTIFICATE", cert.getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(c.keyPem, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        return c;
    }

    /** A certificate for {@code localhost}, EC P-256. */
    public static TestCerts make(Path dir) throws Exception {
        return make(dir, "EC", "localhost");
    }

    private KeyStore load() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    /** A server context from the key store (the PEM path is {@link SslContexts#serverFromPem}). */
    public SSLContext serverContext() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(), PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** A client context trusting exactly this certificate. */
    public SSLContext clientContext() throws Exception {
        return SslContexts.clientTrusting(certPem);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
