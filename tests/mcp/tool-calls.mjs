// tool-calls.mjs: the checks both SDK agent loops (tests/mcp/sdk, tests/mcp/sdk2)
// make of a tools/call, whichever SDK's client makes it.
import assert from "node:assert/strict";

// call(name, args, {error}): a tool that ran: isError as expected, one text block
// that is the structured content (or, for a failure, says why), which it returns.
// rpcError(name, args, code): a protocol error, raised as ErrorClass with the JSON-RPC code.
export function toolCalls(client, ErrorClass) {
  async function call(name, args, { error = false } = {}) {
    const r = await client.callTool({ name, arguments: args });
    assert.equal(r.isError, error, `${name} ${JSON.stringify(args)}: ${JSON.stringify(r)}`);
    assert.equal(r.content[0].type, "text");
    const sc = r.structuredContent;
    if (!error) assert.deepEqual(JSON.parse(r.content[0].text), sc);
    else assert.ok(sc.errorCode && sc.error, JSON.stringify(sc));
    return sc;
  }
  async function rpcError(name, args, code) {
    await assert.rejects(client.callTool({ name, arguments: args }), (e) => {
      assert.ok(e instanceof ErrorClass, String(e));
      assert.equal(e.code, code, e.message);
      return true;
    });
  }
  return { call, rpcError };
}
