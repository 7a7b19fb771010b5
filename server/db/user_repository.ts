/**
 * The `hpc_user` table: local and synchronised accounts with bcrypt password
 * hashes compatible with cc-backend's Go bcrypt (`$2a$10$…`).
 *
 * @module
 */

import bcrypt from "bcryptjs";
import type { DatabaseSync } from "node:sqlite";
import { AppError, badInput } from "../errors.ts";
import { sqlError } from "./sql_errors.ts";
import { type Row, Statements, textOf } from "./statements.ts";

/** The roles cc-backend knows, lowest privilege first. */
export const VALID_ROLES = ["api", "user", "manager", "support", "admin"] as const;

/** Where an account comes from, as stored in the `ldap` column. */
export const AUTH_SOURCES = { local: 0, ldap: 1, token: 2, oidc: 3, all: 4 } as const;

/** One of the {@link AUTH_SOURCES} values. */
export type AuthSource = typeof AUTH_SOURCES[keyof typeof AUTH_SOURCES];

/** bcrypt cost of cc-backend (Go's `bcrypt.DefaultCost`). */
export const BCRYPT_COST = 10;

/** A stored user, without the password hash. */
export interface User {
  username: string;
  name?: string;
  email?: string;
  roles: string[];
  projects: string[];
  authSource: AuthSource;
}

/** A user to create; an empty or absent password stores no hash. */
export interface NewUser {
  username: string;
  roles: string[];
  password?: string;
  projects?: string[];
  name?: string;
  email?: string;
  authSource: AuthSource;
}

const SELECT_USER = "SELECT username, name, email, roles, projects, ldap FROM hpc_user";

/** Hashes a password with bcrypt cost 10 in the `$2a$` form Go's bcrypt writes. */
export async function hashPassword(password: string): Promise<string> {
  if (new TextEncoder().encode(password).length > 72) {
    throw badInput("cannot hash password: longer than 72 bytes");
  }
  // bcryptjs labels its salts $2b$; the algorithm is the same, Go writes $2a$.
  const salt = (await bcrypt.genSalt(BCRYPT_COST)).replace(/^\$2b\$/, "$2a$");
  return bcrypt.hash(password, salt);
}

function stringList(value: Row[string], username: string, column: string): string[] {
  try {
    const parsed = JSON.parse(textOf(value) ?? "[]");
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // reported below
  }
  throw new AppError(500, `user ${JSON.stringify(username)}: column ${column} is not a JSON array`);
}

function toUser(row: Row): User {
  const username = String(row.username);
  const user: User = {
    username,
    roles: stringList(row.roles, username, "roles"),
    projects: stringList(row.projects, username, "projects"),
    authSource: Number(row.ldap) as AuthSource,
  };
  const name = textOf(row.name);
  if (name) user.name = name;
  const email = textOf(row.email);
  if (email) user.email = email;
  return user;
}

function validateNewUser(user: NewUser): void {
  const name = JSON.stringify(user.username);
  if (typeof user.username !== "string" || user.username.length === 0) {
    throw badInput(`cannot add user ${name}: username must be a non-empty string`);
  }
  if (user.username.includes("\0")) {
    throw badInput(`cannot add user ${name}: username must not contain NUL characters`);
  }
  if (user.username.length > 255) {
    throw badInput(`cannot add user ${name}: username longer than 255 characters`);
  }
  if (!Array.isArray(user.roles)) throw badInput(`cannot add user ${name}: roles must be a list`);
  for (const role of user.roles) {
    if (!(VALID_ROLES as readonly string[]).includes(role)) {
      throw badInput(
        `cannot add user ${name}: unknown role ${JSON.stringify(role)} ` +
          `(allowed: ${VALID_ROLES.join(", ")})`,
      );
    }
  }
  if (!(Object.values(AUTH_SOURCES) as number[]).includes(user.authSource)) {
    throw badInput(`cannot add user ${name}: invalid auth source ${user.authSource} (0-4)`);
  }
}

/** `role` lowercased; a 422 unless it is one of {@link VALID_ROLES}. */
function validRole(role: string): string {
  const lower = role.toLowerCase();
  if (!(VALID_ROLES as readonly string[]).includes(lower)) {
    throw new AppError(422, `supplied role is no valid option : ${lower}`);
  }
  return lower;
}

/** Reads and writes users. */
export class UserRepository {
  readonly #sql: Statements;

  /** Wraps an open database at schema version 11. */
  constructor(db: DatabaseSync) {
    this.#sql = new Statements(db);
  }

