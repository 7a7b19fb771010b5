/**
 * The visibility matrix (config-cli-auth.md §4.6-4.7): for every role
 * (api-only token, user, manager of a project, support, admin, plus a user
 * without `api` and an admin without `api`) and every surface that shows
 * jobs (REST `/api`, `/userapi`, GraphQL `jobs`/`job`/`jobsStatistics`, the
 * job and user pages, `nodeMetrics`) the exact set of jobs it sees, the
 * user details it gets and the status of what it must not see.
 */
import assert from "node:assert/strict";
import { createTestSite, type TestSite } from "../../server/api/rest/test_app.ts";
import { AUTH_SOURCES, JobRepository, UserRepository } from "../../server/db/mod.ts";
import { sampleJob } from "../../server/db/test_db.ts";
import { islandProps } from "../../server/render/test_job_list_site.ts";

/** The accounts (with `auth.jwts.validate-user` their stored roles count, not the token's). */
const ACCOUNTS = {
  automation: { roles: ["api"], projects: [] as string[], name: "Automation" },
  alice: { roles: ["user", "api"], projects: [], name: "Alice Anders" },
  bob: { roles: ["manager", "api"], projects: ["p1"], name: "Bob Brown" },
  carol: { roles: ["user"], projects: [], name: "Carol Clark" },
  sam: { roles: ["support", "api"], projects: [], name: "Sam Support" },
  ada: { roles: ["admin", "api"], projects: [], name: "Ada Admin" },
  root: { roles: ["admin"], projects: [], name: "Root Admin" },
} as const;
type Account = keyof typeof ACCOUNTS;

/** The jobs: label → owner, project, cluster, hosts. */
const JOBS = {
  J1: { user: "alice", project: "p1", cluster: "fritz", hosts: ["f0101"] },
  J2: { user: "alice", project: "p2", cluster: "fritz", hosts: ["f0102"] },
  J3: { user: "alice", project: "p2", cluster: "emmy", hosts: ["w1201"] },
  J4: { user: "bob", project: "p1", cluster: "emmy", hosts: ["w1202"] },
  J5: { user: "bob", project: "p2", cluster: "fritz", hosts: ["f0103"] },
  J6: { user: "carol", project: "p1", cluster: "fritz", hosts: ["f0104"] },
  J7: { user: "carol", project: "p2", cluster: "emmy", hosts: ["w1203"] },
  J8: { user: "carol", project: "p1", cluster: "fritz", hosts: ["f0105", "f0106"] },
} as const;
type Label = keyof typeof JOBS;
const ALL = Object.keys(JOBS) as Label[];

/** Which jobs each account sees where jobs are filtered by role. */
const VISIBLE: Record<Account, Label[]> = {
  automation: ALL,
  alice: ["J1", "J2", "J3"],
  // Project p1 (J1, J4, J6, J8) plus own jobs (J4, J5).
  bob: ["J1", "J4", "J5", "J6", "J8"],
  carol: ["J6", "J7", "J8"],
  sam: ALL,
  ada: ALL,
  root: ALL,
};

/** Who may read another user's name and e-mail. */
const SEES_OTHER_USERS: Record<Account, boolean> = {
  automation: false,
  alice: false,
  bob: true,
  carol: false,
  sam: true,
  ada: true,
  root: true,
};

const ACCOUNT_NAMES = Object.keys(ACCOUNTS) as Account[];

// deno-lint-ignore no-explicit-any
type Json = any;

interface Fixture {
  site: TestSite;
  /** Label → database id. */
  ids: Record<Label, number>;
  /** Database id → label. */
  labels: Map<number, Label>;
}

