package dev.sorabatch.provider.vertex;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated project's service account: an RSA key made afresh each time the simulator starts, and the key
 * file Google's library reads (as {@code gcloud iam service-accounts keys create} writes it), its {@code token_uri}
 * the simulated token endpoint, so that the library's own service-account flow (a signed JWT assertion exchanged
 * for an access token) runs. The file is readable by its owner only and deleted when the simulator closes.
 */
final class VertexServiceAccount {

    private final String email;
    private final String keyId;
    private final String tokenUri;
    private final PublicKey publicKey;
    private final Path file;

    private VertexServiceAccount(String email, String keyId, String tokenUri, PublicKey publicKey, Path file) {
        this.email = email;
        this.keyId = keyId;
        this.tokenUri = tokenUri;
        this.publicKey = publicKey;
        this.file = file;
    }

    static VertexServiceAccount create(String project, String tokenUri) {
        KeyPair keys;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA key generator in this JVM", e);
        }
        byte[] id = new byte[20];
        ThreadLocalRandom.current().nextBytes(id);
        String keyId = HexFormat.of().formatHex(id);
        String email = "sora-batch-sim@" + project + ".iam.gserviceaccount.com";
        ObjectNode json = Wire.JSON.createObjectNode();
        json.put("type", "service_account");
        json.put("project_id", project);
        json.put("private_key_id", keyId);
        json.put("private_key", "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        json.put("client_email", email);
        json.put("client_id", String.valueOf(100_000_000_000_000_000L + ThreadLocalRandom.current()
                .nextLong(800_000_000_000_000_000L)));
        json.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        json.put("token_uri", tokenUri);
        json.put("auth_provider_x509_cert_url", "https://www.googleapis.com/oauth2/v1/certs");
        json.put("universe_domain", "googleapis.com");
        return new VertexServiceAccount(email, keyId, tokenUri, keys.getPublic(), write(json));
    }

    private static Path write(ObjectNode json) {
        try {
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            Path file = posix ? Files.createTempFile("sora-sim-service-account-", ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile("sora-sim-service-account-", ".json");
            Files.writeString(file, Wire.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json),
                    StandardCharsets.UTF_8);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the simulator's service-account key file", e);
        }
    }

    String email() {
        return email;
    }

    String keyId() {
        return keyId;
    }

    String tokenUri() {
        return tokenUri;
    }

    PublicKey publicKey() {
        return publicKey;
    }

    Path file() {
        return file;
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file: deleteOnExit tries again
        }
    }
}
