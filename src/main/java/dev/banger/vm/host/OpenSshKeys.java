package dev.banger.vm.host;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * Makes ed25519 SSH key pairs in OpenSSH's own file formats, with the JDK's Ed25519. The JDK has
 * the algorithm but not OpenSSH's unencrypted {@code openssh-key-v1} container, which is a few
 * length-prefixed fields; writing them here keeps {@code ssh-keygen} (a process start, tens of
 * milliseconds of a create's host side under load) and an 8 MB crypto library off every create.
 * {@code ssh-keygen -y} reads what this writes (see the tests). Thread-safe.
 */
final class OpenSshKeys {
    private static final String TYPE = "ssh-ed25519";
    private static final byte[] MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A pair as OpenSSH writes it: the private key file's text and the public line ({@code ssh-ed25519 AAAA...}). */
    record Pair(String privateText, String publicLine) {}

    private OpenSshKeys() {}

    static Pair ed25519() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] seed = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
            return encode(seed, publicBytes((EdECPublicKey) pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519: " + e.getMessage(), e);
        }
    }

    /** The pair of a 32-byte seed and its 32-byte public key, in OpenSSH's formats. */
    static Pair encode(byte[] seed, byte[] publicKey) {
        byte[] publicBlob = new Writer().string(TYPE).bytes(publicKey).done();
        int check = RANDOM.nextInt(); // OpenSSH's decryption check; equal twice when nothing is encrypted
        Writer secret = new Writer().u32(check).u32(check).string(TYPE).bytes(publicKey)
                .bytes(concat(seed, publicKey)).string("");
        for (int pad = 1; secret.size() % 8 != 0; pad++) {
            secret.raw(new byte[] {(byte) pad});
        }
        byte[] body = new Writer().raw(MAGIC).string("none").string("none").string("").u32(1).bytes(publicBlob)
                .bytes(secret.done()).done();
        String base64 = Base64.getEncoder().encodeToString(body);
        StringBuilder text = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        for (int i = 0; i < base64.length(); i += 70) {
            text.append(base64, i, Math.min(base64.length(), i + 70)).append('\n');
        }
        text.append("-----END OPENSSH PRIVATE KEY-----\n");
        return new Pair(text.toString(), TYPE + " " + Base64.getEncoder().encodeToString(publicBlob));
    }

    /** RFC 8032's encoding: y little-endian, the top bit of the last byte x's parity. */
    private static byte[] publicBytes(EdECPublicKey key) {
        byte[] bigEndian = key.getPoint().getY().toByteArray();
        byte[] out = new byte[KEY_BYTES];
        for (int i = 0; i < bigEndian.length && i < KEY_BYTES; i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        if (key.getPoint().isXOdd()) {
            out[KEY_BYTES - 1] |= (byte) 0x80;
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** SSH wire encoding (RFC 4251): big-endian uint32 and length-prefixed strings. */
    private static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer u32(int value) {
            out.write(value >>> 24);
            out.write(value >>> 16);
            out.write(value >>> 8);
            out.write(value);
            return this;
        }

        Writer bytes(byte[] value) {
            u32(value.length);
            return raw(value);
        }

        Writer string(String value) {
            return bytes(value.getBytes(StandardCharsets.US_ASCII));
        }

        Writer raw(byte[] value) {
            out.writeBytes(value);
            return this;
        }

        int size() {
            return out.size();
        }

        byte[] done() {
            return out.toByteArray();
        }
    }
}