async function createFixture(): Promise<Fixture> {
  const site = await createTestSite({
    document: { auth: { jwts: { "max-age": "1h", "validate-user": true } } },
  });
  const users = new UserRepository(site.db);
  for (const [username, spec] of Object.entries(ACCOUNTS)) {
    await users.addUser({
      username,
      roles: [...spec.roles],
      projects: [...spec.projects],
      name: spec.name,
      email: `${username}@example.org`,
      authSource: AUTH_SOURCES.local,
    });
  }
  const repo = new JobRepository(site.db);
  const ids = {} as Record<Label, number>;
  const labels = new Map<number, Label>();
  ALL.forEach((label, i) => {
    const spec = JOBS[label];
    const id = repo.insertJob(sampleJob({
      jobId: 4000 + i,
      user: spec.user,
      project: spec.project,
      cluster: spec.cluster,
      subCluster: spec.cluster === "fritz" ? "main" : "skylake",
      numNodes: spec.hosts.length,
      resources: spec.hosts.map((hostname) => ({ hostname })),
      startTime: 1700000100 + i * 60,
      metaData: { jobName: `job-${label}` },
    }));
    ids[label] = id;
    labels.set(id, label);
  });
  return { site, ids, labels };
}

function sorted(labels: Iterable<Label>): Label[] {
  return [...labels].sort();
}

