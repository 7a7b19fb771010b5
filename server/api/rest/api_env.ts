/**
 * The typed Hono environment of the REST API: the authenticated user
 * travels on `c.var.user`.
 *
 * @module
 */
import type { AuthUser } from "../../auth/auth_user.ts";

/** Hono environment of every API route. */
export interface ApiEnv {
  Variables: {
    /** Set by the auth middleware; absent only when authentication is disabled. */
    user?: AuthUser;
  };
}
