import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { parseDotEnv } from "./env.ts";
import { jwtPrivateKey, jwtPublicKey, sessionKey, usesDemoJwtKey } from "./env_keys.ts";
import { loadConfig } from "./load_config.ts";

const configsDir = fileURLToPath(new URL("../../configs/", import.meta.url));

Deno.test("configs/config.json loads with its ui-file include", async () => {
  const config = await loadConfig(`${configsDir}config.json`, { cwd: configsDir });
  assert.equal(config.main.addr, "0.0.0.0:443");
  assert.equal(config.archive.kind, "s3");
  assert.equal(config.metricStore?.natsSubscriptions.length, 2);
  assert.equal(config.metricStoreExternal?.length, 2);
  assert.equal(config.ui.nodeList.usePaging, true);
  assert.equal(config.ui.metricConfig.clusters[0].name, "beta");
  assert.equal(config.ui.plotConfiguration.colorScheme.length, 7, "defaults kept under the file");
});

Deno.test("configs/config-demo.json loads", async () => {
  const config = await loadConfig(`${configsDir}config-demo.json`, { cwd: configsDir });
  assert.equal(config.main.addr, "127.0.0.1:8080");
  assert.equal(config.cron.durationWorker, "3m");
  assert.equal(config.metricStore?.memoryCap, 100);
});

Deno.test("configs/env-template.txt parses into usable demo secrets", async () => {
  const vars = parseDotEnv(await Deno.readTextFile(`${configsDir}env-template.txt`));
  const env = new Map(Object.entries(vars));
  assert.equal(jwtPublicKey(env)?.length, 32);
  assert.equal(jwtPrivateKey(env)?.length, 64);
  assert.equal(sessionKey(env)?.length, 24);
  assert.equal(usesDemoJwtKey(env), true);
});
