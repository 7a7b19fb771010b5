import assert from "node:assert/strict";
import { schedulerState } from "./scheduler_state.ts";

Deno.test("schedulerState() applies cc-backend's priority of state words", async (t) => {
  const cases: [string[], string][] = [
    [["allocated"], "allocated"],
    [["ALLOCATED", "down"], "allocated"],
    [["mixed", "reserved"], "reserved"],
    [["reserved", "allocated"], "allocated"],
    [["idle", "down"], "down"],
    [["Idle", "DRAIN"], "idle"],
    [["down", "drain"], "down"],
    [["mixed", "drain"], "mixed"],
    [["drain"], "unknown"],
    [["completing"], "unknown"],
    [[], "unknown"],
    [["allocated ", "ïdle"], "unknown"],
  ];
  for (const [words, expected] of cases) {
    await t.step(`${JSON.stringify(words)} → ${expected}`, () => {
      assert.equal(schedulerState(words), expected);
    });
  }
});
