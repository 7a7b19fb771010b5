import assert from "node:assert/strict";
import { Hono, type MiddlewareHandler } from "hono";
import { AUTH_SOURCES } from "../../db/mod.ts";
import { setLogSink } from "../../log/logger.ts";
import { AppError } from "../../errors.ts";
import { type TaggerControl, type TaggerInfo, type TaggerRun, Taggers } from "../../tagger/mod.ts";
import { testJob, withTaggerSite } from "../../tagger/test_helpers.ts";
import type { ApiEnv } from "./api_env.ts";
import { apiErrorHandler } from "./error_body.ts";
import { taggerRoutes } from "./tagger_routes.ts";

/** The routes under /config with a user of `roles` and a guard that may refuse. */
function appWith(
  taggers: TaggerControl,
  options: { roles?: string[]; refuse?: boolean } = {},
): Hono<ApiEnv> {
  const guard: MiddlewareHandler<ApiEnv> = async function testGuard(c, next) {
    if (options.refuse) return c.text("unauthorized", 401);
    c.set("user", {
      username: "admin",
      roles: options.roles ?? ["admin"],
      projects: [],
      authSource: AUTH_SOURCES.local,
      authType: "session",
    });
    await next();
  };
  const app = new Hono<ApiEnv>();
  app.route("/config", taggerRoutes(taggers, { guard }));
  app.onError(apiErrorHandler);
  return app;
}

/** A stand-in whose runs last until {@link release} (the real ones are tested with Taggers). */
class HeldTaggers implements TaggerControl {
  readonly #running = new Set<string>();
  #release = () => {};

  list(): TaggerInfo[] {
    return [
      { name: "AppTagger", type: "start", running: this.#running.has("AppTagger") },
      { name: "JobClassTagger", type: "stop", running: this.#running.has("JobClassTagger") },
    ];
  }

  start(name: string): Promise<TaggerRun | null> {
    if (this.#running.has(name)) throw new AppError(409, `tagger ${name} is already running`);
    this.#running.add(name);
    return new Promise((resolve) => {
      this.#release = () => {
        this.#running.delete(name);
        resolve(null);
      };
    });
  }

  release(): void {
    this.#release();
  }
}

function form(fields: Record<string, string>): RequestInit {
  return { method: "POST", body: new URLSearchParams(fields) };
}

Deno.test("GET /config/taggers/ and POST /config/taggers/run/", async (t) => {
  await withTaggerSite(async (site) => {
    const previous = setLogSink(() => {});
    const taggers = new Taggers(site, {
      appsDir: `${site.dir}/var/tagger/apps`,
      jobClassesDir: `${site.dir}/var/tagger/jobclasses`,
    });
    try {
      const job = await site.insert(testJob({ metaData: { jobScript: "srun vasp_std" } }));
      const app = appWith(taggers);

      await t.step("the list names both taggers", async () => {
        const res = await app.request("/config/taggers/");
        assert.equal(res.status, 200);
        assert.equal(res.headers.get("Content-Type"), "application/json");
        assert.equal(
          await res.text(),
          '[{"name":"AppTagger","type":"start","running":false},' +
            '{"name":"JobClassTagger","type":"stop","running":false}]\n',
        );
      });
      await t.step("a run starts, answers at once and tags the jobs afterwards", async () => {
        const res = await app.request("/config/taggers/run/", form({ name: "AppTagger" }));
        assert.equal(res.status, 200);
        assert.equal(res.headers.get("Content-Type"), "text/plain; charset=utf-8");
        assert.equal(await res.text(), "Tagger AppTagger started");
        const deadline = Date.now() + 5000;
        while (taggers.list()[0].running && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        assert.deepEqual(site.tagsOf(job.id!), ["app:vasp@global"]);
      });
      await t.step(
        "a running tagger shows in the list, and starting it again is a 409",
        async () => {
          const held = new HeldTaggers();
          const heldApp = appWith(held);
          assert.equal(
            (await heldApp.request("/config/taggers/run/", form({ name: "AppTagger" }))).status,
            200,
          );
          const list = await (await heldApp.request("/config/taggers/")).json();
          assert.deepEqual(list[0], { name: "AppTagger", type: "start", running: true });
          const res = await heldApp.request("/config/taggers/run/", form({ name: "AppTagger" }));
          assert.equal(res.status, 409);
          assert.deepEqual(await res.json(), {
            status: "Conflict",
            error: "tagger AppTagger is already running",
          });
          held.release();
        },
      );
      await t.step("an unknown tagger is a 409", async () => {
        const res = await app.request("/config/taggers/run/", form({ name: "Nope" }));
        assert.equal(res.status, 409);
        assert.equal((await res.json()).error, "unknown tagger: Nope");
      });
      await t.step("a missing name is a 400", async () => {
        for (const init of [form({}), form({ name: "" }), { method: "POST" }]) {
          const res = await app.request("/config/taggers/run/", init);
          assert.equal(res.status, 400);
          assert.equal(
            await res.text(),
            '{"status":"Bad Request","error":"missing required parameter: name"}\n',
          );
        }
      });
      await t.step(
        "the name may come as multipart form or in the query, like Go's FormValue",
        async () => {
          const body = new FormData();
          body.set("name", "JobClassTagger");
          const multipart = await app.request("/config/taggers/run/", { method: "POST", body });
          assert.equal(await multipart.text(), "Tagger JobClassTagger started");
          await taggers.close();
          const query = await app.request("/config/taggers/run/?name=Other", { method: "POST" });
          assert.equal((await query.json()).error, "unknown tagger: Other");
        },
      );
      await t.step("users without admin get a 403", async () => {
        const res = await appWith(taggers, { roles: ["support"] }).request("/config/taggers/");
        assert.equal(res.status, 403);
        assert.equal((await res.json()).error, "only admins are allowed to list taggers");
        const run = await appWith(taggers, { roles: ["user"] }).request(
          "/config/taggers/run/",
          form({ name: "AppTagger" }),
        );
        assert.equal(run.status, 403);
      });
      await t.step("the guard runs first", async () => {
        const res = await appWith(taggers, { refuse: true }).request("/config/taggers/");
        assert.equal(res.status, 401);
      });
    } finally {
      await taggers.close();
      setLogSink(previous);
    }
  });
});
