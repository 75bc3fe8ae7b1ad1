package dev.sluice;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@link SSLContext}s from PEM files, with the JDK only: a server's certificate chain and PKCS#8 private
 * key (RSA or EC, {@code -----BEGIN PRIVATE KEY-----}, what {@code openssl req -newkey} and
 * {@code openssl genpkey} write), and a client's trust: a CA file, the system's trust store, or nothing
 * at all ({@link #insecureClient()}, for tests against self-signed servers only).
 *
 * <p>Thread: any.
 */
public final class SslContexts {
    private static final String PROTOCOL = "TLS";

    private SslContexts() {
    }

    /**
     * Thread: any.
     * A server context holding one key and its certificate chain.
     *
     * @param certificateChain PEM file: the server's certificate first, then any intermediates
     * @param privateKey       PEM file: the key, PKCS#8, unencrypted
     * @return the context
     * @throws IOException              when a file cannot be read
     * @throws GeneralSecurityException when a certificate or the key cannot be parsed, naming the file
     */
    public static SSLContext serverFromPem(Path certificateChain, Path privateKey)
            throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = readCertificates(certificateChain);
        PrivateKey key = readPrivateKey(privateKey);
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        char[] password = new char[0];
        store.setKeyEntry("key", key, password, chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance(PROTOCOL);
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /**
     * Thread: any.
     * A client context that trusts the certificates in a PEM file (a CA, or a self-signed server).
     *
     * @param caCertificates PEM file of one or more trusted certificates
     * @return the context
     * @throws IOException              when the file cannot be read
     * @throws GeneralSecurityException when a certificate cannot be parsed
     */
    public static SSLContext clientTrusting(Path caCertificates) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (X509Certificate cert : readCertificates(caCertificates)) {
            store.setCertificateEntry("ca" + i++, cert);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance(PROTOCOL);
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /**
     * Thread: any.
     * A client context that trusts what the JDK trusts by default (its {@code cacerts}, or what
     * {@code javax.net.ssl.trustStore} names).
     *
     * @return the context
     * @throws GeneralSecurityException when the trust store cannot be loaded
     */
    public static SSLContext clientWithSystemTrust() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance(PROTOCOL);
        context.init(null, null, null);
        return context;
    }

    /**
     * Thread: any.
     * A client context that trusts <em>every</em> certificate: encryption without authentication, open
     * to anyone in the middle. For tests and for self-signed servers one controls; pair it with
     * {@link TlsConfig#withServerName(String, boolean)} without verification.
     *
     * @return the context
     * @throws GeneralSecurityException when no TLS implementation is available
     */
    public static SSLContext insecureClient() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance(PROTOCOL);
        context.init(null, new TrustManager[] {new TrustEverything()}, null);
        return context;
    }

    /**
     * Thread: any.
     * Every certificate in a PEM file, in order.
     *
     * @param pem the file
     * @return its certificates, at least one
     * @throws IOException              when it cannot be read
     * @throws GeneralSecurityException when it holds no certificate or one cannot be parsed
     */
    public static List<X509Certificate> readCertificates(Path pem) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (byte[] der : blocks(pem, "CERTIFICATE")) {
            out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException(pem + ": no -----BEGIN CERTIFICATE----- block");
        }
        return out;
    }

    /**
     * Thread: any.
     * The private key in a PEM file: PKCS#8 ({@code BEGIN PRIVATE KEY}), RSA or EC.
     *
     * @param pem the file
     * @return the key
     * @throws IOException              when it cannot be read
     * @throws GeneralSecurityException when it holds no PKCS#8 key, naming the format it found
     */
    public static PrivateKey readPrivateKey(Path pem) throws IOException, GeneralSecurityException {
        List<byte[]> keys = blocks(pem, "PRIVATE KEY");
        if (keys.isEmpty()) {
            String text = Files.readString(pem, StandardCharsets.US_ASCII);
            String hint = text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")
                    || text.contains("ENCRYPTED PRIVATE KEY")
                    ? " (found a PKCS#1/SEC1 or encrypted key: convert it with openssl pkcs8 -topk8 -nocrypt)" : "";
            throw new GeneralSecurityException(pem + ": no -----BEGIN PRIVATE KEY----- block" + hint);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.get(0));
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException(pem + ": not an RSA or EC PKCS#8 key", last);
    }

    /** The Base64 bodies of every {@code -----BEGIN type-----} block of the file. */
    private static List<byte[]> blocks(Path pem, String type) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while ((at = text.indexOf(begin, at)) >= 0) {
            int from = at + begin.length();
            int to = text.indexOf(end, from);
            if (to < 0) {
                throw new GeneralSecurityException(pem + ": " + begin + " without " + end);
            }
            try {
                out.add(Base64.getMimeDecoder().decode(text.substring(from, to)));
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException(pem + ": bad Base64 in a " + type + " block", e);
            }
            at = to + end.length();
        }
        return out;
    }

    /** Trusts every certificate: see {@link #insecureClient()}. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // trusts everyone, by design (insecure)
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // trusts everyone, by design (insecure)
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
