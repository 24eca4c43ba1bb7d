#!/usr/bin/env node
// One legacy-protocol user on the published SDK: `instantMessaging.MessagingPeer`, with the master
// seed loaded into the SDK's default UnifiedCrypto instance (the only one MessagingPeer uses).
//
//   node [--experimental-websocket] bin/legacy-peer.mjs --url ws://127.0.0.1:<port> --client-id <id>
//        (--seed-hex <master seed hex> | --mnemonic "<words>")
//
// On start it prints {"event":"ready", clientId, mlKemPublicKeyHex, mlDsaPublicKeyHex}. Commands
// (stdin, one JSON per line, run one at a time; replies {id, ok, ...}):
//   {"op":"connect"}                        peer.connect(): socket + register with the ML-DSA proof
//   {"op":"discover"}                       -> {peers}
//   {"op":"requestPublicKey","peerId":..}   -> {publicKeyHex}
//   {"op":"send","to":..,"text":..}         peer.sendMessage(to, text)
//   {"op":"disconnect"}
// Events (stdout, any time):
//   {"event":"message", from, text, bytesHex}       a message the SDK decrypted (onMessage with bytes)
//   {"event":"frame", type, payload}                a control frame the SDK hands to onMessage with fromId ""
//   {"event":"peer_disconnected", peerId} · {"event":"state", state} · {"event":"sdk_error", error}
//   {"event":"unhandled_rejection", error}          e.g. a message the SDK failed to decrypt
import { serve, emit, parseArgs, hex } from "../lib/jsonl.mjs";
import { instantMessaging } from "../lib/sdk.mjs";
import { loadIntoDefaultInstance, publicKeysOf } from "../lib/identity.mjs";
import { requireGlobalWebSocket, reportUnhandledRejections } from "../lib/runtime.mjs";

const args = parseArgs(process.argv.slice(2));
if (!args.url || !args["client-id"]) throw new Error("--url and --client-id are required");
requireGlobalWebSocket();
reportUnhandledRejections();

const { uc } = await loadIntoDefaultInstance({ seedHex: args["seed-hex"], mnemonic: args.mnemonic });
const keys = await publicKeysOf(uc);
const mlKem = await uc.getIdentity("ml-kem-aes");

const peer = new instantMessaging.MessagingPeer({
  serverUrl: args.url,
  clientId: args["client-id"],
  publicKey: mlKem.publicKey,
});
const textDecoder = new TextDecoder("utf-8", { fatal: false });
peer.onMessage((message, fromId) => {
  if (message instanceof Uint8Array) {
    emit({ event: "message", from: fromId, text: textDecoder.decode(message), bytesHex: hex(message) });
  } else if (message && typeof message === "object" && "type" in message) {
    emit({ event: "frame", type: message.type, payload: message.payload });
  }
});
peer.onPeerDisconnected(peerId => emit({ event: "peer_disconnected", peerId }));
peer.onConnectionStateChange(state => emit({ event: "state", state }));
peer.onError(error => emit({ event: "sdk_error", error }));

emit({ event: "ready", clientId: args["client-id"], mlKemPublicKeyHex: keys.mlKemPublicKeyHex,
  mlDsaPublicKeyHex: keys.mlDsaPublicKeyHex, ed25519PublicKeyHex: keys.ed25519PublicKeyHex });

await serve(async command => {
  switch (command.op) {
    case "connect":
      await peer.connect();
      return {};
    case "discover":
      return { peers: await peer.discoverPeers() };
    case "requestPublicKey":
      return { publicKeyHex: hex(await peer.requestPublicKey(command.peerId)) };
    case "send":
      await peer.sendMessage(command.to, command.text);
      return {};
    case "disconnect":
      peer.disconnect();
      return {};
    default:
      throw new Error(`unknown op '${command.op}'`);
  }
});
peer.disconnect();
process.exit(0);
