import assert from "node:assert/strict";
import { countRows, describe, editConfig, runCli, withDb, withInitSite } from "./cli_helpers.ts";

Deno.test("cc-backend flags of later features stop with a clear message", async (t) => {
  await withInitSite(async (site) => {
    const [cleanup, syncLdap, withUser] = await Promise.all([
      runCli(site, ["-cleanup-checkpoints"]),
      runCli(site, ["-sync-ldap"]),
      runCli(site, ["-add-user", "kept:api:pw", "-sync-ldap"]),
    ]);

    await t.step("-cleanup-checkpoints runs the clean-up and exits (tests/metricstore)", () => {
      assert.equal(cleanup.code, 0, describe(cleanup));
      assert.equal(cleanup.stdout, "Cleanup done: 0 checkpoint files deleted.\n");
    });

    await t.step("-sync-ldap without auth.ldap: LDAP is not configured", () => {
      assert.equal(syncLdap.code, 1, describe(syncLdap));
      assert.match(syncLdap.stderr, /^-sync-ldap: LDAP authentication is not configured$/m);
    });

    await t.step("the steps before the failing flag did run, in the startup order", () => {
      assert.equal(withUser.code, 1, describe(withUser));
      withDb(site, "var/job.db", (db) => assert.equal(countRows(db, "hpc_user"), 1));
    });

    await t.step("-sync-ldap with an unreachable LDAP server fails naming it", async () => {
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
      assert.match(result.stderr, /^-sync-ldap: cannot list LDAP users/m);
      assert.doesNotMatch(result.stderr, /not configured|not available yet/);
    });
  });
});
