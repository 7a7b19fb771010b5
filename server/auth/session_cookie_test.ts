import assert from "node:assert/strict";
import { InvalidSession, MAX_SESSION_COOKIE_LENGTH, SessionCodec } from "./session_cookie.ts";

const KEY = new TextEncoder().encode("0123456789abcdef0123456789abcdef");
const NOW = 1_700_000_000;

function codec(key = KEY): SessionCodec {
  return new SessionCodec(key, { maxAgeSeconds: 3600 });
}

async function refused(value: string, pattern: RegExp, at = NOW): Promise<void> {
  await assert.rejects(() => codec().open(value, at), (error: unknown) => {
    assert.ok(error instanceof InvalidSession, String(error));
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("SessionCodec seals and opens sessions", async (t) => {
  await t.step("a sealed session opens with its data and times", async () => {
    const value = await codec().seal({ username: "alice", authSource: 0 }, NOW);
    assert.match(value, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(await codec().open(value, NOW + 10), {
      username: "alice",
      authSource: 0,
      issuedAt: NOW,
      expiresAt: NOW + 3600,
    });
  });

  await t.step("claims-based sessions keep roles, projects and name", async () => {
    const data = { username: "o", authSource: 3 as const, roles: ["manager"], projects: ["p"] };
    const opened = await codec().open(await codec().seal({ ...data, name: "O" }, NOW), NOW);
    assert.deepEqual(opened.roles, ["manager"]);
    assert.deepEqual(opened.projects, ["p"]);
    assert.equal(opened.name, "O");
  });

  await t.step("an expired session is refused", async () => {
    const value = await codec().seal({ username: "alice", authSource: 0 }, NOW);
    await refused(value, /expired/, NOW + 3600);
  });

  await t.step("another key's signature is refused", async () => {
    const other = new SessionCodec(new TextEncoder().encode("another key"), { maxAgeSeconds: 60 });
    await refused(await other.seal({ username: "alice", authSource: 0 }, NOW), /signature/);
  });

  await t.step("a tampered payload or signature is refused", async () => {
    const value = await codec().seal({ username: "alice", authSource: 0 }, NOW);
    const [payload, mac] = value.split(".");
    const forged = btoa(JSON.stringify({ sub: "admin", src: 0, iat: NOW, exp: NOW + 9e9 }))
      .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    await refused(`${forged}.${mac}`, /signature/);
    const flipped = mac[0] === "A" ? "B" + mac.slice(1) : "A" + mac.slice(1);
    await refused(`${payload}.${flipped}`, /signature/);
    await refused(`${payload}.`, /malformed/);
  });

  await t.step("malformed and oversized values are refused unread", async () => {
    for (const value of ["", "abc", "a.b.c", "%%%.###", "e30.e30", "..", "x".repeat(50)]) {
      await refused(value, /malformed|invalid/);
    }
    await refused("a".repeat(MAX_SESSION_COOKIE_LENGTH + 1) + ".x", /longer than/);
  });

  await t.step("a signed payload without a username is invalid session data", async () => {
    // Sealing an empty username signs it; opening still refuses it.
    const value = await codec().seal({ username: "", authSource: 0 }, NOW);
    await refused(value, /invalid session data/);
  });

  await t.step("sessions too large for a cookie cannot be created", async () => {
    const projects = Array.from({ length: 400 }, (_, i) => `project-${i}`);
    await assert.rejects(
      () => codec().seal({ username: "m", authSource: 2, roles: ["manager"], projects }, NOW),
      /cookie would be \d+ bytes/,
    );
  });
});
