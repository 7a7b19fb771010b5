/**
 * `user` (name and e-mail, for the user themself, managers and staff) and
 * `updateConfiguration` (one UI setting of the viewer, stored as JSON).
 *
 * @module
 */
import { hasAnyRole } from "../../../auth/auth_user.ts";
import { AppError } from "../../../errors.ts";
import type { GraphqlContext } from "../graphql_context.ts";
import type { ResolverMap } from "./resolver_types.ts";

/** Resolvers of `user` and `updateConfiguration`. */
export const userResolvers: ResolverMap = {
  Query: {
    user: (_: unknown, args: { username: string }, ctx: GraphqlContext) => {
      const viewer = ctx.viewer;
      if (
        viewer && viewer.username !== args.username &&
        !hasAnyRole(viewer, ["admin", "support", "manager"])
      ) {
        throw new AppError(403, "forbidden");
      }
      return ctx.services.lookups.usersByName([args.username]).get(args.username) ?? null;
    },
  },
  Mutation: {
    updateConfiguration: (
      _: unknown,
      args: { name: string; value: string },
      ctx: GraphqlContext,
    ) => {
      // Without authentication there is nobody to store the setting for (as cc-backend).
      if (!ctx.viewer) return null;
      let value: unknown;
      try {
        value = JSON.parse(args.value);
      } catch {
        throw new AppError(
          400,
          `cannot set configuration ${JSON.stringify(args.name)}: the value is not JSON text ` +
            `(${JSON.stringify(args.value.slice(0, 80))})`,
        );
      }
      ctx.services.userConfig.setConfig(ctx.viewer.username, { key: args.name, value });
      return null;
    },
  },
};
