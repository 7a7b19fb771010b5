/**
 * The admin settings API under `/config` (cc-backend's `AuthConfigAPI`
 * group, session + admin; each handler checks `admin` again): roles, user
 * accounts (create, list, delete, change roles and managed projects) and
 * the notice on the home page (`var/notice.txt`). Forms as in cc-backend.
 *
 * @module
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { DatabaseSync } from "node:sqlite";
import { AUTH_SOURCES, UserRepository, VALID_ROLES } from "../../db/mod.ts";
import { AppError, badInput } from "../../errors.ts";
import type { ApiEnv } from "./api_env.ts";
import { formFields } from "./form_fields.ts";
import { jsonResponse } from "./json_response.ts";
import { requireRole } from "./role_check.ts";
import { listEntry, OPERATIONS } from "./user_routes.ts";

/** Longest notice accepted, in characters. */
export const MAX_NOTICE_LENGTH = 10_000;

/** What the routes need. */
export interface ConfigRoutesDeps {
  db: DatabaseSync;
  /** The site's `var/` directory (`notice.txt`); default `./var`. */
  varDir?: string;
}

function text(body: string): [string, 200, { "Content-Type": string }] {
  return [body, 200, { "Content-Type": "text/plain; charset=utf-8" }];
}

/** The routes, relative to the mount point (mount at `/config`), each behind `options.guard`. */
export function configRoutes(
  deps: ConfigRoutesDeps,
  options: { guard: MiddlewareHandler<ApiEnv> },
): Hono<ApiEnv> {
  const users = new UserRepository(deps.db);
  const varDir = deps.varDir ?? "./var";
  const { guard } = options;
  const r = new Hono<ApiEnv>();

  r.get("/roles/", guard, function getRoles(c) {
    requireRole(c, "admin", "only admins are allowed to fetch a list of roles");
    return jsonResponse(c, VALID_ROLES);
  });

  r.get("/users/", guard, function getUsers(c) {
    requireRole(c, "admin", "only admins are allowed to fetch a list of users");
    const specialsOnly = c.req.query("not-just-user") === "true";
    return jsonResponse(c, users.listUsers({ specialsOnly }).map(listEntry));
  });

  const createUser: MiddlewareHandler<ApiEnv> = async function createUser(c) {
    requireRole(c, "admin", "only admins are allowed to create new users");
    const field = await formFields(c);
    const username = field("username");
    const password = field("password");
    const role = field("role");
    const project = field("project");
    if (username.length < 1 || username.length > 100) {
      throw badInput("username must be between 1 and 100 characters");
    }
    if (password === "" && role !== "api") {
      throw badInput(
        "only API users are allowed to have a blank password (login will be impossible)",
      );
    }
    if (project !== "" && role !== "manager") {
      throw badInput("only managers require a project (can be changed later)");
    }
    if (project === "" && role === "manager") {
      throw badInput("managers require a project to manage (can be changed later)");
    }
    try {
      await users.addUser({
        username,
        password,
        roles: [role],
        projects: project === "" ? [] : [project],
        name: field("name"),
        email: field("email"),
        authSource: AUTH_SOURCES.local,
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      throw new AppError(422, `adding user failed: ${error.message}`, { cause: error });
    }
    return c.body(...text(`User ${username} successfully created!\n`));
  };
  r.post("/users/", guard, createUser);
  r.put("/users/", guard, createUser);

  r.delete("/users/", guard, async function deleteUser(c) {
    requireRole(c, "admin", "only admins are allowed to delete a user");
    const username = (await formFields(c))("username");
    try {
      users.deleteUser(username);
    } catch (error) {
      // Deleting an unknown user succeeds, as in cc-backend.
      if (!(error instanceof AppError) || error.status !== 404) throw error;
    }
    return c.body(null, 200);
  });

  r.post("/user/:id", guard, async function updateUser(c) {
    requireRole(c, "admin", "only admins are allowed to update a user");
    const username = c.req.param("id");
    const field = await formFields(c);
    const operation = OPERATIONS.find((op) => field(op.field) !== "");
    if (!operation) {
      throw badInput(
        "no operation specified: must provide add-role, remove-role, add-project, or remove-project",
      );
    }
    try {
      operation.apply(users, username, field(operation.field));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const status = error.status === 404 ? 404 : 422;
      throw new AppError(status, `${operation.failure}: ${error.message}`, { cause: error });
    }
    return jsonResponse(c, { msg: operation.success });
  });

  r.post("/notice/", guard, async function editNotice(c) {
    requireRole(c, "admin", "only admins are allowed to update the notice");
    const content = (await formFields(c))("new-content");
    if (content.length > MAX_NOTICE_LENGTH) {
      throw badInput(
        `notice content exceeds maximum length of ${MAX_NOTICE_LENGTH} characters`,
      );
    }
    const path = `${varDir}/notice.txt`;
    const temp = `${path}.${crypto.randomUUID()}.tmp`;
    try {
      await Deno.writeTextFile(temp, content);
      await Deno.rename(temp, path);
    } catch (error) {
      await Deno.remove(temp).catch(() => {});
      throw new AppError(500, `writing to file failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return c.body(
      ...text(content === "" ? "Empty Notice Content Success" : "Update Notice Content Success"),
    );
  });

  return r;
}
