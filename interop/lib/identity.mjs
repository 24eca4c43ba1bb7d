// Identities through the SDK's own UnifiedCrypto: a 128-byte master seed (hex) or a BIP-39 mnemonic
// turned into a master seed by the SDK's `Demos.connectWallet`.
import { UnifiedCrypto, getUnifiedCryptoInstance, loadDemosClass } from "./sdk.mjs";
import { fromHex, hex } from "./jsonl.mjs";

/**
 * The master seed for a spec `{seedHex}`, `{mnemonic}` or `{secretText}`. Wallet text (a mnemonic or
 * any other string) goes through the SDK's `new Demos().connectWallet(text)`, which in 2.9.1 loads the
 * seed into the *default* UnifiedCrypto instance; we read it back from there.
 */
export async function masterSeedOf(spec) {
  if (spec.seedHex) return fromHex(spec.seedHex, "seedHex");
  const walletText = spec.mnemonic ?? spec.secretText;
  if (walletText) {
    const Demos = await loadDemosClass();
    const demos = new Demos();
    await demos.connectWallet(walletText);
    return new Uint8Array(UnifiedCrypto.getInstance().masterSeed);
  }
  throw new Error("identity needs seedHex, mnemonic or secretText");
}

const instances = new Map();

/**
 * A named UnifiedCrypto instance holding every identity of the seed, made with the SDK calls an
 * application makes: `getUnifiedCryptoInstance(id, seed)` then `generateAllIdentities(seed)`.
 * Cached per seed, since the SDK's keygen is deterministic.
 */
export async function cryptoFor(spec) {
  const seed = await masterSeedOf(spec);
  const id = "interop-" + hex(seed);
  if (!instances.has(id)) {
    const uc = getUnifiedCryptoInstance(id, seed);
    await uc.generateAllIdentities(seed);
    instances.set(id, uc);
  }
  return { uc: instances.get(id), seed };
}

/** The public keys (hex) of an instance's identities. */
export async function publicKeysOf(uc) {
  const ed25519 = await uc.getIdentity("ed25519");
  const mlDsa = await uc.getIdentity("ml-dsa");
  const mlKem = await uc.getIdentity("ml-kem-aes");
  return {
    ed25519PublicKeyHex: hex(ed25519.publicKey),
    mlDsaPublicKeyHex: hex(mlDsa.publicKey),
    mlKemPublicKeyHex: hex(mlKem.publicKey),
  };
}

/** Loads a master seed into the SDK's default instance, the one MessagingPeer always uses. */
export async function loadIntoDefaultInstance(spec) {
  const seed = await masterSeedOf(spec);
  const uc = UnifiedCrypto.getInstance();
  await uc.generateAllIdentities(seed);
  return { uc, seed };
}
