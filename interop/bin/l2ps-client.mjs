#!/usr/bin/env node
// An L2PS messaging client written from /work/shared/protocol/l2ps.md (the registry's SDK has no
// L2PS client): Ed25519 proofs signed by the published SDK's UnifiedCrypto, and end-to-end
// encryption with the SDK's `ml-kem-aes` (ML-KEM-768 + AES-256-GCM) mapped onto the `encrypted`
// object as this project does: ciphertext = base64(AES body‖tag), nonce = base64(12-byte IV),
// ephemeralKey = hex(ML-KEM ciphertext).
//
//   node [--experimental-websocket] bin/l2ps-client.mjs --url ws://127.0.0.1:<port> --l2ps-uid <uid>
//        (--seed-hex <master seed hex> | --mnemonic "<words>")
//
// On start: {"event":"ready", publicKey (Ed25519 hex), mlKemPublicKeyHex}. Commands (one at a time):
//   {"op":"connect", "publishKemKey"?:bool, "features"?:[..]}  register (proof "register:<pk>:<timestamp>");
//        the two options are demos-im extensions (key directory, features), off by default -> {registered}
//   {"op":"send", "to":<pk>, "text":.., "recipientKemPublicKeyHex"?:.., "messageHash"?:..}
//        encrypts `text` (UTF-8) to the recipient's ML-KEM key (given, else asked for with
//        request_public_key, key-directory extension) -> {type: "message_sent"|"message_queued", payload, messageHash}
//   {"op":"history", "peerKey":.., "before"?:.., "limit"?:..}  proof "history:<peerKey>:<timestamp>"
//        -> {messages (each with `text` when addressed to us and decryptable), hasMore}
//   {"op":"discover"} -> {peers} · {"op":"requestPublicKey","targetId":..} -> {payload}
//   {"op":"raw", "frame":{..}, "expect":[types]} sends a frame as is -> {type, payload}
//   {"op":"disconnect"}
// Events: {"event":"message", from, messageHash, offline, text | decryptError, encrypted},
//   {"event":"peer_joined"|"peer_left", publicKey}, {"event":"error_frame", payload}, {"event":"closed", code}.
import { createHash, randomBytes } from "node:crypto";
import { serve, emit, parseArgs, hex, fromHex, describe } from "../lib/jsonl.mjs";
import { loadIntoDefaultInstance, publicKeysOf } from "../lib/identity.mjs";
import { requireGlobalWebSocket, reportUnhandledRejections } from "../lib/runtime.mjs";

const REQUEST_TIMEOUT_MS = 15_000;

const args = parseArgs(process.argv.slice(2));
if (!args.url || !args["l2ps-uid"]) throw new Error("--url and --l2ps-uid are required");
requireGlobalWebSocket();
reportUnhandledRejections();

const { uc } = await loadIntoDefaultInstance({ seedHex: args["seed-hex"], mnemonic: args.mnemonic });
const keys = await publicKeysOf(uc);
const me = keys.ed25519PublicKeyHex;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Hex Ed25519 signature of a proof string, by the SDK: uc.sign("ed25519", utf8(text)). */
async function prove(text) {
  const signed = await uc.sign("ed25519", utf8.encode(text));
  return hex(signed.signature);
}

let lastTimestamp = 0;

/** Frame timestamps strictly increase, so no two proofs of this client share one (replay checks). */
function nextTimestamp() {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return lastTimestamp;
}

function requestId() {
  return `req_${Date.now()}_${randomBytes(5).toString("hex")}`; // the SDK's format (l2ps.md §2.1)
}

async function encryptFor(recipientKemPublicKeyHex, text) {
  const out = await uc.encrypt("ml-kem-aes", utf8.encode(text), fromHex(recipientKemPublicKeyHex, "recipient ML-KEM key"));
  const data = Buffer.from(out.encryptedData);
  return {
    ciphertext: data.subarray(12).toString("base64"),
    nonce: data.subarray(0, 12).toString("base64"),
    ephemeralKey: hex(out.cipherText),
  };
}

async function decryptText(encrypted) {
  if (!encrypted?.ephemeralKey) throw new Error("no ephemeralKey: not ml-kem-aes");
  const encryptedData = Buffer.concat([Buffer.from(encrypted.nonce, "base64"), Buffer.from(encrypted.ciphertext, "base64")]);
  const plaintext = await uc.decrypt({ algorithm: "ml-kem-aes", cipherText: fromHex(encrypted.ephemeralKey),
    encryptedData: new Uint8Array(encryptedData) });
  return fromUtf8.decode(plaintext);
}

// ---- connection and one-at-a-time request matching --------------------------------------------
let socket = null;
let pending = null; // {accepts(frame) -> bool, resolve, reject, timer}
let inbound = Promise.resolve();

function wait(accepts, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending = null;
      reject(new Error(`timeout after ${REQUEST_TIMEOUT_MS} ms waiting for ${what}`));
    }, REQUEST_TIMEOUT_MS);
    pending = { accepts, resolve, reject, timer };
  });
}

function settle(frame) {
  if (pending === null) return false;
  const current = pending;
  if (frame.type === "error") {
    // errors carry no correlation (l2ps.md §2.1): with one request outstanding it is that request's
    pending = null;
    clearTimeout(current.timer);
    current.reject(new Error(`server error ${frame.payload?.code}: ${frame.payload?.message}`));
    return true;
  }
  if (!current.accepts(frame)) return false;
  pending = null;
  clearTimeout(current.timer);
  current.resolve(frame);
  return true;
}

