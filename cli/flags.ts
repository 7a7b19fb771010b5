/**
 * Command-line flags with Go `flag` package semantics, as cc-backend 1.5
 * accepts them: `-name` or `--name`, `-name value` or `-name=value`, and
 * booleans as `-name` or `-name=true|false`. Parsing is done by
 * `node:util`'s parseArgs after the arguments are brought into its form.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { LOG_LEVELS, type LogLevel } from "../server/log/logger.ts";

interface FlagSpec {
  type: "boolean" | "string";
  help: string;
  default?: string;
}

/** Every flag cc-backend 1.5 knows, plus `-demo` for our demo site. */
export const FLAG_SPECS: Record<string, FlagSpec> = {
  "init": {
    type: "boolean",
    help: "Setup var directory, initialize sqlite database file, config.json and .env",
  },
  "init-db": {
    type: "boolean",
    help: "Go through job-archive and re-initialize the 'job', 'tag', and 'jobtag' tables",
  },
  "sync-ldap": { type: "boolean", help: "Sync the 'hpc_user' table with ldap" },
  "server": {
    type: "boolean",
    help: "Start a server, continues listening on port after initialization and argument handling",
  },
  "gops": {
    type: "boolean",
    help: "Listen via github.com/google/gops/agent (not supported here: ignored with a warning)",
  },
  "dev": {
    type: "boolean",
    help: "Enable development components: GraphQL Playground and Swagger UI",
  },
  "version": { type: "boolean", help: "Show version information and exit" },
  "migrate-db": { type: "boolean", help: "Migrate database to supported version and exit" },
  "revert-db": { type: "boolean", help: "Migrate database to previous version and exit" },
  "force-db": { type: "boolean", help: "Force database version, clear dirty flag and exit" },
  "optimize-db": { type: "boolean", help: "Optimize database: run VACUUM and ANALYZE, then exit" },
  "apply-tags": { type: "boolean", help: "Run taggers on all completed jobs" },
  "cleanup-checkpoints": {
    type: "boolean",
    help: "Clean up metric-store checkpoints older than the retention period, then exit",
  },
  "logdate": { type: "boolean", help: "Set this flag to add date and time to log messages" },
  "demo": {
    type: "boolean",
    help: "Create the demo site in ./demo-site (once) and start it with -server -dev",
  },
  "help": { type: "boolean", help: "Show this help and exit" },
  "config": {
    type: "string",
    help: "Specify alternative path to `config.json`",
    default: "./config.json",
  },
  "add-user": {
    type: "string",
    help: "Add a new user. Argument format: <username>:[admin,support,manager,api,user]:<password>",
  },
  "del-user": { type: "string", help: "Remove a existing user. Argument format: <username>" },
  "jwt": {
    type: "string",
    help: "Generate and print a JWT for the user specified by its `username`",
  },
  "import-job": {
    type: "string",
    help: "Import a job. Argument format: `<path-to-meta.json>:<path-to-data.json>,...`",
  },
  "loglevel": {
    type: "string",
    help: "Sets the logging level: `[debug, info, warn (default), err, crit]`",
    default: "warn",
  },
};

/** The parsed flags. */
export interface Flags {
  init: boolean;
  initDb: boolean;
  syncLdap: boolean;
  server: boolean;
  gops: boolean;
  dev: boolean;
  version: boolean;
  migrateDb: boolean;
  revertDb: boolean;
  forceDb: boolean;
  optimizeDb: boolean;
  applyTags: boolean;
  cleanupCheckpoints: boolean;
  logDate: boolean;
  demo: boolean;
  help: boolean;
  config: string;
  addUser: string;
  delUser: string;
  jwt: string;
  importJob: string;
  logLevel: LogLevel;
}

/** A command-line error, printed with the usage hint. */
export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlagError";
  }
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

const BOOLEAN_WORDS: Record<string, boolean> = {
  "1": true,
  "t": true,
  "T": true,
  "true": true,
  "TRUE": true,
  "True": true,
  "0": false,
  "f": false,
  "F": false,
  "false": false,
  "FALSE": false,
  "False": false,
};

/**
 * Parses the arguments the way Go's flag package does for cc-backend's flags.
 * Throws {@link FlagError} naming the offending flag or value.
 */
export function parseFlags(args: string[]): Flags {
  const normalized: string[] = [];
  const explicitFalse = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--" || !arg.startsWith("-") || arg === "-") {
      throw new FlagError(`unexpected argument "${arg}": cc-backend takes flags only`);
    }
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const spec = FLAG_SPECS[name] ?? (name === "h" ? FLAG_SPECS.help : undefined);
    if (!spec) throw new FlagError(`flag provided but not defined: -${name}`);
    const longName = name === "h" ? "help" : name;
    if (spec.type === "boolean") {
      if (eq >= 0) {
        const word = body.slice(eq + 1);
        if (!(word in BOOLEAN_WORDS)) {
          throw new FlagError(`invalid boolean value "${word}" for -${name}`);
        }
        if (BOOLEAN_WORDS[word]) normalized.push(`--${longName}`);
        else explicitFalse.add(longName);
      } else {
        normalized.push(`--${longName}`);
      }
    } else if (eq >= 0) {
      normalized.push(`--${longName}=${body.slice(eq + 1)}`);
    } else {
      if (i + 1 >= args.length) throw new FlagError(`flag needs an argument: -${name}`);
      normalized.push(`--${longName}=${args[++i]}`);
    }
  }
  const options: Record<string, { type: "boolean" | "string"; default?: string | boolean }> = {};
  for (const [name, spec] of Object.entries(FLAG_SPECS)) {
    options[name] = {
      type: spec.type,
      default: spec.type === "boolean" ? false : spec.default ?? "",
    };
  }
  const { values } = parseArgs({
    args: normalized,
    options,
    strict: true,
    allowPositionals: false,
  });
  const flags: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    flags[camel(name)] = explicitFalse.has(name) ? false : value;
  }
  const level = flags.loglevel as string;
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new FlagError(
      `invalid value "${level}" for -loglevel: expected one of ${LOG_LEVELS.join(", ")}`,
    );
  }
  flags.logLevel = level as LogLevel;
  delete flags.loglevel;
  flags.logDate = flags.logdate;
  delete flags.logdate;
  return flags as unknown as Flags;
}

/** The `-help` text: every flag with its default and description. */
export function usage(): string {
  const lines = ["Usage of cc-backend:"];
  for (const [name, spec] of Object.entries(FLAG_SPECS)) {
    const arg = spec.type === "string" ? " string" : "";
    lines.push(`  -${name}${arg}`);
    const def = spec.default ? ` (default "${spec.default}")` : "";
    lines.push(`    \t${spec.help}${def}`);
  }
  return lines.join("\n");
}
