// Self-check of bin/crypto-oracle.mjs against the stored SDK vectors (test/vectors, copied from the
// project's shared vectors): if these fail, the oracle, not the Java code, is wrong.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { Script } from "./harness.mjs";

const vectors = JSON.parse(readFileSync(new URL("./vectors/ts-sdk-2.9.1-vectors.json", import.meta.url), "utf8"));
const kat = JSON.parse(readFileSync(new URL("./vectors/kat.json", import.meta.url), "utf8"));
const { alice, bob } = vectors.identities;
const oracle = new Script("crypto-oracle.mjs");
after(() => oracle.close());

const sha256 = h => createHash("sha256").update(Buffer.from(h, "hex")).digest("hex");
const utf8Hex = s => Buffer.from(s, "utf8").toString("hex");

test("identities from the stored master seeds equal the vectors", async () => {
  for (const who of [alice, bob]) {
    const id = await oracle.call({ op: "identity", identity: { seedHex: who.masterSeedHex } });
    assert.equal(id.ed25519PublicKeyHex, who.ed25519.publicKeyHex);
    assert.equal(id.mlDsaPublicKeyHex, who.mlDsa65.publicKeyHex);
    assert.equal(id.mlKemPublicKeyHex, who.mlKem768.publicKeyHex);
  }
});

test("the mnemonic goes through Demos.connectWallet to the KAT master seed and keys", async () => {
  const id = await oracle.call({ op: "identity", identity: { mnemonic: kat.mnemonic } });
  assert.equal(Buffer.from(id.masterSeedHex, "hex").toString("ascii"), kat.mnemonic_masterSeed_ascii);
  assert.equal(id.ed25519PublicKeyHex, kat.mnemonic_ed25519_pk);
  assert.equal(sha256(id.mlDsaPublicKeyHex), kat.mnemonic_mldsa_pk_sha256);
  assert.equal(sha256(id.mlKemPublicKeyHex), kat.mnemonic_mlkem_pk_sha256);
});

test("deterministic signatures equal the vectors and verify", async () => {
  const cases = [
    ["ml-dsa", vectors.mlDsa65.text.messageHex, vectors.mlDsa65.text.signatureHex],
    ["ml-dsa", vectors.mlDsa65.legacyRegisterProof.messageHex, vectors.mlDsa65.legacyRegisterProof.signatureHex],
    ["ed25519", vectors.ed25519.registerProof.messageUtf8Hex, vectors.ed25519.registerProof.signatureHex],
    ["ed25519", utf8Hex(vectors.ed25519.nonAscii.message), vectors.ed25519.nonAscii.signatureHex],
  ];
  for (const [algorithm, messageHex, signatureHex] of cases) {
    const signed = await oracle.call({ op: "sign", algorithm, identity: { seedHex: alice.masterSeedHex }, messageHex });
    assert.equal(signed.signatureHex, signatureHex, algorithm);
    const ok = await oracle.call({ op: "verify", algorithm, publicKeyHex: signed.publicKeyHex, messageHex, signatureHex });
    assert.equal(ok.valid, true);
    const flipped = signatureHex.slice(0, 10) + (signatureHex[10] === "0" ? "1" : "0") + signatureHex.slice(11);
    const bad = await oracle.call({ op: "verify", algorithm, publicKeyHex: signed.publicKeyHex, messageHex, signatureHex: flipped });
    assert.equal(bad.valid, false);
  }
});

test("the stored ml-kem-aes ciphertexts decrypt, and a fresh one round-trips", async () => {
  for (const vector of vectors.mlKemAes) {
    const owner = vectors.identities[vector.recipient];
    const opened = await oracle.call({ op: "decrypt", identity: { seedHex: owner.masterSeedHex },
      serializedCipherText: vector.wireObject.serializedCipherText, serializedEncryptedData: vector.wireObject.serializedEncryptedData });
    assert.equal(opened.plaintextHex, utf8Hex(vector.plaintext));
  }
  const plaintextHex = utf8Hex("fresh ✓");
  const sealed = await oracle.call({ op: "encrypt", identity: { seedHex: bob.masterSeedHex },
    recipientPublicKeyHex: alice.mlKem768.publicKeyHex, plaintextHex });
  assert.equal(sealed.algorithm, "ml-kem-aes");
  const opened = await oracle.call({ op: "decrypt", identity: { seedHex: alice.masterSeedHex },
    serializedCipherText: sealed.serializedCipherText, serializedEncryptedData: sealed.serializedEncryptedData });
  assert.equal(opened.plaintextHex, plaintextHex);
  const wrongKey = oracle.call({ op: "decrypt", identity: { seedHex: bob.masterSeedHex },
    serializedCipherText: sealed.serializedCipherText, serializedEncryptedData: sealed.serializedEncryptedData });
  await assert.rejects(wrongKey);
});