async function onFrame(raw) {
  let frame;
  try {
    frame = JSON.parse(typeof raw === "string" ? raw : Buffer.from(raw).toString("utf8"));
  } catch (error) {
    emit({ event: "bad_frame", error: describe(error) });
    return;
  }
  if (frame.type === "message") {
    // messages are events even while a request waits; decrypt before reporting
    const event = { event: "message", from: frame.payload.from, messageHash: frame.payload.messageHash,
      offline: frame.payload.offline, encrypted: frame.payload.encrypted };
    try {
      event.text = await decryptText(frame.payload.encrypted);
    } catch (error) {
      event.decryptError = describe(error);
    }
    emit(event);
    return;
  }
  if (settle(frame)) return;
  if (frame.type === "peer_joined" || frame.type === "peer_left") {
    emit({ event: frame.type, publicKey: frame.payload.publicKey });
  } else if (frame.type === "error") {
    emit({ event: "error_frame", payload: frame.payload });
  } else {
    emit({ event: "unsolicited", type: frame.type, payload: frame.payload });
  }
}

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(args.url);
    ws.onopen = () => resolve(ws);
    ws.onerror = event => reject(new Error("WebSocket error: " + (event?.message ?? "connection failed")));
    // frames are handled strictly in arrival order (decryption is async)
    ws.onmessage = event => { inbound = inbound.then(() => onFrame(event.data)); };
    ws.onclose = event => {
      emit({ event: "closed", code: event.code });
      if (pending) {
        const current = pending;
        pending = null;
        clearTimeout(current.timer);
        current.reject(new Error("connection closed"));
      }
    };
  });
}

async function request(type, payload, accepts, what, timestamp = nextTimestamp()) {
  if (socket === null) throw new Error("not connected");
  const reply = wait(accepts, what);
  socket.send(JSON.stringify({ type, payload, timestamp, requestId: requestId() }));
  return reply;
}

emit({ event: "ready", publicKey: me, mlKemPublicKeyHex: keys.mlKemPublicKeyHex });

await serve(async command => {
  switch (command.op) {
    case "connect": {
      socket = await open();
      const timestamp = nextTimestamp();
      const payload = { publicKey: me, l2psUid: args["l2ps-uid"], proof: await prove(`register:${me}:${timestamp}`) };
      // demos-im extensions (a reference server ignores both): publish our ML-KEM key, ask for features
      if (command.publishKemKey) payload.kemPublicKey = Buffer.from(fromHex(keys.mlKemPublicKeyHex)).toString("base64");
      if (Array.isArray(command.features)) payload.features = command.features;
      const frame = await request("register", payload, f => f.type === "registered", "registered", timestamp);
      return { registered: frame.payload };
    }
    case "send": {
      let kemKey = command.recipientKemPublicKeyHex;
      if (!kemKey) {
        const answer = await request("request_public_key", { targetId: command.to },
            f => f.type === "public_key_response" && f.payload.targetId === command.to, "public_key_response");
        if (!answer.payload.kemPublicKey) throw new Error(`no ML-KEM key published for ${command.to}`);
        kemKey = hex(Buffer.from(answer.payload.kemPublicKey, "base64"));
      }
      const timestamp = nextTimestamp();
      const messageHash = command.messageHash ?? createHash("sha256")
          .update(JSON.stringify({ from: me, to: command.to, content: command.text, timestamp }), "utf8").digest("hex");
      const encrypted = await encryptFor(kemKey, command.text);
      const frame = await request("send", { to: command.to, encrypted, messageHash },
          f => (f.type === "message_sent" || f.type === "message_queued") && f.payload.messageHash === messageHash,
          "message_sent|message_queued", timestamp);
      return { type: frame.type, payload: frame.payload, messageHash };
    }
    case "history": {
      const timestamp = nextTimestamp();
      const payload = { peerKey: command.peerKey, proof: await prove(`history:${command.peerKey}:${timestamp}`) };
      if (command.before !== undefined) payload.before = command.before;
      if (command.limit !== undefined) payload.limit = command.limit;
      const frame = await request("history", payload, f => f.type === "history_response", "history_response", timestamp);
      const messages = [];
      for (const stored of frame.payload.messages) {
        const entry = { ...stored };
        if (stored.to === me) {
          try {
            entry.text = await decryptText(stored.encrypted);
          } catch (error) {
            entry.decryptError = describe(error);
          }
        }
        messages.push(entry);
      }
      return { messages, hasMore: frame.payload.hasMore };
    }
    case "discover": {
      const frame = await request("discover", {}, f => f.type === "discover_response", "discover_response");
      return { peers: frame.payload.peers };
    }
    case "requestPublicKey": {
      const frame = await request("request_public_key", { targetId: command.targetId },
          f => f.type === "public_key_response" && f.payload.targetId === command.targetId, "public_key_response");
      return { payload: frame.payload };
    }
    case "raw": {
      const expect = new Set(command.expect ?? []);
      if (socket === null) throw new Error("not connected");
      const reply = wait(f => expect.has(f.type), [...expect].join("|"));
      socket.send(JSON.stringify(command.frame));
      const frame = await reply;
      return { type: frame.type, payload: frame.payload };
    }
    case "disconnect":
      if (socket) socket.close();
      socket = null;
      return {};
    default:
      throw new Error(`unknown op '${command.op}'`);
  }
});
if (socket) socket.close();
process.exit(0);
