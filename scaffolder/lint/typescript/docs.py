"""The TypeScript/JavaScript part of each rule's page (`scaffold rules CODE`, docs/rules/)."""

from __future__ import annotations

_SECTIONS = {
    "SCF001": """\
Files that import an `@anthropic-ai/` package (`@anthropic-ai/sdk`, `bedrock-sdk`,
`vertex-sdk`) are checked the same way: `client.messages.stream(...)`,
`client.beta.messages.stream(...)` and references such as `const f = client.messages.stream`.
A call is protected when it is passed to `recoveringStream` (or anything else imported from
the vendored `claudeStream` module, or named in `recovery-functions`), runs inside the
callback of a promise-retry helper (`p-retry`, `async-retry`, `exponential-backoff`,
`promise-retry`, `ts-retry-promise`), or sits in a retry loop: a `for`/`while`/`do` loop
around a `try` whose success path leaves the loop (`break`/`return`) and whose `catch` goes
round again for every error, or rethrows only some (`if (e instanceof BadRequestError) throw
e`). In Node, a cut connection surfaces as `TypeError: terminated`, so a catch that retries
only `instanceof APIConnectionError` does not protect (SCF004).

```ts
import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();
const stream = client.messages.stream({ model: "claude-sonnet-4-5", max_tokens: 8000, messages });
for await (const event of stream) render(event);
```

Use instead:

```ts
import { makeClient, recoveringStream } from "./claudeStream";

const client = makeClient();
const stream = recoveringStream(client, { model: "claude-sonnet-4-5", max_tokens: 8000, messages });
for await (const text of stream.textStream) render(text);
```
""",
    "SCF002": """\
`client.messages.create({ ..., stream: true })` (also `beta.messages`, an object built in a
`const` of the same file, or spread into the call) is checked with SCF001's rules.
`stream: someVariable` is unknown: neither SCF002 nor SCF005.

```ts
const response = await client.messages.create({ model, max_tokens: 4096, messages, stream: true });
for await (const event of response) handle(event);
```

Use instead:

```ts
const stream = recoveringStream(client, { model, max_tokens: 4096, messages });
for await (const text of stream.textStream) handle(text);
```
""",
    "SCF003": """\
The TypeScript SDK takes `timeout` in **milliseconds**: `new Anthropic({ timeout })` (and
`AnthropicBedrock`, `AnthropicVertex`), `client.withOptions({ timeout })` and the request
options `client.messages.create(params, { timeout })`. A value below `min-timeout` seconds
times 1,000 is reported: `10 * 60 * 1000`, `600_000` and a `const` holding one are evaluated;
`undefined` and anything computed at run time are not reported. In the TypeScript SDK the
timeout covers the wait for the response headers: a short one aborts (and the SDK retries
from scratch) every non-streaming request that takes longer, and streams queued behind an
overloaded server. A stalled *body* is never timed out by the SDK: the vendored
`claudeStream` module's idle watchdog does that.

```ts
const client = new Anthropic({ timeout: 60_000 });
```

Use instead:

```ts
import { makeClient } from "./claudeStream";

const client = makeClient(); // the timeout from `scaffold init` (>= 300 s)
```
""",
    "SCF004": """\
In TypeScript/JavaScript: a retry loop whose `catch` goes round only for
`APIConnectionError` / `APIConnectionTimeoutError` (`if (!(e instanceof APIConnectionError))
throw e;`, or `if (e instanceof Anthropic.APIConnectionError) continue; throw e;`). Node's
fetch reports a connection cut mid-body as `TypeError: terminated`, which such a loop
rethrows, and a body that ends early raises nothing at all.

```ts
for (let attempt = 0; attempt < 3; attempt++) {
  try {
    return await client.messages.stream(params).finalMessage();
  } catch (error) {
    if (!(error instanceof Anthropic.APIConnectionError)) throw error;
  }
}
```

Use instead:

```ts
return await recoveringStream(client, params).finalMessage();
```
""",
    "SCF005": """\
The TypeScript SDK refuses the same requests (it throws `Streaming is required for
operations that may take longer than 10 minutes` before sending): a literal `max_tokens`
above 21,333 (8,192 for the three Opus 4 ids the TypeScript SDK lists: `claude-opus-4@20250514`,
`claude-opus-4-1@20250805`, `anthropic.claude-opus-4-1-20250805-v1:0`), no `stream: true`, no
`timeout` in the
request options and a client built in the file without `timeout`.

```ts
const client = new Anthropic();
const message = await client.messages.create({ model, max_tokens: 64000, messages });
```

Use instead:

```ts
const stream = recoveringStream(client, { model, max_tokens: 64000, messages });
const message = await stream.finalMessage();
```
""",
    "SCF900": """\
A TypeScript/JavaScript file that imports the SDK is reported when a part the tree-sitter
grammar cannot read contains a `.messages` access (a call the rules check may hide there);
findings elsewhere in the file are still reported. Parts that hold no such access are not
reported: the grammar lags the language in places (`import("m").T` in a type), and a
finding there would cry wolf.
""",
    "SCF901": """\
TypeScript and JavaScript files are read as UTF-8 (a BOM is allowed).
""",
}


def section(code: str) -> str:
    """The "TypeScript and JavaScript" section of the rule's page, or ""."""
    body = _SECTIONS.get(code)
    return f"\n## TypeScript and JavaScript\n{body}" if body else ""
