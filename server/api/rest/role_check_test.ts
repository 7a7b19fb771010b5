import assert from "node:assert/strict";
import { Hono } from "hono";
import { AUTH_SOURCES } from "../../db/mod.ts";
import type { ApiEnv } from "./api_env.ts";
import { apiErrorHandler } from "./error_body.ts";
import { requireRole } from "./role_check.ts";

function appWith(roles: string[] | null): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use(async (c, next) => {
    if (roles) {
      c.set("user", {
        username: "x",
        roles,
        projects: [],
        authSource: AUTH_SOURCES.token,
        authType: "token",
      });
    }
    await next();
  });
  app.get("/", (c) => {
    requireRole(c, "api", "missing role: api");
    return c.text("ok");
  });
  app.onError(apiErrorHandler);
  return app;
}

Deno.test("requireRole() answers cc-backend's 403 when the role is missing", async (t) => {
  await t.step("a user without the role", async () => {
    const res = await appWith(["admin"]).request("/");
    assert.equal(res.status, 403);
    assert.equal(await res.text(), '{"status":"Forbidden","error":"missing role: api"}\n');
  });
  await t.step("a user with the role", async () => {
    assert.equal(await (await appWith(["admin", "api"]).request("/")).text(), "ok");
  });
  await t.step("no user (authentication disabled) passes", async () => {
    assert.equal(await (await appWith(null).request("/")).text(), "ok");
  });
});
