#!/usr/bin/env node
// Crypto oracle: the SDK's UnifiedCrypto answering the Java tests, one JSON command per stdin line.
//
// Commands (every reply is {id, ok:true, ...} or {id, ok:false, error}); an identity is
// {"seedHex": "<master seed>"}, {"mnemonic": "<BIP-39 words>"} or {"secretText": "<other wallet text>"}
// (wallet text goes through the SDK's Demos.connectWallet):
//   {"op":"version"}                                  -> {sdkVersion, node}
//   {"op":"identity", identity}                       -> {masterSeedHex, ed25519PublicKeyHex, mlDsaPublicKeyHex, mlKemPublicKeyHex}
//   {"op":"encrypt", identity, recipientPublicKeyHex, plaintextHex}
//        -> {algorithm, serializedCipherText, serializedEncryptedData}   (uc.encrypt("ml-kem-aes", ...) + serializeUint8Array;
//           the SDK insists that the *sender* holds an ML-KEM identity, hence `identity`)
//   {"op":"decrypt", identity, serializedCipherText, serializedEncryptedData} -> {plaintextHex}
//   {"op":"sign", identity, algorithm: "ed25519"|"ml-dsa", messageHex} -> {signatureHex, publicKeyHex}
//   {"op":"verify", algorithm, publicKeyHex, messageHex, signatureHex} -> {valid}
//   {"op":"sealEnvelope", identity, profile: "l2ps"|"legacy", members: {id, from, to, type, content, timestamp, replyTo?}}
//        -> {plaintext}   (a signed envelope built from docs/envelopes.md, lib/envelope.mjs)
//   {"op":"openEnvelope", profile, plaintext} -> {envelope, canonical, valid}   (JSON.parse, as a TypeScript app reads it)
import { serve, parseArgs, hex, fromHex } from "../lib/jsonl.mjs";
import * as envelopes from "../lib/envelope.mjs";
import { ucrypto, serializeUint8Array, deserializeUint8Array, sdkVersion } from "../lib/sdk.mjs";
import { cryptoFor, publicKeysOf } from "../lib/identity.mjs";

parseArgs(process.argv.slice(2)); // no options; rejects stray arguments

const SIGNING = new Set(["ed25519", "ml-dsa"]);

await serve(async command => {
  switch (command.op) {
    case "version":
      return { sdkVersion: await sdkVersion(), node: process.version };
    case "identity": {
      const { uc, seed } = await cryptoFor(command.identity ?? {});
      return { masterSeedHex: hex(seed), ...(await publicKeysOf(uc)) };
    }
    case "encrypt": {
      const { uc } = await cryptoFor(command.identity ?? {});
      const encrypted = await uc.encrypt("ml-kem-aes", fromHex(command.plaintextHex, "plaintextHex"),
          fromHex(command.recipientPublicKeyHex, "recipientPublicKeyHex"));
      return {
        algorithm: encrypted.algorithm,
        serializedCipherText: serializeUint8Array(encrypted.cipherText),
        serializedEncryptedData: serializeUint8Array(encrypted.encryptedData),
      };
    }
    case "decrypt": {
      const { uc } = await cryptoFor(command.identity ?? {});
      const plaintext = await uc.decrypt({
        algorithm: "ml-kem-aes",
        cipherText: deserializeUint8Array(command.serializedCipherText),
        encryptedData: deserializeUint8Array(command.serializedEncryptedData),
      });
      return { plaintextHex: hex(plaintext) };
    }
    case "sign": {
      if (!SIGNING.has(command.algorithm)) throw new Error(`algorithm must be one of ${[...SIGNING]}`);
      const { uc } = await cryptoFor(command.identity ?? {});
      const signed = await uc.sign(command.algorithm, fromHex(command.messageHex, "messageHex"));
      return { signatureHex: hex(signed.signature), publicKeyHex: hex(signed.publicKey) };
    }
    case "verify": {
      if (!SIGNING.has(command.algorithm)) throw new Error(`algorithm must be one of ${[...SIGNING]}`);
      // UnifiedCrypto.verify is an instance method that uses no key material of the instance:
      // the default instance (through the SDK's `ucrypto` proxy) is what the node itself calls.
      const valid = await ucrypto.verify({
        algorithm: command.algorithm,
        signature: fromHex(command.signatureHex, "signatureHex"),
        message: fromHex(command.messageHex, "messageHex"),
        publicKey: fromHex(command.publicKeyHex, "publicKeyHex"),
      });
      return { valid: valid === true };
    }
    case "sealEnvelope": {
      const { uc } = await cryptoFor(command.identity ?? {});
      return { plaintext: await envelopes.seal(uc, command.profile, command.members) };
    }
    case "openEnvelope":
      return await envelopes.open(command.plaintext, command.profile);
    default:
      throw new Error(`unknown op '${command.op}'`);
  }
});
