/**
 * Configuration of cc-backend: config.json (schema, defaults, includes),
 * `.env` secrets, Go durations and the `-init` site bootstrap.
 *
 * @module
 */

export { loadConfig } from "./load_config.ts";
export type { LoadConfigOptions } from "./load_config.ts";
export { ConfigError } from "./config_error.ts";
export type * from "./config_types.ts";
export {
  ARCHIVE_DEFAULT,
  camelizeKeys,
  CRON_DEFAULTS,
  DB_CONFIG_DEFAULTS,
  defaultMetricStoreWorkers,
  MAIN_DEFAULTS,
  uiDefaults,
} from "./apply_defaults.ts";
export { configSchema } from "./schema.ts";
export type { JsonSchema } from "./schema.ts";
export { validateConfigDocument } from "./validate_config.ts";
export type { ConfigProblem } from "./validate_config.ts";
export { isDuration, parseDuration } from "./duration.ts";
export { parseJson } from "./parse_json.ts";
export { loadDotEnv, parseDotEnv } from "./env.ts";
export {
  crossLoginJwtHs512Key,
  crossLoginJwtPublicKey,
  decodeBase64Std,
  DEMO_JWT_PUBLIC_KEY,
  jwtPrivateKey,
  jwtPublicKey,
  ldapAdminPassword,
  oidcClientCredentials,
  sessionKey,
  usesDemoJwtKey,
} from "./env_keys.ts";
export type { EnvSource, OidcClientCredentials } from "./env_keys.ts";
export {
  generateKeyPair,
  generateSessionKey,
  initConfigTemplate,
  initSite,
  renderEnvFile,
} from "./init_site.ts";
export type { InitSiteResult, KeyPair } from "./init_site.ts";
