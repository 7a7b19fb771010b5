/**
 * User management over the REST API, for admins holding `admin` and `api`:
 * `GET /api/users/` lists accounts, `POST /api/user/:id` adds or removes one
 * role or managed project per request.
 *
 * @module
 */
import { Hono, type MiddlewareHandler } from "hono";
import { AppError } from "../../errors.ts";
import { type User, UserRepository } from "../../db/mod.ts";
import type { ApiEnv } from "./api_env.ts";
import { jsonResponse } from "./json_response.ts";
import { type BodySchema, readJson } from "./read_json.ts";
import type { RestDeps } from "./rest_deps.ts";
import { requireRole } from "./role_check.ts";

/** Body of `POST /api/user/:id`; the first non-empty field (in this order) is applied. */
export interface UpdateUserRequest {
  "add-role"?: string;
  "remove-role"?: string;
  "add-project"?: string;
  "remove-project"?: string;
}

const UPDATE_USER_SCHEMA: BodySchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    "add-role": { type: "string" },
    "remove-role": { type: "string" },
    "add-project": { type: "string" },
    "remove-project": { type: "string" },
  },
};

/** One of the update operations. */
export type Operation = keyof UpdateUserRequest;

/** Per operation: repository call, failure prefix and success message (also `/config/user/`). */
export const OPERATIONS: {
  field: Operation;
  apply: (users: UserRepository, username: string, value: string) => User;
  failure: string;
  success: string;
}[] = [
  {
    field: "add-role",
    apply: (users, u, v) => users.addRole(u, v),
    failure: "adding role failed",
    success: "Add Role Success",
  },
  {
    field: "remove-role",
    apply: (users, u, v) => users.removeRole(u, v),
    failure: "removing role failed",
    success: "Remove Role Success",
  },
  {
    field: "add-project",
    apply: (users, u, v) => users.addProject(u, v),
    failure: "adding project failed",
    success: "Add Project Success",
  },
  {
    field: "remove-project",
    apply: (users, u, v) => users.removeProject(u, v),
    failure: "removing project failed",
    success: "Remove Project Success",
  },
];

/** A user as the list endpoints show it (cc-lib `schema.User` field order). */
export function listEntry(user: User): Record<string, unknown> {
  return {
    username: user.username,
    name: user.name ?? "",
    email: user.email ?? "",
    roles: user.roles,
    projects: user.projects,
    authType: 0,
    authSource: user.authSource,
  };
}

/** `GET /api/users/` and `POST /api/user/:id`, each behind `options.guard`. */
export function userRoutes(
  deps: RestDeps,
  options: { guard: MiddlewareHandler<ApiEnv> },
): Hono<ApiEnv> {
  const users = new UserRepository(deps.db);
  const app = new Hono<ApiEnv>();

  app.get("/users/", options.guard, (c) => {
    requireRole(c, "admin", "only admins are allowed to fetch a list of users");
    const specialsOnly = c.req.query("not-just-user") === "true";
    return jsonResponse(c, users.listUsers({ specialsOnly }).map(listEntry));
  });

  app.post("/user/:id", options.guard, async (c) => {
    requireRole(c, "admin", "only admins are allowed to update a user");
    const username = c.req.param("id");
    const body = await readJson<UpdateUserRequest>(
      c,
      UPDATE_USER_SCHEMA,
      "decoding request failed",
    );
    const operation = OPERATIONS.find((op) => (body[op.field] ?? "") !== "");
    if (!operation) {
      throw new AppError(
        400,
        "no operation specified: must provide add-role, remove-role, add-project, or remove-project",
      );
    }
    try {
      operation.apply(users, username, body[operation.field] as string);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // An unknown user stays 404; every rule violation is cc-backend's 422.
      const status = error.status === 404 ? 404 : 422;
      throw new AppError(status, `${operation.failure}: ${error.message}`, { cause: error });
    }
    return jsonResponse(c, { msg: `${operation.success} for user ${username}` });
  });

  return app;
}
