/**
 * What the REST route modules are built from.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { FileArchive } from "../../archive/mod.ts";
import type { ApiTokenVerifier } from "../../auth/verify_api_token.ts";
import type { Config } from "../../config/mod.ts";

/** Dependencies shared by every REST route module. */
export interface RestDeps {
  db: DatabaseSync;
  archive: FileArchive;
  config: Config;
  verifier: ApiTokenVerifier;
  /** Injected clock (unix seconds) so tests do not depend on the wall clock. */
  now?: () => number;
}
