// Process-level guards shared by the peer scripts.
import { emit, describe } from "./jsonl.mjs";

/** Fails fast, with the fix, where the global WebSocket (used by the SDK) is missing. */
export function requireGlobalWebSocket() {
  if (typeof globalThis.WebSocket !== "function") {
    throw new Error(`this Node.js (${process.version}) has no global WebSocket, which the SDK's MessagingPeer needs: `
        + "use Node.js >= 22, or start Node.js 20/21 with --experimental-websocket");
  }
}

/**
 * Reports unhandled promise rejections as events instead of dying: the SDK's MessagingPeer decrypts
 * inbound messages in a promise nobody awaits, so a message it cannot decrypt surfaces only here.
 * The Java side asserts that no such event occurs.
 */
export function reportUnhandledRejections() {
  process.on("unhandledRejection", reason => emit({ event: "unhandled_rejection", error: describe(reason) }));
}
