package io.ordersvc.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * A key pair of the test stack: generated once under the stack's directory ({@code keys/private.pem},
 * {@code keys/public.pem}; under {@code target/}, so never committed). The stack's realm publishes
 * it among its keys, and the specs' {@code Tokens} sign with it; the service knows it only from the
 * realm's JWKS.
 */
public final class SigningKeys {

    private final Path dir;

    private SigningKeys(Path dir) {
        this.dir = dir;
    }

    /** The keys under {@code dir}, generated there first if they are not there yet. */
    public static SigningKeys in(Path dir) {
        SigningKeys keys = new SigningKeys(dir.toAbsolutePath().normalize());
        if (!Files.exists(keys.publicKey())) {
            keys.generate();
        }
        return keys;
    }

    public Path publicKey() {
        return dir.resolve("public.pem");
    }

    public Path privateKeyFile() {
        return dir.resolve("private.pem");
    }

    public PrivateKey privateKey() {
        try {
            String pem = Files.readString(privateKeyFile());
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("unreadable signing key " + privateKeyFile(), e);
        }
    }

    private void generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.createDirectories(dir);
            // the private key first, each written whole and then moved: a reader sees both or neither
            write(privateKeyFile(), "PRIVATE KEY", pair.getPrivate().getEncoded());
            write(publicKey(), "PUBLIC KEY", pair.getPublic().getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String type, byte[] der) throws IOException {
        String pem = "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, pem);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
