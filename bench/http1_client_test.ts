import assert from "node:assert/strict";
import { Http1Connection } from "./http1_client.ts";

/** A server on 127.0.0.1 that answers by path; resolves its base URL. */
function serve(
  handler: (req: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>,
) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  return { base: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}

Deno.test("Http1Connection sends requests on one keep-alive connection and reads each answer", async () => {
  const ports = new Set<number>();
  const seen: string[] = [];
  const server = serve(async (req, info) => {
    ports.add((info.remoteAddr as Deno.NetAddr).port);
    const body = await req.text();
    seen.push(`${req.method} ${new URL(req.url).pathname} ${req.headers.get("x-test")} ${body}`);
    if (req.url.endsWith("/big")) return new Response("x".repeat(300_000));
    return new Response(JSON.stringify({ echo: body }), { status: body ? 201 : 200 });
  });
  const conn = await Http1Connection.open(server.base);
  try {
    const a = await conn.request("POST", "/a", { "X-Test": "1" }, '{"k":"ü"}');
    assert.equal(a.status, 201);
    assert.deepEqual(JSON.parse(a.body), { echo: '{"k":"ü"}' });
    const b = await conn.request("GET", "/b", { "X-Test": "2" });
    assert.equal(b.status, 200);
    // A body larger than the read buffer.
    const big = await conn.request("GET", "/big", {});
    assert.equal(big.body.length, 300_000);
    const c = await conn.request("DELETE", "/c", { "X-Test": "3" });
    assert.equal(c.status, 200);
  } finally {
    conn.close();
    await server.close();
  }
  // Every request came from the same client port: one connection.
  assert.equal(ports.size, 1);
  assert.deepEqual(seen, ['POST /a 1 {"k":"ü"}', "GET /b 2 ", "GET /big null ", "DELETE /c 3 "]);
});

Deno.test("Http1Connection refuses answers it cannot frame", async () => {
  const server = serve(() =>
    new Response(
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("chunk"));
          controller.close();
        },
      }),
    )
  );
  const conn = await Http1Connection.open(server.base);
  try {
    await assert.rejects(conn.request("GET", "/", {}), /without Content-Length/);
  } finally {
    conn.close();
    await server.close();
  }
  await assert.rejects(Http1Connection.open("https://127.0.0.1:1"), /only http/);
});
