package io.polyvisor.server;

import io.polyvisor.model.InvalidInput;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

/**
 * The server's TLS context: from {@code --tls-cert}/{@code --tls-key} (PEM: a certificate chain, and a PKCS#8, PKCS#1
 * or SEC1 private key, unencrypted), else the certificate of {@code DATA/tls/} ({@link SelfSignedCertificate}).
 */
final class ServerTls {
    /** The context to serve with, and the certificate file a client may trust. */
    record Loaded(SSLContext context, Path certificate) {}

    private ServerTls() {}

    static Loaded load(ServerConfig config) {
        Path cert = config.tls().cert(), key = config.tls().key();
        if (cert == null) {
            Path[] made = SelfSignedCertificate.ensure(config.dataDir(), config.bind());
            cert = made[0];
            key = made[1];
        }
        try {
            Certificate[] chain = chain(cert);
            PrivateKey privateKey = privateKey(key);
            char[] none = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, none);
            store.setKeyEntry("polyvisor", privateKey, none, chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, none);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return new Loaded(context, cert);
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidInput("cannot use TLS certificate " + cert + " with key " + key + ": " + e.getMessage());
        }
    }

    private static Certificate[] chain(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            var certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) throw new InvalidInput("TLS certificate file " + file + " holds no certificate");
            return certs.toArray(Certificate[]::new);
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            Object o = pem.readObject();
            var converter = new JcaPEMKeyConverter();
            return switch (o) {
                case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case null, default -> throw new InvalidInput("TLS key file " + file
                        + " holds no unencrypted private key (PEM: PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
            };
        }
    }
}
