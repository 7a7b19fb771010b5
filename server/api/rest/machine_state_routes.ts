/**
 * `GET|PUT|POST /api/machine_state/:cluster/:host`: an opaque JSON document
 * per node (e.g. hardware inventory written by a collector), stored as
 * `<main.machine-state-dir>/<cluster>/<host>.json`. The routes exist only
 * when that directory is configured.
 *
 * The two path values become file names, so they are checked before use:
 * empty, `.`, anything containing `..`, `/`, `\` or NUL is a 400, and the
 * resolved path must lie inside the directory.
 *
 * @module
 */
import { Hono, type MiddlewareHandler } from "hono";
import { dirname, resolve, sep } from "node:path";
import { AppError } from "../../errors.ts";
import type { ApiEnv } from "./api_env.ts";
import { readBodyBytes } from "./read_json.ts";
import type { RestDeps } from "./rest_deps.ts";

function checkName(kind: "cluster" | "host", value: string): void {
  if (value === "" || value === "." || value.includes("..") || /[/\\\0]/.test(value)) {
    throw new AppError(
      400,
      `invalid ${kind} name ${JSON.stringify(value)}: must not be empty or ".", ` +
        `nor contain "..", "/", "\\" or NUL`,
    );
  }
}

/** The file of `host` of `cluster` under `root`; a 400 for names that would leave it. */
export function machineStatePath(root: string, cluster: string, host: string): string {
  checkName("cluster", cluster);
  checkName("host", host);
  const base = resolve(root);
  const path = resolve(base, cluster, `${host}.json`);
  if (!path.startsWith(base + sep)) {
    throw new AppError(400, `invalid machine state path for host ${JSON.stringify(host)}`);
  }
  return path;
}

function what(cluster: string, host: string): string {
  return `machine state of host ${JSON.stringify(host)} of cluster ${JSON.stringify(cluster)}`;
}

async function writeAtomically(path: string, data: Uint8Array): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${crypto.randomUUID()}`;
  try {
    await Deno.writeFile(temp, data);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

/** The machine-state routes behind `options.guard`, or none without `main.machine-state-dir`. */
export function machineStateRoutes(
  deps: RestDeps,
  options: { guard: MiddlewareHandler<ApiEnv> },
): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const root = deps.config.main.machineStateDir;
  if (!root) return app;
  const route = "/machine_state/:cluster/:host";

  app.get(route, options.guard, async (c) => {
    const { cluster, host } = c.req.param();
    const path = machineStatePath(root, cluster, host);
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new AppError(404, `no ${what(cluster, host)} stored`);
      }
      throw new AppError(500, `cannot read ${what(cluster, host)}: ${(error as Error).message}`);
    }
    if (!info.isFile) throw new AppError(404, `no ${what(cluster, host)} stored`);
    const modified = info.mtime ?? new Date(0);
    const headers = { "Last-Modified": modified.toUTCString() };
    const since = Date.parse(c.req.header("If-Modified-Since") ?? "");
    // HTTP dates have whole seconds.
    if (!Number.isNaN(since) && Math.floor(modified.getTime() / 1000) * 1000 <= since) {
      return c.body(null, 304, headers);
    }
    const data = await Deno.readFile(path);
    return c.body(data, 200, { ...headers, "Content-Type": "application/json" });
  });

  app.on(["PUT", "POST"], route, options.guard, async (c) => {
    const { cluster, host } = c.req.param();
    const path = machineStatePath(root, cluster, host);
    const attempt = `cannot store ${what(cluster, host)}`;
    const body = await readBodyBytes(c.req.raw, attempt);
    try {
      await writeAtomically(path, body);
    } catch (error) {
      throw new AppError(500, `${attempt}: ${(error as Error).message}`);
    }
    return c.body(null, 201);
  });

  return app;
}
