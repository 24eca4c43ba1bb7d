// Flags a child `node` needs for the peer scripts: Node.js 20/21 expose the global WebSocket (used
// by the SDK's MessagingPeer) only behind --experimental-websocket; 22+ have it by default.
export function peerNodeFlags(version = process.versions.node) {
  const major = Number(version.split(".")[0]);
  return major < 22 ? ["--experimental-websocket"] : [];
}
