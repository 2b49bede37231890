package io.polyvisor.server;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The certificate {@code server --tls} makes on its first start when none is given: an EC P-256 key and a
 * self-signed X.509 certificate for {@code localhost}, {@code 127.0.0.1}, {@code ::1} and the bind address (a name or
 * an address as given), valid {@link #VALIDITY}, written to {@code DATA/tls/cert.pem} (0644: clients copy it to trust the
 * server) and {@code DATA/tls/key.pem} (0600, created so before anything is written). Reused on later starts.
 * Built with BouncyCastle's certificate builder over the JDK's own key generator and signature.
 */
final class SelfSignedCertificate {
    static final String DIR = "tls";
    static final String CERT = "cert.pem";
    static final String KEY = "key.pem";
    static final Duration VALIDITY = Duration.ofDays(825);

    private SelfSignedCertificate() {}

    /** The certificate and key files in {@code dataDir/tls}, made first if either is missing. */
    static Path[] ensure(Path dataDir, String bind) {
        Path dir = dataDir.resolve(DIR), cert = dir.resolve(CERT), key = dir.resolve(KEY);
        if (Files.exists(cert) && Files.exists(key)) return new Path[] {cert, key};
        try {
            Files.createDirectories(dir);
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = gen.generateKeyPair();
            X509CertificateHolder holder = certificate(pair, names(bind));
            Files.deleteIfExists(key);
            Files.deleteIfExists(cert);
            if (key.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(key);
            }
            Files.writeString(key, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null)), StandardCharsets.US_ASCII);
            Files.writeString(cert, pem(holder), StandardCharsets.US_ASCII);
            return new Path[] {cert, key};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the TLS certificate to " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a TLS certificate: " + e.getMessage(), e);
        }
    }

    private static X509CertificateHolder certificate(KeyPair pair, List<GeneralName> names)
            throws IOException, OperatorCreationException {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=polyvisor");
        var b = new JcaX509v3CertificateBuilder(subject, new BigInteger(128, new SecureRandom()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
    }

    /** The names clients may reach this server by. */
    static List<GeneralName> names(String bind) {
        Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
        Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        // not this machine's name: finding it may wait on DNS for half a minute; for names, give --tls-cert
        if (bind != null && !bind.isBlank()) {
            if (bind.matches("[0-9.]+") || bind.contains(":")) {
                if (!bind.equals("0.0.0.0") && !bind.equals("::")) ips.add(bind);
            } else {
                dns.add(bind);
            }
        }
        List<GeneralName> out = new ArrayList<>();
        dns.forEach(d -> out.add(new GeneralName(GeneralName.dNSName, d)));
        ips.forEach(i -> out.add(new GeneralName(GeneralName.iPAddress, i)));
        return out;
    }

    private static String pem(Object o) throws IOException {
        var text = new StringWriter();
        try (var w = new JcaPEMWriter(text)) {
            w.writeObject(o);
        }
        return text.toString();
    }
}
