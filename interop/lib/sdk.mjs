// The published TypeScript SDK, @kynesyslabs/demosdk 2.9.1, loaded the way plain Node.js can load it.
//
// Why not `import { instantMessaging, encryption } from "@kynesyslabs/demosdk"`: the package's main
// entry pulls in every chain integration, and its bundler-oriented build cannot be linked by Node's
// ESM loader (directory imports; `tweetnacl-util` named exports from a CommonJS module). So we load
// the very modules that the main entry re-exports:
//   - `encryption` through the package's own subpath export "@kynesyslabs/demosdk/encryption";
//   - `instantMessaging` = build/instant_messaging/index.js, which the main entry re-exports with
//     `export * as instantMessaging from "./instant_messaging/index.js"`. It imports the same
//     build/encryption/unifiedCrypto.js module, so MessagingPeer and `encryption.ucrypto` share the
//     one default UnifiedCrypto instance, as in an application;
//   - `Demos` (websdk) only for turning a mnemonic into a master seed with the SDK's own
//     `connectWallet`; that module needs sdk-resolve-hooks.mjs (see there).
import { register } from "node:module";

import * as encryption from "@kynesyslabs/demosdk/encryption";
import * as utils from "@kynesyslabs/demosdk/utils";

const encryptionEntry = import.meta.resolve("@kynesyslabs/demosdk/encryption");

export { encryption, utils };
export const { UnifiedCrypto, ucrypto, getUnifiedCryptoInstance, Cryptography, Hashing } = encryption;
export const { serializeUint8Array, deserializeUint8Array } = utils;
export const instantMessaging = await import(new URL("../instant_messaging/index.js", encryptionEntry));

let demosClass = null;

/** The SDK's websdk `Demos` class, loaded on first use. */
export async function loadDemosClass() {
  if (demosClass === null) {
    register("./sdk-resolve-hooks.mjs", import.meta.url);
    demosClass = (await import(new URL("../websdk/demosclass.js", encryptionEntry))).Demos;
  }
  return demosClass;
}

/** The installed SDK version, read from its package.json. */
export async function sdkVersion() {
  const { readFile } = await import("node:fs/promises");
  const pkg = JSON.parse(await readFile(new URL("../../package.json", encryptionEntry), "utf8"));
  return pkg.version;
}
