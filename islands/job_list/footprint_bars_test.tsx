import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import type { JobItem, MetricInfo } from "../lib/job_list_types.ts";
import { FootprintBars } from "./footprint_bars.tsx";

const metric = (name: string, extra: Partial<MetricInfo> = {}): MetricInfo => ({
  name,
  unit: { base: "F/s", prefix: "G" },
  scope: "node",
  aggregation: "sum",
  timestep: 60,
  peak: 100,
  normal: 50,
  caution: 20,
  alert: 10,
  ...extra,
});

const job = (footprint: JobItem["footprint"], extra: Partial<JobItem> = {}) =>
  ({ shared: "none", numHWThreads: 72, footprint, ...extra }) as JobItem;

/** [name, colour, width class] of each bar in document order. */
function bars(html: string): [string, string, string][] {
  return [...html.matchAll(/<\/i>([a-z_]+) \((\w+)\).*?progress-bar bg-(\w+) (cc-w-\d+)/g)].map((
    m,
  ) => [
    m[1],
    m[3],
    m[4],
  ]);
}

Deno.test("FootprintBars colours each value by the thresholds of its metric", async (t) => {
  const configs = [metric("a"), metric("b"), metric("c"), metric("d"), metric("e")];

  await t.step("higher is better: alert, caution, normal, above normal, above peak", () => {
    const html = renderToString(
      <FootprintBars
        job={job([
          { name: "a", stat: "avg", value: 5 },
          { name: "b", stat: "avg", value: 15 },
          { name: "c", stat: "avg", value: 40 },
          { name: "d", stat: "avg", value: 80 },
          { name: "e", stat: "avg", value: 150 },
        ])}
        configs={configs}
        hwthreadsPerNode={72}
      />,
    );
    assert.deepEqual(bars(html), [
      ["e", "secondary", "cc-w-100"],
      ["d", "info", "cc-w-80"],
      ["c", "success", "cc-w-40"],
      ["b", "warning", "cc-w-15"],
      ["a", "danger", "cc-w-5"],
    ]);
    assert.match(html, /title="Footprint value way below expected normal threshold\."/);
    assert.match(html, /5 \/ 100 GF\/s/);
  });

  await t.step("lower is better flips the direction and the caret", () => {
    const lower = [
      metric("m", { lowerIsBetter: true, peak: 100, normal: 20, caution: 50, alert: 80 }),
    ];
    const at = (value: number) =>
      renderToString(
        <FootprintBars
          job={job([{ name: "m", stat: "max", value }])}
          configs={lower}
          hwthreadsPerNode={72}
        />,
      );
    assert.equal(bars(at(90))[0][1], "danger");
    assert.equal(bars(at(60))[0][1], "warning");
    assert.equal(bars(at(10))[0][1], "success");
    assert.equal(bars(at(120))[0][1], "secondary");
    assert.match(at(10), /bi-caret-left-fill/);
  });

  await t.step("shared jobs scale non-average thresholds by their hardware-thread share", () => {
    // Half the node: peak 50, normal 25, caution 10, alert 5 for `max`.
    const html = renderToString(
      <FootprintBars
        job={job([{ name: "a", stat: "max", value: 30 }, { name: "b", stat: "avg", value: 30 }], {
          shared: "multi_user",
          numHWThreads: 36,
        })}
        configs={configs}
        hwthreadsPerNode={72}
      />,
    );
    assert.deepEqual(bars(html), [["a", "info", "cc-w-60"], ["b", "success", "cc-w-30"]]);
  });

  await t.step("a metric without config, and a job without footprint", () => {
    const html = renderToString(
      <FootprintBars
        job={job([{ name: "zz", stat: "avg", value: 1 }])}
        configs={configs}
        hwthreadsPerNode={72}
      />,
    );
    assert.match(html, /No config for metric zz found\./);
    assert.match(html, /bg-light/);
    for (const footprint of [null, []]) {
      assert.match(
        renderToString(
          <FootprintBars job={job(footprint)} configs={configs} hwthreadsPerNode={72} />,
        ),
        /No footprint data for job available\./,
      );
    }
  });
});
