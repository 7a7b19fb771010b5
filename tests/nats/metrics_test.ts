import assert from "node:assert/strict";
import { NEEDS_NATS } from "./nats_server.ts";
import { waitFor, withNatsSite } from "./nats_site.ts";

Deno.test({
  name: "NATS metric subscriptions ingest line protocol with their cluster-tag",
  ...NEEDS_NATS,
  fn: () =>
    withNatsSite(async ({ metricStore, api, publish, log }) => {
      const { store } = metricStore;
      const t = Math.floor(Date.now() / 1000);
      await publish(
        "metrics.fritz",
        [
          `cpu_load,hostname=f0101,type=node value=3.5 ${t}`,
          `flops_any,hostname=f0101,type=hwthread,type-id=3 value=12 ${t}`,
          // An explicit cluster tag wins over the subscription's cluster-tag.
          `cpu_load,cluster=alex,hostname=a0121,type=node value=7 ${t}`,
        ].join("\n"),
      );
      await publish("metrics.alex", `mem_used,hostname=a0122,type=node value=42 ${t}`);
      await publish(
        "metrics.fritz",
        `nosuch_metric,hostname=f0101 value=1 ${t}\ncpu_load,hostname=f0102 value=1 ${t}`,
      );
      await waitFor("four samples", () => {
        const accepted = api.stats().subjects.reduce((sum, s) => sum + s.accepted, 0);
        return accepted === 5;
      });
      const read = (selector: string[], metric: string) =>
        store.read(selector, metric, { from: t - 60, to: t + 60 })?.data;
      assert.equal(read(["fritz", "f0101"], "cpu_load")?.[0], 3.5);
      assert.equal(read(["fritz", "f0101", "hwthread3"], "flops_any")?.[0], 12);
      assert.equal(read(["alex", "a0121"], "cpu_load")?.[0], 7);
      assert.equal(read(["alex", "a0122"], "mem_used")?.[0], 42);
      assert.deepEqual(store.hosts("fritz"), ["f0101", "f0102"]);
      const fritz = api.stats().subjects.find((s) => s.subject === "metrics.fritz")!;
      assert.deepEqual(
        [fritz.clusterTag, fritz.messages, fritz.accepted, fritz.rejected],
        ["fritz", 2, 4, 1],
      );
      assert.ok(
        log.some((l) => /metrics\.fritz.*rejected: 1 line.*unknown metric "nosuch_metric"/.test(l)),
      );
    }, {
      apiSubjects: false,
      metricSubscriptions: [
        { subscribeTo: "metrics.fritz", clusterTag: "fritz" },
        { subscribeTo: "metrics.alex", clusterTag: "alex" },
      ],
    }),
});
