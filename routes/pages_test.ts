import assert from "node:assert/strict";
import { createPagesTestSite, type PagesTestSite } from "../server/render/test_pages.ts";
import { renderLoginPage } from "./login.tsx";

/** The titles of the navbar's main entries in `html`. */
function navTitles(html: string): string[] {
  const nav = /<ul class="navbar-nav me-auto[^"]*">(.*?)<form/s.exec(html);
  if (!nav) return [];
  return [...nav[1].matchAll(/<a class="nav-link[^"]*"[^>]*title="([^"]+)"/g)].map((m) => m[1]);
}

/** Home page rows: cluster → [running, total]. */
function counts(html: string): Record<string, [number, number]> {
  const rows = [
    ...html.matchAll(
      /<tr><td>([^<]+)<\/td><td><a [^>]+>(\d+) jobs<\/a><\/td><td><a [^>]+>(\d+) jobs/g,
    ),
  ];
  return Object.fromEntries(rows.map((m) => [m[1], [Number(m[2]), Number(m[3])]]));
}

async function withSite(fn: (site: PagesTestSite) => Promise<void>, notice?: string) {
  const site = await createPagesTestSite({ notice });
  try {
    await fn(site);
  } finally {
    await site.close();
  }
}

Deno.test("GET / renders the navbar of each role and the visible job counts", async (t) => {
  await withSite(async (site) => {
    const page = async (roles: string[], options: { user?: string; projects?: string[] } = {}) => {
      const response = await site.get("/", { roles, ...options });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("Content-Type"), "text/html; charset=UTF-8");
      return await response.text();
    };

    await t.step("api-only: no view links, all jobs", async () => {
      const html = await page(["api"], { user: "robot" });
      assert.deepEqual(navTitles(html), []);
      assert.deepEqual(counts(html).fritz, [2, 3]);
      assert.match(html, /action="\/search"/);
    });

    await t.step("user: My Jobs, Job Search, Tags; own jobs only", async () => {
      const html = await page(["user"], { user: "alice" });
      assert.deepEqual(navTitles(html), ["My Jobs", "Job Search", "Tags"]);
      assert.deepEqual(counts(html), { alex: [0, 0], emmy: [0, 0], fritz: [1, 2] });
      assert.doesNotMatch(html, /Status View/);
    });

    await t.step("manager: managed entries; own and project jobs", async () => {
      const html = await page(["manager"], { user: "carol", projects: ["p2"] });
      assert.deepEqual(navTitles(html), [
        "My Jobs",
        "Managed Jobs",
        "Tags",
        "Managed Users",
        "Managed Projects",
      ]);
      assert.deepEqual(counts(html), { alex: [0, 1], emmy: [0, 0], fritz: [1, 1] });
    });

    await t.step("support: + Nodes, Analysis; all jobs", async () => {
      const html = await page(["support"]);
      assert.deepEqual(navTitles(html), [
        "My Jobs",
        "Jobs",
        "Tags",
        "Users",
        "Projects",
        "Nodes",
        "Analysis",
      ]);
      assert.deepEqual(counts(html).fritz, [2, 3]);
      assert.match(html, /Example: 'projectId:a100cd'/);
    });

    await t.step("admin: + Status, Logs, and the admin columns", async () => {
      const html = await page(["admin"]);
      assert.deepEqual(navTitles(html).slice(-2), ["Status", "Logs"]);
      assert.match(html, /<a href="\/monitoring\/status\/fritz">Status View<\/a>/);
      assert.match(html, /<a href="\/monitoring\/systems\/fritz">System View<\/a>/);
    });

    await t.step("the footer shows the version and legal links", async () => {
      const html = await page(["user"]);
      assert.match(html, /Version \d+\.\d+\.\d+/);
      assert.match(html, /href="\/imprint"/);
      assert.match(html, /href="\/privacy"/);
      assert.match(html, /Logout alice/);
    });

    await t.step("a user without a known role gets an error page", async () => {
      const response = await site.get("/", { roles: ["bogus"] });
      assert.equal(response.status, 403);
      assert.match(await response.text(), /user has no or unknown roles/);
    });

    await t.step("signed out: the guard answers", async () => {
      const response = await site.get("/");
      assert.equal(response.status, 401);
      await response.body?.cancel();
    });
  });
});

