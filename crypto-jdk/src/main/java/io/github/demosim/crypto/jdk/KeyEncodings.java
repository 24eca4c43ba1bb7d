package io.github.demosim.crypto.jdk;

import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The raw key encodings of the SPI (FIPS 203/204, RFC 8032) to and from the DER forms the JDK's key factories
 * take: {@code SubjectPublicKeyInfo} for public keys, {@code OneAsymmetricKey} (PKCS #8) for ML-KEM and
 * ML-DSA secret keys. The JDK has no raw key spec for these algorithms, so the wrapping is done here, with
 * fixed headers: every key of one algorithm has the same length, hence the same DER header.
 *
 * <p>ML-KEM and ML-DSA private keys are a CHOICE ({@code draft-ietf-lamps-kyber-certificates},
 * {@code draft-ietf-lamps-dilithium-certificates}): {@code seed [0]}, {@code expandedKey} or {@code both}. The
 * SPI's secret key is the expanded key. JDK 25 writes generated keys as {@code expandedKey} and reads every
 * form, so {@code expandedKey} is what is written here; reading takes {@code expandedKey} and {@code both}. A
 * seed-only encoding (the OpenJDK sources after JDK 25 make it the default, with the security properties
 * {@code jdk.mlkem.pkcs8.encoding} and {@code jdk.mldsa.pkcs8.encoding} to choose another) does not carry the
 * expanded key, so it is reported with the property that fixes it.
 */
final class KeyEncodings {

    /** One algorithm's key forms: the OID, the raw public and secret key lengths. */
    enum Algorithm {
        /** ML-KEM-768, OID 2.16.840.1.101.3.4.4.2. */
        ML_KEM_768("ML-KEM-768", "0609608648016503040402", 1184, 2400, "jdk.mlkem.pkcs8.encoding"),
        /** ML-DSA-65, OID 2.16.840.1.101.3.4.3.18. */
        ML_DSA_65("ML-DSA-65", "0609608648016503040312", 1952, 4032, "jdk.mldsa.pkcs8.encoding"),
        /** Ed25519, OID 1.3.101.112 (public keys only: private keys go through {@code EdECPrivateKeySpec}). */
        ED25519("Ed25519", "06032b6570", 32, 0, null);

        final String jdkName;
        private final byte[] oid;
        final int publicKeyBytes;
        final int secretKeyBytes;
        private final String encodingProperty;
        private final byte[] publicKeyHeader;
        private final byte[] secretKeyHeader;

        Algorithm(String jdkName, String oidDer, int publicKeyBytes, int secretKeyBytes, String encodingProperty) {
            this.jdkName = jdkName;
            this.oid = HexFormat.of().parseHex(oidDer);
            this.publicKeyBytes = publicKeyBytes;
            this.secretKeyBytes = secretKeyBytes;
            this.encodingProperty = encodingProperty;
            this.publicKeyHeader = publicKeyHeader();
            this.secretKeyHeader = secretKeyBytes == 0 ? null : secretKeyHeader();
        }

        /** SEQUENCE { SEQUENCE { OID }, BIT STRING { 0 unused bits, key } }, without the key. */
        private byte[] publicKeyHeader() {
            byte[] algorithmIdentifier = tlv(0x30, oid);
            byte[] bitString = header(0x03, publicKeyBytes + 1);
            int contentLength = algorithmIdentifier.length + bitString.length + 1 + publicKeyBytes;
            return concat(header(0x30, contentLength), algorithmIdentifier, bitString, new byte[] {0});
        }

        /** SEQUENCE { INTEGER 0, SEQUENCE { OID }, OCTET STRING { OCTET STRING { expanded key } } }, without the key. */
        private byte[] secretKeyHeader() {
            byte[] version = {0x02, 0x01, 0x00};
            byte[] algorithmIdentifier = tlv(0x30, oid);
            byte[] expandedKey = header(0x04, secretKeyBytes);
            byte[] privateKey = header(0x04, expandedKey.length + secretKeyBytes);
            int contentLength = version.length + algorithmIdentifier.length + privateKey.length + expandedKey.length
                    + secretKeyBytes;
            return concat(header(0x30, contentLength), version, algorithmIdentifier, privateKey, expandedKey);
        }

        /**
         * Wraps a raw public key for {@code KeyFactory.generatePublic}.
         *
         * @param raw the raw key, of {@link #publicKeyBytes} bytes (checked by the caller)
         * @return the spec
         */
        X509EncodedKeySpec publicKeySpec(byte[] raw) {
            return new X509EncodedKeySpec(concat(publicKeyHeader, raw));
        }

        /**
         * Wraps a raw (expanded) secret key for {@code KeyFactory.generatePrivate}.
         *
         * @param raw the raw key, of {@link #secretKeyBytes} bytes (checked by the caller)
         * @return the spec
         */
        PKCS8EncodedKeySpec secretKeySpec(byte[] raw) {
            return new PKCS8EncodedKeySpec(concat(secretKeyHeader, raw));
        }

        /**
         * Unwraps the raw public key from the JDK's {@code SubjectPublicKeyInfo}.
         *
         * @param encoded {@code PublicKey.getEncoded()}
         * @return the raw key
         * @throws IllegalStateException if the encoding is not the one expected of this algorithm
         */
        byte[] rawPublicKey(byte[] encoded) {
            if (encoded == null || encoded.length != publicKeyHeader.length + publicKeyBytes
                    || !Arrays.equals(encoded, 0, publicKeyHeader.length, publicKeyHeader, 0, publicKeyHeader.length)) {
                throw new IllegalStateException("the JDK encoded a " + jdkName + " public key in an unexpected form ("
                        + (encoded == null ? "none" : encoded.length + " bytes") + ")");
            }
            return Arrays.copyOfRange(encoded, publicKeyHeader.length, encoded.length);
        }

        /**
         * Unwraps the raw expanded secret key from the JDK's PKCS #8 encoding: the {@code expandedKey} or the
         * {@code both} form of the private-key CHOICE.
         *
         * @param encoded {@code PrivateKey.getEncoded()}
         * @return the raw expanded key
         * @throws IllegalStateException if the encoding holds no expanded key, or is not the one expected
         */
        byte[] rawSecretKey(byte[] encoded) {
            Der key = new Der(encoded).enter(0x30);   // OneAsymmetricKey
            key.skip(0x02);                           // version
            if (!Arrays.equals(key.enter(0x30).content(0x06), Arrays.copyOfRange(oid, 2, oid.length))) {
                throw new IllegalStateException("the JDK encoded a " + jdkName + " private key with another algorithm");
            }
            Der choice = new Der(key.content(0x04));  // privateKey OCTET STRING: the CHOICE
            byte[] expanded = switch (choice.peekTag()) {
                case 0x04 -> choice.content(0x04);                         // expandedKey
                case 0x30 -> choice.enter(0x30).skipThen(0x04, 0x04);      // both: seed, then expandedKey
                default -> throw new IllegalStateException("the JDK encoded the " + jdkName + " private key as its "
                        + "seed only, without the expanded key this provider returns as the secret key: set the "
                        + "security (or system) property " + encodingProperty + " to 'expandedkey' or 'both'");
            };
            if (expanded.length != secretKeyBytes) {
                throw new IllegalStateException("the JDK's expanded " + jdkName + " private key has " + expanded.length
                        + " bytes, not " + secretKeyBytes);
            }
            return expanded;
        }
    }

    /**
     * Just enough of a DER reader for the JDK's own private-key encodings: definite lengths of up to two bytes.
     * Any surprise is an {@link IllegalStateException}: the input comes from the JDK, so it is a provider fault.
     */
    private static final class Der {
        private final byte[] in;
        private int at;
        private final int end;

        Der(byte[] in) {
            this(in, 0, in.length);
        }

        private Der(byte[] in, int from, int end) {
            this.in = in;
            this.at = from;
            this.end = end;
        }

        int peekTag() {
            require(at < end);
            return in[at] & 0xff;
        }

        /** Reads a TLV of the given tag and returns a reader over its content. */
        Der enter(int tag) {
            int length = header(tag);
            Der inner = new Der(in, at, at + length);
            at += length;
            return inner;
        }

        /** Reads a TLV of the given tag and returns a copy of its content. */
        byte[] content(int tag) {
            int length = header(tag);
            at += length;
            return Arrays.copyOfRange(in, at - length, at);
        }

        void skip(int tag) {
            int length = header(tag); // not `at += header(tag)`: header moves `at`, and += would read it first
            at += length;
        }

        byte[] skipThen(int skippedTag, int tag) {
            skip(skippedTag);
            return content(tag);
        }

        private int header(int tag) {
            require(peekTag() == tag && at + 2 <= end);
            int first = in[at + 1] & 0xff;
            at += 2;
            int length;
            if (first < 0x80) {
                length = first;
            } else {
                int bytes = first - 0x80;
                require(bytes >= 1 && bytes <= 2 && at + bytes <= end);
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (in[at++] & 0xff);
                }
            }
            require(length <= end - at);
            return length;
        }

        private static void require(boolean condition) {
            if (!condition) {
                throw new IllegalStateException("the JDK's private-key encoding is not the DER this provider reads");
            }
        }
    }

    private KeyEncodings() {
    }

    private static byte[] tlv(int tag, byte[] content) {
        return concat(header(tag, content.length), content);
    }

    /** A DER tag and definite length (short form, or long form of one or two bytes). */
    private static byte[] header(int tag, int length) {
        if (length < 0x80) {
            return new byte[] {(byte) tag, (byte) length};
        }
        if (length < 0x100) {
            return new byte[] {(byte) tag, (byte) 0x81, (byte) length};
        }
        return new byte[] {(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
