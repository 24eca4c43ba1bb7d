// Minimal stand-in relays, only for the self-check of bin/legacy-peer.mjs and bin/l2ps-client.mjs
// when no Java server is around: the happy paths of legacy-and-crypto.md §A and l2ps.md §3–§8,
// with no error catalogue, storage or limits. The real suite runs the scripts against this
// project's DemosImServer instead.
import { createPublicKey, verify as nodeVerify } from "node:crypto";
import ws from "ws";
import { ucrypto, deserializeUint8Array } from "../lib/sdk.mjs";

function listen(onConnection) {
  return new Promise(resolve => {
    const server = new ws.Server({ host: "127.0.0.1", port: 0 }, () => resolve(server));
    server.on("connection", onConnection);
  });
}

const url = server => `ws://127.0.0.1:${server.address().port}`;

/** Legacy signaling relay: register (ML-DSA proof checked with the SDK), discover, request_public_key, message. */
export async function legacyRelay() {
  const peers = new Map(); // clientId -> {socket, publicKey}
  const server = await listen(socket => {
    const send = (type, payload) => socket.send(JSON.stringify({ type, payload }));
    socket.on("message", async data => {
      const { type, payload } = JSON.parse(String(data));
      const self = [...peers].find(([, p]) => p.socket === socket)?.[0];
      if (type === "register") {
        const v = payload.verification;
        const valid = await ucrypto.verify({ algorithm: v.algorithm, signature: deserializeUint8Array(v.serializedSignedData),
          publicKey: deserializeUint8Array(v.serializedPublicKey), message: deserializeUint8Array(v.serializedMessage) });
        if (!valid) return send("error", { errorType: "INVALID_PROOF", details: "Invalid proof", timestamp: new Date().toISOString() });
        peers.set(payload.clientId, { socket, publicKey: payload.publicKey });
        send("register", { success: true, clientId: payload.clientId });
      } else if (type === "discover") {
        send("discover", { peers: [...peers.keys()] });
      } else if (type === "request_public_key") {
        const target = peers.get(payload.targetId);
        if (!target) return send("error", { errorType: "PEER_NOT_FOUND", details: `Target peer ${payload.targetId} not found`, timestamp: new Date().toISOString() });
        send("public_key_response", { peerId: payload.targetId, publicKey: target.publicKey });
      } else if (type === "message") {
        peers.get(payload.targetId)?.socket.send(JSON.stringify({ type: "message", payload: { message: payload.message, fromId: self } }));
      }
    });
    socket.on("close", () => {
      for (const [id, p] of peers) if (p.socket === socket) peers.delete(id);
    });
  });
  return { url: url(server), close: () => new Promise(r => server.close(r)) };
}

function ed25519Verify(publicKeyHex, text, signatureHex) {
  const key = createPublicKey({ key: Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(publicKeyHex, "hex")]), format: "der", type: "spki" });
  return nodeVerify(null, Buffer.from(text, "utf8"), key, Buffer.from(signatureHex, "hex"));
}

/** L2PS relay: register/history proofs checked, send with live delivery or queue, discover, key directory. */
export async function l2psRelay() {
  const online = new Map(); // publicKey -> {socket, kemPublicKey}
  const kemKeys = new Map();
  const rows = [];
  const server = await listen(socket => {
    let me = null;
    const send = (s, type, payload) => s.send(JSON.stringify({ type, payload, timestamp: Date.now() }));
    socket.on("message", data => {
      const { type, payload, timestamp } = JSON.parse(String(data));
      if (type === "register") {
        if (!ed25519Verify(payload.publicKey, `register:${payload.publicKey}:${timestamp}`, payload.proof)) {
          return send(socket, "error", { code: "INVALID_PROOF", message: "Signature verification failed" });
        }
        me = payload.publicKey;
        const others = [...online.keys()];
        online.set(me, { socket });
        if (payload.kemPublicKey) kemKeys.set(me, payload.kemPublicKey);
        send(socket, "registered", { success: true, publicKey: me, l2psUid: payload.l2psUid, onlinePeers: others });
        for (const other of others) send(online.get(other).socket, "peer_joined", { publicKey: me });
        for (const row of rows.filter(r => r.to === me && r.status === "queued")) {
          send(socket, "message", { from: row.from, encrypted: row.encrypted, messageHash: row.messageHash, offline: true });
          row.status = "sent";
        }
      } else if (type === "send") {
        const target = online.get(payload.to);
        rows.push({ id: String(rows.length), from: me, to: payload.to, messageHash: payload.messageHash, encrypted: payload.encrypted,
          timestamp: Date.now(), status: target ? "delivered" : "queued" });
        if (target) {
          send(target.socket, "message", { from: me, encrypted: payload.encrypted, messageHash: payload.messageHash, offline: false });
          send(socket, "message_sent", { messageHash: payload.messageHash, l2psStatus: "submitted" });
        } else {
          send(socket, "message_queued", { messageHash: payload.messageHash, status: "queued" });
        }
      } else if (type === "history") {
        if (!ed25519Verify(me, `history:${payload.peerKey}:${timestamp}`, payload.proof)) {
          return send(socket, "error", { code: "INVALID_PROOF", message: "History proof failed" });
        }
        const messages = rows.filter(r => (r.from === me && r.to === payload.peerKey) || (r.from === payload.peerKey && r.to === me)).reverse();
        send(socket, "history_response", { messages, hasMore: false });
      } else if (type === "discover") {
        send(socket, "discover_response", { peers: [...online.keys()] });
      } else if (type === "request_public_key") {
        const isOnline = online.has(payload.targetId);
        send(socket, "public_key_response", { targetId: payload.targetId, publicKey: isOnline ? payload.targetId : null,
          kemPublicKey: kemKeys.get(payload.targetId) ?? null });
      }
    });
    socket.on("close", () => {
      if (me && online.get(me)?.socket === socket) {
        online.delete(me);
        for (const other of online.values()) send(other.socket, "peer_left", { publicKey: me });
      }
    });
  });
  return { url: url(server), close: () => new Promise(r => server.close(r)) };
}