Deno.test("GET / shows the admin notice escaped", async () => {
  await withSite(async (site) => {
    const html = await (await site.get("/", { roles: ["user"] })).text();
    assert.match(html, /class="cc-notice">Down &lt;b>tonight&lt;\/b> &amp; tomorrow<\/div>/);
    assert.doesNotMatch(html, /<b>tonight/);
  }, "Down <b>tonight</b> & tomorrow\n");
});

Deno.test("GET /login renders the login form without a navbar menu", async (t) => {
  await withSite(async (site) => {
    const response = await site.get("/login?redirect=/monitoring/jobs/%3Fstate%3Drunning");
    assert.equal(response.status, 200);
    const html = await response.text();

    await t.step("username, password, redirect, submit", () => {
      assert.match(html, /<form action="\/login" method="post">/);
      assert.match(html, /name="username"[^>]*required/);
      assert.match(html, /type="password"[^>]*name="password"[^>]*required/);
      assert.match(
        html,
        /type="hidden" name="redirect" value="\/monitoring\/jobs\/\?state=running"/,
      );
      assert.match(html, /<button type="submit" class="btn btn-success">Submit<\/button>/);
      assert.doesNotMatch(html, /OpenID Connect/);
    });

    await t.step("logo-only navbar", () => {
      assert.deepEqual(navTitles(html), []);
      assert.doesNotMatch(html, /action="\/search"/);
      assert.match(html, /alt="ClusterCockpit Logo"/);
    });
  });
});

Deno.test("renderLoginPage() shows one alert, escapes it and drops foreign redirects", () => {
  const html = renderLoginPage({
    error: "unauthorized <please login first>",
    info: "ignored",
    redirect: "//evil.example/",
    oidc: true,
    title: "Authentication failed - ClusterCockpit",
  });
  assert.match(html, /<title>Authentication failed - ClusterCockpit<\/title>/);
  assert.match(
    html,
    /class="alert alert-danger" role="alert">unauthorized &lt;please login first><\/div>/,
  );
  assert.doesNotMatch(html, /ignored/);
  assert.doesNotMatch(html, /name="redirect"/);
  assert.match(html, /href="\/oidc-login">OpenID Connect Login/);
  for (const [options, type] of [[{ warning: "w" }, "warning"], [{ info: "i" }, "info"]] as const) {
    assert.match(renderLoginPage(options), new RegExp(`alert alert-${type}`));
  }
});

Deno.test("the legal pages and the 404 page are public", async (t) => {
  await withSite(async (site) => {
    await t.step("imprint and privacy", async () => {
      for (const [path, title] of [["/imprint", "Imprint"], ["/privacy", "Privacy"]]) {
        const response = await site.get(path);
        assert.equal(response.status, 200, path);
        assert.match(await response.text(), new RegExp(`<title>${title}</title>`));
      }
    });

    await t.step("unknown page: the HTML card", async () => {
      const response = await site.get("/no/such/page");
      assert.equal(response.status, 404);
      const html = await response.text();
      assert.match(html, /Page Not Found/);
      assert.match(html, /href="\/">Back to Home/);
    });

    await t.step("unknown API path: cc-backend's JSON body", async () => {
      for (const path of ["/api/nope", "/userapi/x", "/frontend/x", "/config/x"]) {
        const response = await site.get(path);
        assert.equal(response.status, 404, path);
        assert.deepEqual(await response.json(), {
          status: "Resource not found",
          error: "the requested endpoint does not exist",
        });
      }
    });
  });
});
