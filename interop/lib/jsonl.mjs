// Line protocol between the Java tests and these scripts: one JSON object per line on stdin
// (commands) and on stdout (replies and events). stdout carries nothing else: the SDK logs a lot
// with console.log, so every console method is sent to stderr, which the Java side keeps for the
// failure report.
import { createInterface } from "node:readline";

for (const method of ["log", "info", "debug", "warn", "trace"]) {
  console[method] = (...args) => console.error(...args);
}

/** Writes one JSON line to stdout. */
export function emit(object) {
  process.stdout.write(JSON.stringify(object) + "\n");
}

/** Turns an exception into the `{ok:false, error}` reply shape. */
export function describe(error) {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Reads commands from stdin, one JSON object per line, and runs `handle(command)` for each, strictly
 * one after another (the SDK's request/response matching is not safe for concurrent requests).
 * The reply is `{id, ok:true, ...result}` or `{id, ok:false, error}`. Ends when stdin closes.
 */
export async function serve(handle) {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    let command;
    try {
      command = JSON.parse(line);
    } catch (error) {
      emit({ ok: false, error: "unparseable command line: " + describe(error) });
      continue;
    }
    try {
      const result = await handle(command);
      emit({ id: command.id ?? null, ok: true, ...(result ?? {}) });
    } catch (error) {
      emit({ id: command.id ?? null, ok: false, error: describe(error) });
    }
  }
}

/** Parses `--name value` pairs from argv into an object. */
export function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (!key.startsWith("--")) throw new Error(`unexpected argument '${key}'`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--")) throw new Error(`argument ${key} needs a value`);
    args[key.slice(2)] = value;
    i++;
  }
  return args;
}

/** Hex of bytes (lower case, no 0x: the Demos `uint8ArrayToHex` adds one, which we never want here). */
export const hex = bytes => Buffer.from(bytes).toString("hex");

/** Bytes of hex, strict: even length, hex digits only. */
export function fromHex(text, what = "hex") {
  if (typeof text !== "string" || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new Error(`${what} must be an even-length hex string`);
  }
  return new Uint8Array(Buffer.from(text, "hex"));
}
