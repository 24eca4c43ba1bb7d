// Self-check of bin/legacy-peer.mjs and bin/l2ps-client.mjs: two users of each script talk through
// the stand-in relays of mini-relays.mjs (the Java suite runs them against DemosImServer).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Script } from "./harness.mjs";
import { legacyRelay, l2psRelay } from "./mini-relays.mjs";

const { alice, bob } = JSON.parse(readFileSync(new URL("./vectors/ts-sdk-2.9.1-vectors.json", import.meta.url), "utf8")).identities;

test("two SDK MessagingPeers register, discover and exchange encrypted messages", async () => {
  const relay = await legacyRelay();
  const a = new Script("legacy-peer.mjs", ["--url", relay.url, "--client-id", "alice", "--seed-hex", alice.masterSeedHex]);
  const b = new Script("legacy-peer.mjs", ["--url", relay.url, "--client-id", "bob", "--seed-hex", bob.masterSeedHex]);
  try {
    assert.equal((await a.event("ready")).mlKemPublicKeyHex, alice.mlKem768.publicKeyHex);
    await a.call({ op: "connect" });
    await b.call({ op: "connect" });
    assert.deepEqual((await a.call({ op: "discover" })).peers.sort(), ["alice", "bob"]);
    assert.equal((await a.call({ op: "requestPublicKey", peerId: "bob" })).publicKeyHex, bob.mlKem768.publicKeyHex);
    await a.call({ op: "send", to: "bob", text: "hi bob ✓" });
    assert.equal((await b.event("message")).text, "hi bob ✓");
    await b.call({ op: "send", to: "alice", text: "hi alice" });
    const got = await a.event("message");
    assert.deepEqual([got.from, got.text], ["bob", "hi alice"]);
    assert.equal([...a.lines, ...b.lines].filter(l => l.event === "unhandled_rejection").length, 0);
  } finally {
    await Promise.all([a.close(), b.close()]);
    await relay.close();
  }
});

test("two L2PS clients register with SDK-signed proofs, send live and offline, read history", async () => {
  const relay = await l2psRelay();
  const args = seed => ["--url", relay.url, "--l2ps-uid", "testnet_l2ps_001", "--seed-hex", seed];
  const a = new Script("l2ps-client.mjs", args(alice.masterSeedHex));
  const b = new Script("l2ps-client.mjs", args(bob.masterSeedHex));
  try {
    const aKey = (await a.event("ready")).publicKey;
    const bReady = await b.event("ready");
    assert.equal(aKey, alice.ed25519.publicKeyHex);
    await a.call({ op: "connect", publishKemKey: true });
    const queued = await a.call({ op: "send", to: bReady.publicKey, text: "while you were out", recipientKemPublicKeyHex: bReady.mlKemPublicKeyHex });
    assert.equal(queued.type, "message_queued");
    const registered = await b.call({ op: "connect", publishKemKey: true });
    assert.deepEqual(registered.registered.onlinePeers, [aKey]);
    const offline = await b.event("message");
    assert.deepEqual([offline.text, offline.offline], ["while you were out", true]);
    const reply = await b.call({ op: "send", to: aKey, text: "back now" });
    assert.equal(reply.type, "message_sent");
    assert.equal((await a.event("message")).text, "back now");
    const history = await a.call({ op: "history", peerKey: bReady.publicKey });
    assert.deepEqual(history.messages.map(m => m.text), ["back now", undefined]);
  } finally {
    await Promise.all([a.close(), b.close()]);
    await relay.close();
  }
});
