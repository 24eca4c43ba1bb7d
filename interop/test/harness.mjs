// Self-check plumbing: runs a script of bin/ as a child process and talks its JSON-line protocol.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { peerNodeFlags } from "../lib/node-flags.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

export class Script {
  constructor(name, args = []) {
    this.child = spawn(process.execPath, [...peerNodeFlags(), `bin/${name}`, ...args], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
    this.stderr = "";
    this.child.stderr.on("data", chunk => { this.stderr += chunk; });
    this.lines = [];
    this.waiters = [];
    this.nextId = 1;
    createInterface({ input: this.child.stdout }).on("line", line => {
      const object = JSON.parse(line);
      this.lines.push(object);
      this.waiters = this.waiters.filter(w => !(w.match(object) && (w.resolve(object), true)));
    });
  }

  /** The first line (already seen or coming) matching `match`. */
  next(match, what = "a line", timeoutMs = 20_000) {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout waiting for ${what}; stderr:\n${this.stderr}`)), timeoutMs);
      this.waiters.push({ match, resolve: v => { clearTimeout(timer); resolve(v); } });
    });
  }

  event(name, filter = () => true) {
    return this.next(l => l.event === name && filter(l), `event ${name}`);
  }

  /** Sends a command and returns its reply; rejects on ok:false. */
  async call(command) {
    const id = this.nextId++;
    this.child.stdin.write(JSON.stringify({ id, ...command }) + "\n");
    const reply = await this.next(l => l.id === id, `reply to ${command.op}`);
    if (!reply.ok) throw new Error(`${command.op} failed: ${reply.error}`);
    return reply;
  }

  async close() {
    this.child.stdin.end();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await new Promise(resolve => this.child.once("exit", resolve));
    }
  }
}
