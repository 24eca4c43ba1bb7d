// Signed message envelopes, version 1, written from docs/envelopes.md alone (no code of the Java side): the
// sealed plaintext is the RFC 8785 JSON of the envelope; the signature covers
// "demos-im/envelope/v1/<profile>\n" + the RFC 8785 JSON of every member but `signature`. For the flat objects of
// version 1 (strings and safe integers), RFC 8785 is JSON.stringify over the members sorted by UTF-16 code units.
import { ucrypto } from "./sdk.mjs";
import { hex, fromHex } from "./jsonl.mjs";

/** RFC 8785 for an object of string and integer members. */
export function jcs(object) {
  return "{" + Object.keys(object).sort().map(k => JSON.stringify(k) + ":" + JSON.stringify(object[k])).join(",") + "}";
}

const prefix = profile => `demos-im/envelope/v1/${profile}\n`;
const encoder = new TextEncoder();

/** The bytes a signature covers. */
export function signingInput(envelope, profile) {
  const unsigned = { ...envelope };
  delete unsigned.signature;
  return encoder.encode(prefix(profile) + jcs(unsigned));
}

/**
 * Builds and signs an envelope with a UnifiedCrypto instance: Ed25519 by `from` on L2PS, ML-DSA-65 on legacy (the
 * signer's key goes in `signingKey`). `members` holds id, from, to, type, content, timestamp and maybe replyTo.
 */
export async function seal(uc, profile, members) {
  const envelope = { version: 1, ...members };
  if (profile === "legacy") {
    envelope.signingKey = hex((await uc.getIdentity("ml-dsa")).publicKey);
  }
  const algorithm = profile === "legacy" ? "ml-dsa" : "ed25519";
  const signed = await uc.sign(algorithm, signingInput(envelope, profile));
  envelope.signature = hex(signed.signature);
  return jcs(envelope);
}

/** Reads a plaintext as a TypeScript application would (JSON.parse), and checks form and signature. */
export async function open(plaintext, profile) {
  const envelope = JSON.parse(plaintext);
  const canonical = jcs(envelope) === plaintext;
  const publicKey = profile === "legacy" ? envelope.signingKey : envelope.from;
  const valid = await ucrypto.verify({
    algorithm: profile === "legacy" ? "ml-dsa" : "ed25519",
    signature: fromHex(envelope.signature, "signature"),
    message: signingInput(envelope, profile),
    publicKey: fromHex(publicKey, "signer key"),
  });
  return { envelope, canonical, valid: valid === true };
}