  /** Creates a user; throws a 422 naming the username if it exists. */
  async addUser(user: NewUser): Promise<User> {
    validateNewUser(user);
    const name = JSON.stringify(user.username);
    if (this.getUser(user.username)) {
      throw new AppError(422, `cannot add user ${name}: a user with that username already exists`);
    }
    const hash = user.password ? await hashPassword(user.password) : null;
    try {
      this.#sql.get(
        "INSERT INTO hpc_user (username, password, ldap, name, roles, email, projects) " +
          "VALUES (?, ?, ?, ?, ?, ?, ?)",
      ).run(
        user.username,
        hash,
        user.authSource,
        user.name || null,
        JSON.stringify(user.roles),
        user.email || null,
        JSON.stringify(user.projects ?? []),
      );
    } catch (error) {
      throw sqlError(`cannot add user ${name}`, error);
    }
    return this.getUser(user.username) as User;
  }

  /** Deletes a user (and, by cascade, their configuration); throws a 404 if unknown. */
  deleteUser(username: string): void {
    const result = this.#sql.get("DELETE FROM hpc_user WHERE username = ?").run(username);
    if (Number(result.changes) === 0) {
      throw new AppError(404, `cannot delete user ${JSON.stringify(username)}: no such user`);
    }
  }

  /** The user with this username, or null. */
  getUser(username: string): User | null {
    const row = this.#sql.get(`${SELECT_USER} WHERE username = ?`).get(username) as
      | Row
      | undefined;
    return row ? toUser(row) : null;
  }

  /**
   * All users, ordered by username. With `specialsOnly`, users whose roles are
   * exactly `["user"]` or empty are left out (cc-backend's `not-just-user`).
   */
  listUsers(options: { specialsOnly?: boolean } = {}): User[] {
    const users = (this.#sql.get(`${SELECT_USER} ORDER BY username`).all() as Row[]).map(toUser);
    if (!options.specialsOnly) return users;
    return users.filter((u) =>
      !(u.roles.length === 0 || (u.roles.length === 1 && u.roles[0] === "user"))
    );
  }

  /**
   * Adds `role` (case-insensitive) to the user's roles. Throws a 404 for an
   * unknown user and a 422 for a role that is not one of {@link VALID_ROLES}
   * or that the user already has.
   */
  addRole(username: string, role: string): User {
    const user = this.#existing(username);
    const wanted = validRole(role);
    if (user.roles.includes(wanted)) {
      throw new AppError(422, `user ${username} already has role ${wanted}`);
    }
    return this.#setList(user, "roles", [...user.roles, wanted]);
  }

  /**
   * Removes `role` (case-insensitive) from the user's roles. A manager keeps
   * the role while projects are assigned (remove those first).
   */
  removeRole(username: string, role: string): User {
    const user = this.#existing(username);
    const unwanted = validRole(role);
    if (!user.roles.includes(unwanted)) {
      throw new AppError(422, `role already deleted for user '${username}': ${unwanted}`);
    }
    if (unwanted === "manager" && user.projects.length > 0) {
      throw new AppError(
        422,
        `cannot remove role 'manager' while user ${username} still has assigned project(s) : ` +
          `[${user.projects.join(" ")}]`,
      );
    }
    return this.#setList(user, "roles", user.roles.filter((r) => r !== unwanted));
  }

  /** Adds a managed project; only managers have projects, each at most once. */
  addProject(username: string, project: string): User {
    const user = this.#existing(username);
    if (!user.roles.includes("manager")) {
      throw new AppError(422, `user '${username}' is not a manager`);
    }
    if (user.projects.includes(project)) {
      throw new AppError(422, `user '${username}' already manages project '${project}'`);
    }
    return this.#setList(user, "projects", [...user.projects, project]);
  }

  /** Removes a managed project of a manager. */
  removeProject(username: string, project: string): User {
    const user = this.#existing(username);
    if (!user.roles.includes("manager")) {
      throw new AppError(422, `user '${username}' is not a manager`);
    }
    if (!user.projects.includes(project)) {
      throw new AppError(422, `user '${username}' does not manage project '${project}'`);
    }
    return this.#setList(user, "projects", user.projects.filter((p) => p !== project));
  }

  #existing(username: string): User {
    const user = this.getUser(username);
    if (!user) throw new AppError(404, `no user with username ${JSON.stringify(username)}`);
    return user;
  }

  #setList(user: User, column: "roles" | "projects", values: string[]): User {
    // Column names come from the two literals above, never from input.
    const sql = column === "roles"
      ? "UPDATE hpc_user SET roles = ? WHERE username = ?"
      : "UPDATE hpc_user SET projects = ? WHERE username = ?";
    this.#sql.get(sql).run(JSON.stringify(values), user.username);
    return { ...user, [column]: values };
  }

  /**
   * Replaces name, roles and projects of an existing user with what a login
   * source (LDAP, token claims, OIDC) reports; throws a 404 if unknown.
   */
  updateUser(
    username: string,
    update: { name?: string; roles: string[]; projects: string[] },
  ): User {
    const user = this.#existing(username);
    for (const role of update.roles) validRole(role);
    this.#sql.get("UPDATE hpc_user SET name = ?, roles = ?, projects = ? WHERE username = ?").run(
      update.name || null,
      JSON.stringify(update.roles),
      JSON.stringify(update.projects),
      username,
    );
    return this.getUser(user.username) as User;
  }

  /** True when the user exists, has a password hash and `password` matches it. */
  async checkPassword(username: string, password: string): Promise<boolean> {
    const row = this.#sql.get("SELECT password FROM hpc_user WHERE username = ?").get(username);
    const hash = textOf(row?.password);
    if (!hash) return false;
    return await bcrypt.compare(password, hash);
  }
}
