/**
 * The shape of resolver maps: per GraphQL type, per field, a function of
 * (parent, arguments, context, info). Parents and arguments are typed in
 * each resolver module.
 *
 * @module
 */
import type { GraphQLResolveInfo } from "graphql";
import type { GraphqlContext } from "../graphql_context.ts";

/** One field resolver; `never` accepts any typed parent and arguments. */
export type FieldResolver = (
  parent: never,
  args: never,
  ctx: GraphqlContext,
  info: GraphQLResolveInfo,
) => unknown;

/** Resolvers by type name and field name. */
export type ResolverMap = Record<string, Record<string, FieldResolver>>;

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
