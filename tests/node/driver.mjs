// Streams one answer through the rendered Node runtime and prints what happened as JSON.
// Usage: node driver.mjs <runtime module> <config JSON>
// config: {baseURL, params, options, testing}; options.abortAfterChars aborts through a signal,
// options.slowReaderMs makes the loop body take that long for the first pieces.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const [modulePath, configJSON] = process.argv.slice(2);
const config = JSON.parse(configJSON);
const runtime = modulePath.endsWith(".cjs")
  ? createRequire(import.meta.url)(modulePath)
  : await import(pathToFileURL(modulePath).href);
runtime.setTesting(config.testing ?? true);

const client = runtime.makeClient({ baseURL: config.baseURL, apiKey: "test" });
const { abortAfterChars, slowReaderMs, ...options } = config.options ?? {};
const controller = new AbortController();
if (abortAfterChars !== undefined) options.signal = controller.signal;
let stream = null;

function describe(error) {
  if (error === null || error === undefined) return null;
  return {
    name: error.name,
    constructor: error.constructor?.name,
    message: String(error.message ?? error),
    status: error.status ?? null,
    errorType: error.errorType ?? null,
  };
}

const result = { pieces: [], clientTimeout: client.timeout };
try {
  stream = runtime.recoveringStream(client, config.params, options);
  let received = 0;
  for await (const text of stream.textStream) {
    result.pieces.push(text);
    received += text.length;
    if (slowReaderMs !== undefined && result.pieces.length <= 3) {
      await new Promise((resolve) => setTimeout(resolve, slowReaderMs));
    }
    if (abortAfterChars !== undefined && received >= abortAfterChars) controller.abort();
  }
  result.message = await stream.finalMessage();
  result.finalText = await stream.finalText();
} catch (error) {
  result.error = describe(error);
  result.partialText = error.partialText ?? null;
  result.cause = describe(error.cause);
}
result.attempts = (stream?.attempts ?? []).map((attempt) => ({ ...attempt, error: describe(attempt.error) }));
process.stdout.write(JSON.stringify(result));
