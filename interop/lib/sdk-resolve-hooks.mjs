// ESM resolve hook for the published @kynesyslabs/demosdk 2.9.1 (installed by lib/sdk.mjs only
// before it loads the SDK's websdk module).
//
// The SDK's build was compiled for bundlers: it has directory imports ("./TransactionSubtypes") and
// extensionless deep imports that Node's strict ESM loader refuses (ERR_UNSUPPORTED_DIR_IMPORT /
// ERR_MODULE_NOT_FOUND). For a specifier written inside node_modules that fails that way we retry
// "<specifier>.js", then "<specifier>/index.js" — what the bundler resolution the SDK was built for
// does. Specifiers that resolve normally are untouched, and code outside node_modules never is.
const RETRYABLE = new Set(["ERR_UNSUPPORTED_DIR_IMPORT", "ERR_MODULE_NOT_FOUND"]);

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fromDependency = typeof context.parentURL === "string" && context.parentURL.includes("/node_modules/");
    if (!fromDependency || !RETRYABLE.has(error?.code) || /\.(c|m)?js$|\.json$/.test(specifier)) {
      throw error;
    }
    const base = specifier.replace(/\/$/, "");
    for (const candidate of [base + ".js", base + "/index.js"]) {
      try {
        return await nextResolve(candidate, context);
      } catch {
        // next candidate; the original error is the one worth reporting
      }
    }
    throw error;
  }
}
