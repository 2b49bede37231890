package io.polyvisor.cli;

import io.polyvisor.model.InvalidInput;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.Optional;

/**
 * What an {@code https} server is trusted by, first match wins: {@code --ca FILE}, then {@code $POLYVISOR_CA}, then
 * the server's own self-signed certificate {@code data/tls/cert.pem} under the working directory (where
 * {@code polyvisor server --tls} writes it); with none of them, the JDK's trust store. The certificates of the file
 * found are the only ones trusted: a server presenting any other is refused, and its host name or address must be
 * one the certificate names.
 */
final class CaTrust {
    static final String ENV = "POLYVISOR_CA";
    static final Path FILE = Path.of("data", "tls", "cert.pem");

    private CaTrust() {}

    /** The TLS context to reach the server with, or empty for the JDK's defaults. */
    static Optional<SSLContext> resolve(String flag, Map<String, String> env, Path cwd) {
        Path file = null;
        if (flag != null && !flag.isBlank()) file = Path.of(flag.strip());
        else if (env.get(ENV) != null && !env.get(ENV).isBlank()) file = Path.of(env.get(ENV).strip());
        else if (Files.isRegularFile(cwd.resolve(FILE))) file = cwd.resolve(FILE);
        if (file == null) return Optional.empty();
        try (InputStream in = Files.newInputStream(file)) {
            var certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            InvalidInput.require(!certs.isEmpty(), "CA file " + file + " holds no PEM certificate");
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certs) trust.setCertificateEntry("ca" + i++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return Optional.of(context);
        } catch (IOException e) {
            throw new InvalidInput("cannot read CA file " + file + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new InvalidInput("CA file " + file + " is not a PEM certificate: " + e.getMessage());
        }
    }
}