Deno.test("visibility matrix: jobs and user details per role and surface", async (t) => {
  const { site, ids, labels } = await createFixture();
  const as = (username: Account | null) =>
    username === null ? { roles: null } : { username, roles: [] as string[] };
  const labelsOf = (dbIds: (number | string)[]) =>
    sorted(dbIds.map((id) => labels.get(Number(id))!));
  const gql = async (username: Account | null, query: string, variables = {}) => {
    const response = await site.call("POST", "/query", {
      ...as(username),
      body: { query, variables },
    });
    return { status: response.status, body: await response.json() as Json };
  };

  try {
    await t.step("REST GET /api/jobs/: only api-only and admin+api tokens", async () => {
      for (const username of ACCOUNT_NAMES) {
        const response = await site.call("GET", "/api/jobs/", as(username));
        const body = await response.json();
        if (username === "automation" || username === "ada") {
          assert.equal(response.status, 200, username);
          assert.deepEqual(labelsOf(body.jobs.map((j: Json) => j.id)), ALL, username);
        } else {
          assert.equal(response.status, 401, username);
          assert.deepEqual(body, { status: "Unauthorized", error: "unauthorized" }, username);
        }
      }
      const anonymous = await site.call("GET", "/api/jobs/", as(null));
      assert.equal(anonymous.status, 401);
      assert.deepEqual(await anonymous.json(), {
        status: "Unauthorized",
        error: "no user for secured check",
      });
    });

    await t.step("REST GET /api/jobs/:id: every job for api tokens, 422 when absent", async () => {
      for (const username of ACCOUNT_NAMES) {
        for (const label of ALL) {
          const response = await site.call("GET", `/api/jobs/${ids[label]}`, as(username));
          const body = await response.json();
          if (username === "automation" || username === "ada") {
            assert.equal(response.status, 200, `${username} ${label}`);
            assert.equal(body.Meta.id, ids[label]);
            assert.equal(body.Meta.user, JOBS[label].user);
          } else {
            assert.equal(response.status, 401, `${username} ${label}`);
          }
        }
      }
      const missing = await site.call("GET", "/api/jobs/999999", as("automation"));
      assert.equal(missing.status, 422);
      assert.match((await missing.json()).error, /no rows in result set/);
    });

    await t.step("GET /userapi/jobs/: api plus a role, filtered by role", async () => {
      for (const username of ACCOUNT_NAMES) {
        const response = await site.call("GET", "/userapi/jobs/", as(username));
        const body = await response.json();
        if (!(ACCOUNTS[username].roles as readonly string[]).includes("api")) {
          assert.equal(response.status, 401, username);
          assert.equal(body.error, "unauthorized", username);
          continue;
        }
        assert.equal(response.status, 200, username);
        assert.deepEqual(labelsOf(body.jobs.map((j: Json) => j.id)), VISIBLE[username], username);
      }
      assert.equal((await site.call("GET", "/userapi/jobs/", as(null))).status, 401);
    });

    await t.step("GET /userapi/jobs/:id: visible jobs 200, the others 422", async () => {
      for (const username of ACCOUNT_NAMES) {
        if (!(ACCOUNTS[username].roles as readonly string[]).includes("api")) {
          const response = await site.call("GET", `/userapi/jobs/${ids.J1}`, as(username));
          assert.equal(response.status, 401, username);
          await response.body?.cancel();
          continue;
        }
        for (const label of ALL) {
          const response = await site.call("GET", `/userapi/jobs/${ids[label]}`, as(username));
          const body = await response.json();
          if (VISIBLE[username].includes(label)) {
            assert.equal(response.status, 200, `${username} ${label}`);
            assert.equal(body.Meta.id, ids[label]);
          } else {
            assert.equal(response.status, 422, `${username} ${label}`);
            assert.equal(
              body.error,
              `finding job with db id ${ids[label]} failed: sql: no rows in result set`,
            );
          }
        }
      }
    });

    await t.step(
      "GraphQL jobs: visible jobs, other users' details for managers and staff",
      async () => {
        const query =
          "{ jobs(page: {itemsPerPage: 100, page: 1}) { count items { id user userData { username name email } } } }";
        for (const username of ACCOUNT_NAMES) {
          const { status, body } = await gql(username, query);
          assert.equal(status, 200, username);
          assert.equal(body.errors, undefined, `${username}: ${JSON.stringify(body.errors)}`);
          const items = body.data.jobs.items as Json[];
          assert.deepEqual(labelsOf(items.map((j) => j.id)), VISIBLE[username], username);
          assert.equal(body.data.jobs.count, VISIBLE[username].length, username);
          for (const item of items) {
            const shown = item.user === username || SEES_OTHER_USERS[username];
            const expected = shown
              ? {
                username: item.user,
                name: ACCOUNTS[item.user as Account].name,
                email: `${item.user}@example.org`,
              }
              : null;
            assert.deepEqual(item.userData, expected, `${username} sees ${item.user}`);
          }
        }
        const anonymous = await gql(null, query);
        assert.equal(anonymous.status, 401);
      },
    );

    await t.step(
      "GraphQL job(id): visible jobs, else not found (api-only: not allowed)",
      async () => {
        for (const username of ACCOUNT_NAMES) {
          for (const label of ALL) {
            const { body } = await gql(
              username,
              `{ job(id: "${ids[label]}") { id user project } }`,
            );
            if (username === "automation") {
              // cc-backend's job resolver refuses other users' jobs to all but
              // admin, support and manager — api-only tokens included.
              assert.equal(body.data?.job ?? null, null, label);
              assert.equal(body.errors[0].message, "you are not allowed to see this job", label);
            } else if (VISIBLE[username].includes(label)) {
              assert.equal(body.errors, undefined, `${username} ${label}`);
              assert.deepEqual(body.data.job, {
                id: String(ids[label]),
                user: JOBS[label].user,
                project: JOBS[label].project,
              });
            } else {
              assert.equal(body.data?.job ?? null, null, `${username} ${label}`);
              assert.match(
                body.errors[0].message,
                /cannot find job .*no rows/,
                `${username} ${label}`,
              );
            }
          }
        }
      },
    );

    await t.step("GraphQL jobsStatistics: totals and per-user groups of visible jobs", async () => {
      for (const username of ACCOUNT_NAMES) {
        const { body } = await gql(
          username,
          "{ total: jobsStatistics { totalJobs } byUser: jobsStatistics(groupBy: USER) { id totalJobs } }",
        );
        assert.equal(body.errors, undefined, `${username}: ${JSON.stringify(body.errors)}`);
        const visible = VISIBLE[username];
        assert.equal(body.data.total[0].totalJobs, visible.length, username);
        const expected: Record<string, number> = {};
        for (const label of visible) {
          expected[JOBS[label].user] = (expected[JOBS[label].user] ?? 0) + 1;
        }
        const got = Object.fromEntries(
          (body.data.byUser as Json[]).map((g) => [g.id, g.totalJobs]),
        );
        assert.deepEqual(got, expected, username);
      }
    });

    await t.step("GraphQL nodeMetrics: support and admin only", async () => {
      const query =
        '{ nodeMetrics(cluster: "fritz", from: "2023-11-14T22:00:00Z", to: "2023-11-14T23:00:00Z") { host } }';
      for (const username of ACCOUNT_NAMES) {
        const { body } = await gql(username, query);
        const staff = ["sam", "ada", "root"].includes(username);
        const messages = (body.errors ?? []).map((e: Json) => e.message).join("; ");
        if (staff) {
          assert.doesNotMatch(messages, /administrator or support staff/, username);
        } else {
          assert.equal(body.data?.nodeMetrics ?? null, null, username);
          assert.match(messages, /administrator or support staff/, username);
        }
      }
    });

    await t.step("GraphQL user(username): self, managers and staff only", async () => {
      for (const username of ACCOUNT_NAMES) {
        const { body } = await gql(username, '{ user(username: "alice") { name email } }');
        if (username === "alice" || SEES_OTHER_USERS[username]) {
          assert.deepEqual(body.data.user, { name: "Alice Anders", email: "alice@example.org" });
        } else {
          assert.equal(body.data?.user ?? null, null, username);
          assert.equal(body.errors[0].message, "forbidden", username);
        }
      }
    });

    await t.step(
      "job page /monitoring/job/:id: 200 when visible, else 403; 404 when absent",
      async () => {
        for (const username of ACCOUNT_NAMES) {
          for (const label of ALL) {
            const response = await site.call("GET", `/monitoring/job/${ids[label]}`, as(username));
            const html = await response.text();
            const owner = JOBS[label].user;
            if (VISIBLE[username].includes(label)) {
              assert.equal(response.status, 200, `${username} ${label}`);
              assert.match(html, new RegExp(`<title>Job ${4000 + ALL.indexOf(label)} - `));
              const named = owner === username || SEES_OTHER_USERS[username];
              const ownerName = ACCOUNTS[owner as Account].name;
              assert.equal(html.includes(`(${ownerName})`), named, `${username} ${label} name`);
            } else {
              assert.equal(response.status, 403, `${username} ${label}`);
              assert.doesNotMatch(html, new RegExp(`job-${label}`));
            }
          }
        }
        const missing = await site.call("GET", "/monitoring/job/999999", as("ada"));
        assert.equal(missing.status, 404);
        await missing.body?.cancel();
        const anonymous = await site.call("GET", `/monitoring/job/${ids.J1}`, as(null));
        assert.equal(anonymous.status, 401);
        assert.doesNotMatch(await anonymous.text(), /job-J1/);
      },
    );

    await t.step("user page /monitoring/user/:name: visible jobs of that user only", async () => {
      for (const username of ACCOUNT_NAMES) {
        for (const target of ["alice", "bob", "carol"] as const) {
          const response = await site.call("GET", `/monitoring/user/${target}`, as(username));
          assert.equal(response.status, 200, `${username} → ${target}`);
          const html = await response.text();
          const props = islandProps(html);
          const expected = VISIBLE[username].filter((l) => JOBS[l].user === target);
          assert.deepEqual(
            labelsOf(props.list.items.map((j: Json) => j.id)),
            expected,
            `${username} → ${target}`,
          );
          assert.equal(props.stats?.totalJobs ?? 0, expected.length, `${username} → ${target}`);
          const shown = username === target || SEES_OTHER_USERS[username];
          const header = shown
            ? { username: target, name: ACCOUNTS[target].name, email: `${target}@example.org` }
            : { username: target };
          assert.deepEqual(props.user, header, `${username} → ${target}`);
          assert.equal(html.includes(`${target}@example.org`), shown, `${username} → ${target}`);
        }
      }
    });
  } finally {
    await site.close();
  }
});
