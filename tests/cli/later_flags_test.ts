import assert from "node:assert/strict";
import { countRows, describe, editConfig, runCli, withDb, withInitSite } from "./cli_helpers.ts";

const NOT_YET = /is not available yet in this build of cc-backend for Deno/;

Deno.test("cc-backend flags of later features stop with a clear message", async (t) => {
  await withInitSite(async (site) => {
    const [cleanup, syncLdap, withUser] = await Promise.all([
      runCli(site, ["-cleanup-checkpoints"]),
      runCli(site, ["-sync-ldap"]),
      runCli(site, ["-add-user", "kept:api:pw", "-cleanup-checkpoints"]),
    ]);

    await t.step("-cleanup-checkpoints: the metric store is not available yet", () => {
      assert.equal(cleanup.code, 1, describe(cleanup));
      assert.match(cleanup.stderr, /^-cleanup-checkpoints: the metric store /m);
      assert.match(cleanup.stderr, NOT_YET);
    });

    await t.step("-sync-ldap without auth.ldap: LDAP is not configured", () => {
      assert.equal(syncLdap.code, 1, describe(syncLdap));
      assert.match(syncLdap.stderr, /^-sync-ldap: LDAP authentication is not configured$/m);
    });

    await t.step("the steps before the failing flag did run, in the startup order", () => {
      assert.equal(withUser.code, 1, describe(withUser));
      withDb(site, "var/job.db", (db) => assert.equal(countRows(db, "hpc_user"), 1));
    });

    await t.step("-sync-ldap with auth.ldap: LDAP sync is not available yet", async () => {
      await editConfig(site, (config) => {
        (config.auth as Record<string, unknown>).ldap = {
          "url": "ldap://127.0.0.1:1",
          "user-base": "ou=people,dc=example,dc=org",
          "search-dn": "cn=admin,dc=example,dc=org",
          "user-bind": "uid={username},ou=people,dc=example,dc=org",
          "user-filter": "(&(objectclass=posixAccount))",
        };
      });
      const result = await runCli(site, ["--sync-ldap"]);
      assert.equal(result.code, 1, describe(result));
      assert.match(result.stderr, /^-sync-ldap: LDAP synchronisation /m);
      assert.match(result.stderr, NOT_YET);
      assert.doesNotMatch(result.stderr, /not configured/);
    });
  });
});
