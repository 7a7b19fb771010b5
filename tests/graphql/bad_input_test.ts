/**
 * Bad input to `/query`: malformed documents and bodies, limits, wrong
 * variable types, SQL metacharacters, odd ranges and unknown metric names.
 * Every failure is an answer with an `errors` array and no stack trace.
 */
import assert from "node:assert/strict";
import { buildClientSchema, getIntrospectionQuery } from "graphql";
import { createGraphqlTestSite, type GraphqlBody } from "./graphql_test_site.ts";
import { Q_JOBLIST } from "./frontend_queries.ts";

const SORT = { field: "startTime", type: "col", order: "DESC" };
const PAGE = { itemsPerPage: 10, page: 1 };

function noStack(body: unknown): void {
  const text = JSON.stringify(body);
  assert.doesNotMatch(text, /\bat [\w.<>]+ \(|\.ts:\d+|stack/i, text.slice(0, 300));
}

function firstError(body: GraphqlBody): string {
  assert.ok(body.errors?.length, JSON.stringify(body));
  noStack(body);
  return body.errors![0].message;
}

Deno.test("bad input to /query", async (t) => {
  const site = await createGraphqlTestSite({ count: 60 });
  const total = site.jobs.length;
  const post = (body: string, headers: HeadersInit = { "Content-Type": "application/json" }) =>
    site.request("/query", { method: "POST", headers, body });
  try {
    await t.step("syntax errors: 422 GRAPHQL_PARSE_FAILED with a location", async () => {
      const r = await site.query("{ jobs { items { id } ");
      assert.equal(r.status, 422);
      assert.match(firstError(r.body), /Syntax Error/);
      assert.equal(r.body.errors![0].extensions?.code, "GRAPHQL_PARSE_FAILED");
      assert.ok("locations" in r.body.errors![0]);
    });

    await t.step("unknown fields and arguments: 422 GRAPHQL_VALIDATION_FAILED", async () => {
      const r = await site.query("{ jobs { items { id password } } nope }");
      assert.equal(r.status, 422);
      assert.equal(r.body.errors!.length, 2);
      assert.match(firstError(r.body), /Cannot query field "password" on type "Job"/);
      assert.equal(r.body.errors![0].extensions?.code, "GRAPHQL_VALIDATION_FAILED");
      const arg = await site.query('{ job(id: "1", evil: true) { id } }');
      assert.equal(arg.status, 422);
      assert.match(firstError(arg.body), /Unknown argument "evil"/);
    });

    await t.step("variables of the wrong type: 422 before anything runs", async () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [
          { filter: [], sorting: SORT, paging: { itemsPerPage: "ten", page: 1 } },
          /Int cannot represent/,
        ],
        [
          { filter: [{ state: ["stopped"] }], sorting: SORT, paging: PAGE },
          /invalid job state "stopped"/,
        ],
        [
          { filter: [{ startTime: { from: "yesterday" } }], sorting: SORT, paging: PAGE },
          /RFC 3339/,
        ],
        [
          { filter: [{ energy: { from: "NaN", to: 1 } }], sorting: SORT, paging: PAGE },
          /Float cannot represent/,
        ],
        [
          { filter: [], sorting: { field: "x", type: "col", order: "SIDEWAYS" }, paging: PAGE },
          /SIDEWAYS/,
        ],
        [
          { filter: [], sorting: SORT },
          /Variable "\$paging" has invalid value: Expected a value of non-null type "PageRequest!"/,
        ],
      ];
      for (const [variables, message] of cases) {
        const r = await site.query(Q_JOBLIST, variables);
        assert.equal(r.status, 422, JSON.stringify(variables));
        assert.match(firstError(r.body), message);
        assert.equal(r.body.data, undefined);
      }
      const scope = await site.query('query { jobMetrics(id: "1", scopes: ["galaxy"]) { name } }');
      assert.equal(scope.status, 422);
      assert.match(firstError(scope.body), /"galaxy" is not a valid MetricScope/);
    });

    await t.step("a body over 1 MB: 413 without parsing", async () => {
      const query = `{ tags { id } } # ${"x".repeat(1 << 20)}`;
      const r = await post(JSON.stringify({ query }));
      assert.equal(r.status, 413);
      assert.match(firstError(await r.json()), /exceeds the limit of 1048576 bytes/);
      // Without Content-Length (chunked), the limit still holds.
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(100_000).fill(32));
          controller.close();
        },
      });
      const chunked = await site.request("/query", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: stream,
      });
      assert.equal(chunked.status, 413);
      await chunked.body?.cancel();
    });

    await t.step("token floods and deep nesting are refused", async () => {
      const many = await site.query(`{ tags { ${"id ".repeat(150_000)} } }`);
      assert.equal(many.status, 422);
      assert.match(firstError(many.body), /Document contains more than 100000 tokens/);
      const deep = await site.query(`{ ${"a { ".repeat(40)}b${" }".repeat(40)} }`);
      assert.equal(deep.status, 422);
      const messages = deep.body.errors!.map((e) => e.message).join("\n");
      assert.match(messages, /nested 41 levels deep, more than the limit of 15/);
      const args = await site.query(
        `{ jobs(filter: ${"[".repeat(3000)}{}${"]".repeat(3000)}) { count } }`,
      );
      assert.equal(args.status, 422);
      assert.match(firstError(args.body), /nested more than 100 levels deep/);
    });

    await t.step("complexity over 5000: 422 COMPLEXITY_LIMIT_EXCEEDED", async () => {
      const aliases = Array.from({ length: 2600 }, (_, i) => `t${i}: tags { id }`).join(" ");
      const r = await site.query(`{ ${aliases} }`);
      assert.equal(r.status, 422);
      assert.match(firstError(r.body), /complexity 5200, more than the limit of 5000/);
      assert.equal(r.body.errors![0].extensions?.code, "COMPLEXITY_LIMIT_EXCEEDED");
      // Nested fragments that double at every level are costed once each.
      let doc = "fragment F0 on Tag { id name }";
      for (let i = 1; i <= 30; i++) doc += ` fragment F${i} on Tag { ...F${i - 1} ...F${i - 1} }`;
      const started = performance.now();
      const bomb = await site.query(`{ tags { ...F30 } } ${doc}`);
      assert.equal(bomb.status, 422);
      assert.match(firstError(bomb.body), /complexity \d{10,}/);
      assert.ok(performance.now() - started < 2000, "the check stays fast");
    });

    await t.step("transport errors: content type, JSON, shape, GET mutations", async () => {
      const plain = await post("{ tags { id } }", { "Content-Type": "text/plain" });
      assert.equal(plain.status, 415);
      firstError(await plain.json());
      const broken = await post('{"query": ');
      assert.equal(broken.status, 400);
      assert.match(firstError(await broken.json()), /json request body could not be decoded/);
      const noQuery = await post(JSON.stringify({ variables: {} }));
      assert.equal(noQuery.status, 400);
      const badVars = await post(JSON.stringify({ query: "{ tags { id } }", variables: [1] }));
      assert.equal(badVars.status, 400);
      const get = await site.request(`/query?query=${encodeURIComponent("{ tags { id } }")}`);
      assert.equal(get.status, 200);
      assert.ok(Array.isArray((await get.json()).data.tags));
      const mutation = encodeURIComponent(
        'mutation { updateConfiguration(name: "a", value: "1") }',
      );
      const viaGet = await site.request(`/query?query=${mutation}`);
      assert.equal(viaGet.status, 405);
      firstError(await viaGet.json());
      const anonymous = await site.request("/query", {
        method: "POST",
        username: null,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ query: "{ tags { id } }" }),
      });
      assert.equal(anonymous.status, 401);
    });

    await t.step("introspection is open to authenticated users, within the limits", async () => {
      // The query GraphiQL and other tools send first: it must pass the depth and cost limits.
      for (const options of [{}, { inputValueDeprecation: true, schemaDescription: true }]) {
        const query = getIntrospectionQuery(options);
        const r = await site.query(query);
        assert.equal(r.status, 200, JSON.stringify(r.body.errors));
        assert.equal(r.body.errors, undefined);
        const schema = buildClientSchema(r.body.data);
        assert.ok(schema.getQueryType()?.getFields().jobs);
        const anonymous = await site.request("/query", {
          method: "POST",
          username: null,
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ query }),
        });
        assert.equal(anonymous.status, 401);
        await anonymous.body?.cancel();
      }
      const typename = await site.query("{ tags { __typename } }");
      assert.equal(typename.status, 200);
    });

    await t.step("resolver errors: 200, errors with path, null propagation", async () => {
      const r = await site.query('{ job(id: "99999999") { id } tags { id } }');
      assert.equal(r.status, 200);
      assert.match(
        firstError(r.body),
        /cannot find job with id 99999999: sql: no rows in result set/,
      );
      assert.deepEqual(r.body.errors![0].path, ["job"]);
      assert.equal(r.body.data.job, null);
      assert.ok(Array.isArray(r.body.data.tags), "other fields still answer");
      const notInt = await site.query('{ job(id: "1; DROP TABLE job") { id } }');
      assert.match(firstError(notInt.body), /invalid job id .* not an integer/);
      const page = await site.query(Q_JOBLIST, {
        filter: [],
        sorting: SORT,
        paging: { itemsPerPage: 0, page: 1 },
      });
      assert.match(firstError(page.body), /invalid items-per-page value: 0/);
      assert.equal(page.body.data, null, "jobs is non-null: the error nulls data");
    });

    await t.step("SQL metacharacters are values, never SQL", async () => {
      const evil = [
        { user: { eq: "x' OR '1'='1" } },
        { project: { contains: "'; DROP TABLE job; --" } },
        { jobName: { startsWith: "%" } },
        { node: { contains: "_" } },
        { cluster: { in: ["fritz') OR 1=1 --"] } },
        { jobId: { endsWith: "\\" } },
        { partition: { neq: '"' } },
      ];
      for (const filter of evil) {
        const r = await site.query(Q_JOBLIST, { filter: [filter], sorting: SORT, paging: PAGE });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.errors, undefined);
        const expected = filter.partition ? total : 0;
        assert.equal(r.body.data.jobs.count, expected, JSON.stringify(filter));
      }
      assert.equal(Number(site.db.prepare("SELECT COUNT(*) n FROM job").get()!.n), total);
    });

    await t.step(
      "ranges: negative and zero ends are open, reversed ones match nothing",
      async () => {
        const count = async (filter: unknown) =>
          (await site.query(Q_JOBLIST, { filter: [filter], sorting: SORT, paging: PAGE })).body.data
            .jobs.count;
        assert.equal(await count({ duration: { from: -5, to: -1 } }), total);
        assert.equal(await count({ numNodes: { from: 0, to: 0 } }), total);
        assert.equal(await count({ energy: { from: -1e308, to: 0 } }), total);
        assert.equal(await count({ numNodes: { from: 8, to: 2 } }), 0);
        assert.equal(
          await count({
            metricStats: [{ metricName: "flops_any_avg", range: { from: -3, to: 0 } }],
          }),
          Number(
            site.db.prepare(
              "SELECT COUNT(*) n FROM job WHERE json_extract(footprint, '$.flops_any_avg') IS NOT NULL",
            ).get()!.n,
          ),
        );
        const huge = await site.query(Q_JOBLIST, {
          filter: [{ numNodes: { from: 1, to: 2 ** 40 } }],
          sorting: SORT,
          paging: PAGE,
        });
        assert.equal(huge.status, 422, "Int is 32-bit");
        assert.match(firstError(huge.body), /Int cannot represent non 32-bit signed integer/);
      },
    );

    await t.step("unknown metric names in sorting, metricStats and histograms", async () => {
      const sortFoot = await site.query(Q_JOBLIST, {
        filter: [],
        sorting: { field: "bogus_avg", type: "foot", order: "DESC" },
        paging: PAGE,
      });
      assert.match(
        firstError(sortFoot.body),
        /cannot sort jobs: unknown footprint metric "bogus_avg" \(known: .*flops_any_avg/,
      );
      const inject = await site.query(Q_JOBLIST, {
        filter: [{
          metricStats: [{ metricName: "flops_any_avg') OR 1=1 --", range: { from: 1, to: 2 } }],
        }],
        sorting: SORT,
        paging: PAGE,
      });
      assert.match(
        firstError(inject.body),
        /cannot filter jobs by metric statistics: unknown footprint metric/,
      );
      const col = await site.query(Q_JOBLIST, {
        filter: [],
        sorting: { field: "start_time; DROP TABLE job", type: "col", order: "ASC" },
        paging: PAGE,
      });
      assert.match(
        firstError(col.body),
        /cannot sort jobs by "start_time; DROP TABLE job": not a sortable job field/,
      );
      const snake = await site.query(Q_JOBLIST, {
        filter: [],
        sorting: { field: "num_hwthreads", type: "col", order: "ASC" },
        paging: PAGE,
      });
      assert.equal(snake.body.errors, undefined, "column names are accepted as sort fields");
      const hist = await site.query(
        '{ jobsStatistics(metrics: ["no_such_metric"]) { histMetrics { metric } } }',
      );
      assert.match(
        firstError(hist.body),
        /cannot build a histogram of "no_such_metric": not a metric of any cluster/,
      );
      const grouped = await site.query(
        "{ jobsStatistics(groupBy: USER) { id histDuration { count } } }",
      );
      assert.match(firstError(grouped.body), /histograms are only available without groupBy/);
      const roof = await site.query(
        "{ rooflineHeatmap(filter: [], rows: 0, cols: 5, minX: 0.01, minY: 1, maxX: 1000, maxY: 10) }",
      );
      assert.match(firstError(roof.body), /cannot build a roofline heatmap of 0 × 5 cells/);
      const roofLog = await site.query(
        "{ rooflineHeatmap(filter: [], rows: 5, cols: 5, minX: -1, minY: 1, maxX: 1000, maxY: 10) }",
      );
      assert.match(firstError(roofLog.body), /minX must be positive/);
    });
  } finally {
    await site.close();
  }
});
